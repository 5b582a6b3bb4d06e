policy import broken/next-link.json
