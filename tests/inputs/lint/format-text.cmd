lint several.pimrules --format text
