render --input bom-bad-json.json
