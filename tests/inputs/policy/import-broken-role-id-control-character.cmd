policy import broken/role-id-control-character.json
