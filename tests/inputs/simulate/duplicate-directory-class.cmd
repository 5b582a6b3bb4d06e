simulate --input bom.jsonl --directory duplicate-directory-class.json
