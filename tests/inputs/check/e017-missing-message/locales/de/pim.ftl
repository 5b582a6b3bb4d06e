welcome = Willkommen, { $assignee }!
