welcome = Välkommen, { $assignee }!
    .summary = Din roll { $role } är klar.

broken = { $assignee
