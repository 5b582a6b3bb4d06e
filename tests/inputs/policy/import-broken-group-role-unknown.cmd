policy import broken/group-role-unknown.json
