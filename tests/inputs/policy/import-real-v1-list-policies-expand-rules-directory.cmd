policy import real/graph-v1-list-policies-expand-rules-directory.json
