diff before.pimrules after.pimrules
