lint conflicting-templates.pimrules
