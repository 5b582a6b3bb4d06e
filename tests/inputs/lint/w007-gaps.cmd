lint gaps.pimrules
