policy import real/graph-beta-list-policyassignments-directory.json
