audit audit-pass.pimrules --baseline nist
