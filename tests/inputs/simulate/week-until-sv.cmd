simulate --rules entra-pim --rules account-provisioning --input ../../../examples/week/events.jsonl --directory ../../../examples/week/directory.json --locale sv --until 2025-01-13T00:00:00Z
