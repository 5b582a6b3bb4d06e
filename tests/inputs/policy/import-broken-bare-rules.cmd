policy import broken/bare-rules.json
