simulate --input ../../../examples/week/events.jsonl --set cloud=mars
