policy import broken/duplicate-key.json
