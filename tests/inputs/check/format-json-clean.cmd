check valid-minimal.pimrules --format json
