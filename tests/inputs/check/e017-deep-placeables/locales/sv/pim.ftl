welcome = Välkommen, { $assignee }
