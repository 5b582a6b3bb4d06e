test tenant.pimrules
