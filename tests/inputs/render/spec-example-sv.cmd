render --input spec-example.json --locale sv
