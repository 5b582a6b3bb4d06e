plan real/graph-v1-list-policyassignments-expand-directoryrole.json real/graph-v1-list-policyassignments-expand-directoryrole.json
