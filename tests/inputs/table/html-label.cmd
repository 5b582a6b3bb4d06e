table --rules html-label/rules.pimrules
