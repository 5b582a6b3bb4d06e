render --input spec-example.json
