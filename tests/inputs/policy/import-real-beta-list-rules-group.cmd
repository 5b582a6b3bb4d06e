policy import real/graph-beta-list-rules-group.json
