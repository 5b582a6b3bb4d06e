simulate --rules entra-pim --rules account-provisioning --input ../../../examples/week/events.jsonl --directory ../../../examples/week/directory.json --format text
