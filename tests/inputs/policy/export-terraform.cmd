policy export tenant-settings.pimrules --to terraform
