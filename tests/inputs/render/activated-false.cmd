render --input activated.json
