check --rules entra-pim bad-settings.pimrules
