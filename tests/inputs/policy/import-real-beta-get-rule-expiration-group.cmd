policy import real/graph-beta-get-rule-expiration-group.json
