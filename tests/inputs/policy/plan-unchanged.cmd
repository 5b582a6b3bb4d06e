plan tenant-settings.pimrules tenant-settings.pimrules
