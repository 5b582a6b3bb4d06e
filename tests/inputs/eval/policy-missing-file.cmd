eval --event approval-pending --scope entra-role --policy no-such-policy.json
