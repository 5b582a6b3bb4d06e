lint allows.pimrules
