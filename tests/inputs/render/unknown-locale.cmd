render --input spec-example.json --locale de
