simulate --input bad-lines.jsonl --approval-delay 5x
