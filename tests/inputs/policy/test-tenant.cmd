test --rules entra-pim tenant-settings.pimrules
