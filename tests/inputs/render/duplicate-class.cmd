render --input duplicate-class.json
