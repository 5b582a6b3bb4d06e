render --rules account-provisioning --input provisioning.json --format eml --locale sv
