eval --rules entra-pim-2018 --event role-assigned --scope entra-role --format json
