check --color never e010-invalid-sender.pimrules
