policy import real/graph-v1-get-policy-expand-effectiverules-rules.json
