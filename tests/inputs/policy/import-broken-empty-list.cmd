policy import broken/empty-list.json
