policy import real/graph-v1-list-rules-directoryrole.json
