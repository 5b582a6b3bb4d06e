policy import broken/missing-defaults.json
