render --input approval.json --format html
