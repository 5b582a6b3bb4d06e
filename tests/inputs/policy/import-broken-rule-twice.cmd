policy import broken/rule-twice.json
