policy import broken/deep-nesting.json
