policy export tenant-settings.pimrules --to graph
