lint configured/rules.pimrules
