lint config-errors/bad-level/rules.pimrules
