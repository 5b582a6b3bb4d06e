render --input approval.json --format eml --locale sv
