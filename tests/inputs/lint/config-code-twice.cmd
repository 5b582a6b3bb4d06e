lint config-errors/code-twice/rules.pimrules
