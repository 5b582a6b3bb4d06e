policy import real/graph-beta-list-policies-group-rules-select-id.json
