lint --rules entra-pim settings.pimrules
