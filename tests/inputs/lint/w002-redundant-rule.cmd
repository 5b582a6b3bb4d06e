lint redundant-rule.pimrules
