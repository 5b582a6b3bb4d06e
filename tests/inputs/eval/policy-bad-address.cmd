eval --event role-assigned --scope azure-resource --policy policy-bad-address.json
