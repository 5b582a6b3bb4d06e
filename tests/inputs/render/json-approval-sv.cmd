render --input approval.json --format json --locale sv
