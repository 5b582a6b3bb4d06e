policy import broken/arm-scope-invalid.json
