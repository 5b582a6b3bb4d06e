policy export bad-settings.pimrules --to graph
