audit audit-should.pimrules
