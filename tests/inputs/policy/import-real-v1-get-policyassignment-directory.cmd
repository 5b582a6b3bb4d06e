policy import real/graph-v1-get-policyassignment-directory.json
