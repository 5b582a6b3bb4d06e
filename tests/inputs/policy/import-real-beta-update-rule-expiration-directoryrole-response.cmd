policy import real/graph-beta-update-rule-expiration-directoryrole-response.json
