policy import broken/recipient-control-character.json
