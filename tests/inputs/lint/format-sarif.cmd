lint several.pimrules --format sarif
