simulate --input bad-lines.jsonl
