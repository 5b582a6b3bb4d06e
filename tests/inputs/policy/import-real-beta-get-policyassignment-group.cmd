policy import real/graph-beta-get-policyassignment-group.json
