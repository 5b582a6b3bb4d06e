policy import real/graph-v1-update-rule-expiration-request.json
