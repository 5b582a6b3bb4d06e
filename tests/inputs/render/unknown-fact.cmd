render --input unknown-fact.json
