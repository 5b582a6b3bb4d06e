render --input header-injection.json --format eml
