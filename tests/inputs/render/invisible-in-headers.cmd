render --input invisible-in-headers.json --format eml
