simulate --input duplicate-at.jsonl
