render --input digest.json --format eml
