check --rules entra-pim bad-ids.pimrules
