lint dead-rule.pimrules
