eval --event activation-completed --scope entra-role --policy policy-tenant.json --explain
