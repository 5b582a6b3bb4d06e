policy import broken/level-wrong-case.json
