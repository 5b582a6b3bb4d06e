policy import graph-unknown-rule.json
