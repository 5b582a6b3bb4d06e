policy import broken/recipient-type-mismatch.json
