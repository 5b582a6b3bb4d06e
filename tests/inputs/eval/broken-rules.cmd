eval --rules ../check/e004-unknown-names.pimrules --event activation-completed --scope entra-role
