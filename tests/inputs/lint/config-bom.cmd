lint config-errors/bom/rules.pimrules
