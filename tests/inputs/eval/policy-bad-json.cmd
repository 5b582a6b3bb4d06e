eval --event approval-pending --scope entra-role --policy policy-bad-json.json
