table --scope entra-role --event approval-pending,pim-enabled --format html
