simulate --input mistyped-year.jsonl --keep-going
