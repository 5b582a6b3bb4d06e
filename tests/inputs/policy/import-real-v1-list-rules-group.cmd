policy import real/graph-v1-list-rules-group.json
