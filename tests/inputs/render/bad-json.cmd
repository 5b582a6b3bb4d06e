render --input bad-json.json
