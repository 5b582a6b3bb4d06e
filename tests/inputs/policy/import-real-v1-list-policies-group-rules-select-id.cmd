policy import real/graph-v1-list-policies-group-rules-select-id.json
