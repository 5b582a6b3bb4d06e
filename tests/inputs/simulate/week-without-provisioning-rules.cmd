simulate --input ../../../examples/week/events.jsonl
