policy import real/graph-v1-list-policyassignments-group.json
