policy import real/graph-beta-get-policy-group.json
