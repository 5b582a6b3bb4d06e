render --input at-past-9999.json
