simulate --input bom.jsonl --directory bom-bad-directory.json
