welcome = Välkommen till { -company }, { $assignee }!
-company = Contoso
