audit real/graph-v1-list-policyassignments-expand-directoryrole.json --role-definitions role-definitions.json --format json
