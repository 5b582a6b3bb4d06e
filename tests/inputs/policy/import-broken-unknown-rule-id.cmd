policy import broken/unknown-rule-id.json
