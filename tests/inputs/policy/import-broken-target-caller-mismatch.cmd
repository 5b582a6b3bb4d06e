policy import broken/target-caller-mismatch.json
