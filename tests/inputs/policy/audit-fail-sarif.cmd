audit audit-fail.pimrules --format sarif
