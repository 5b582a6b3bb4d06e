policy import real/graph-beta-get-rule-expiration-directoryrole.json
