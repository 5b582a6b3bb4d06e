policy import real/graph-beta-list-policyassignments-expand-directoryrole.json
