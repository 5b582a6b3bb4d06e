render --rules account-provisioning --input provisioning-more.json --format eml
