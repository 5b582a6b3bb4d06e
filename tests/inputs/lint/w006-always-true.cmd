lint always-true.pimrules
