policy import real/graph-beta-list-policyassignments-group.json
