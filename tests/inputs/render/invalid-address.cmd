render --input invalid-address.json
