policy import real/graph-v1-get-policyassignment-expand-directory.json
