simulate --input no-such-log.jsonl
