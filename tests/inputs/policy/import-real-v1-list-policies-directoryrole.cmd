policy import real/graph-v1-list-policies-directoryrole.json
