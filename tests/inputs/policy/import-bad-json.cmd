policy import graph-bad-json.json
