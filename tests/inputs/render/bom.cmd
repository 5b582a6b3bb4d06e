render --input bom.json
