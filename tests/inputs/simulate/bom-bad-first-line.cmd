simulate --input bom-bad-first-line.jsonl
