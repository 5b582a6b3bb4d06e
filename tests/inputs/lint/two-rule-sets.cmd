lint two-rule-sets/current.pimrules two-rule-sets/older.pimrules
