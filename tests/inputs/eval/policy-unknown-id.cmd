eval --event approval-pending --scope entra-role --policy policy-unknown-id.json
