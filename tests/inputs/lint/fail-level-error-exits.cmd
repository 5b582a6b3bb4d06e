lint conflicting-templates.pimrules --fail-level error
