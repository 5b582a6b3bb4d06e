policy import graph-rules-response.json
