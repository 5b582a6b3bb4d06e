compile ../check/valid-minimal.pimrules
