policy import real/graph-v1-list-rules-directoryrole.json --role-definitions real/graph-v1-list-rules-group.json
