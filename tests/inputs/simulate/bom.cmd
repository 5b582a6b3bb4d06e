simulate --input bom.jsonl --directory bom-directory.json --format text
