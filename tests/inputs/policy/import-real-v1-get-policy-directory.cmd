policy import real/graph-v1-get-policy-directory.json
