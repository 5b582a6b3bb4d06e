simulate --input bad-lines.jsonl --until tomorrow
