render --input duplicate-fact.json
