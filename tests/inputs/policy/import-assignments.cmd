policy import graph-assignments.json
