policy import broken/rules-not-a-list.json
