policy import real/graph-beta-get-policy-directoryrole.json
