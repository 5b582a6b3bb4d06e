policy import real/graph-beta-list-policies-directoryrole.json
