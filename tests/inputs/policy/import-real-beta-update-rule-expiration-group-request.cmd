policy import real/graph-beta-update-rule-expiration-group-request.json
