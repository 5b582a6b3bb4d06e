policy import real/graph-beta-list-rules-directoryrole.json
