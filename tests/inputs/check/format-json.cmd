check e004-unknown-names.pimrules --format json
