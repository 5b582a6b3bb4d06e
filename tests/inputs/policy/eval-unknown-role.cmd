eval --rules entra-pim --rules tenant-settings.pimrules --event approval-pending --scope entra-role --role "Global Admin"
