lint unused-declarations.pimrules
