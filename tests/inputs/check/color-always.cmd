check --color always e010-invalid-sender.pimrules
