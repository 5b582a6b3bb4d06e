simulate --input bad-lines.jsonl --keep-going --format text
