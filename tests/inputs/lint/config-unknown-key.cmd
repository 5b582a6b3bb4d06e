lint config-errors/unknown-key/rules.pimrules
