diff before.pimrules after.pimrules --format json
