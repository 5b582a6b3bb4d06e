lint bad-config/rules.pimrules
