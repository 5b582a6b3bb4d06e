render --input digest.json --format eml --locale sv
