policy import broken/recipients-not-a-list.json
