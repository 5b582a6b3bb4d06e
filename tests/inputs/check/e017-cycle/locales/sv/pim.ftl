welcome = Välkommen, { $assignee }
farewell = Hej då, { $assignee }
