render --input no-such-instance.json
