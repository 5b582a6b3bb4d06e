lint trojan-source.pimrules
