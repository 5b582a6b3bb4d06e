eval --rules entra-pim-2019 --event approval-pending --scope entra-role
