policy import real/graph-v1-get-rule-expiration.json
