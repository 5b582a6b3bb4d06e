diff before.pimrules equivalent.pimrules
