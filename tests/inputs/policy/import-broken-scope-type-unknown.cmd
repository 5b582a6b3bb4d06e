policy import broken/scope-type-unknown.json
