lint critical-unreached.pimrules
