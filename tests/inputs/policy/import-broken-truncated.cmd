policy import broken/truncated.json
