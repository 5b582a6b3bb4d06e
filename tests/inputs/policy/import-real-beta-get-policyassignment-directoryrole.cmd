policy import real/graph-beta-get-policyassignment-directoryrole.json
