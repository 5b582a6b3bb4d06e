eval --event approval-pending --scope entra-role --policy policy-tenant.json --explain
