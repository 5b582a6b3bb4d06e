audit audit-pass.pimrules
