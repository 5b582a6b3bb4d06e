lint several.pimrules --format github
