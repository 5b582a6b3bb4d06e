policy import graph-bad-address.json
