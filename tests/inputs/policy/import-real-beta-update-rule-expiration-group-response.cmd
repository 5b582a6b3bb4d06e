policy import real/graph-beta-update-rule-expiration-group-response.json
