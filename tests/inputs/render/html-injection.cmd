render --input html-injection.json --format html
