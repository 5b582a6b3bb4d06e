plan real/graph-v1-list-policyassignments-expand-directoryrole.json plan-desired.pimrules --role-definitions role-definitions.json --format json
