policy import real/graph-beta-list-policyassignments-expand-group-owner.json
