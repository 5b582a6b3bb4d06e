simulate --input ../../../examples/week/events.jsonl --directory bad-directory.json
