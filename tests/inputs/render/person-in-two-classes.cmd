render --input two-classes.json
