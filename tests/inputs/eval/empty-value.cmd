eval --event approval-pending --scope entra-role --set cloud=
