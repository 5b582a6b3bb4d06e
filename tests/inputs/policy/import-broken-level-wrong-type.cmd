policy import broken/level-wrong-type.json
