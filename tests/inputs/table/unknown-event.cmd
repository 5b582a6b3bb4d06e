table --scope entra-role --event approval-pendng
