audit real/graph-v1-list-policyassignments-expand-directoryrole.json
