render --rules entra-pim --rules ../policy/tenant-settings.pimrules --input role-settings.json
