policy import real/graph-beta-update-rule-legacy-placeholder-request.json
