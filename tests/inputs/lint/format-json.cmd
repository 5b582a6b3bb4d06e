lint several.pimrules --format json
