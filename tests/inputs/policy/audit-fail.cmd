audit audit-fail.pimrules
