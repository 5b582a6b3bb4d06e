policy import real/graph-beta-list-roledefinitions-directory.json
