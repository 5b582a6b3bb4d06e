render --input unknown-class.json
