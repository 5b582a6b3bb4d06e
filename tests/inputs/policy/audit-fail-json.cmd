audit audit-fail.pimrules --format json
