lint config-errors/malformed/rules.pimrules
