policy import real/graph-v1-list-roledefinitions-directory.json
