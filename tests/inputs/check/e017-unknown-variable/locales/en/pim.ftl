-company = { $case ->
       *[plain] Contoso
        [possessive] Contoso's
    }
-desk = the { $site } help desk
welcome = Welcome to { -company }, { $asignee }!
    .summary = { $site ->
        [hq] { $role } starts at { -company(case: "possessive") } head office; ask { -desk }.
       *[other] { $role } starts at a branch: { directions }
    }
    .action = Open your profile
    .link = https://myaccount.contoso.com/{ $assignee }
directions = ask { $manager } the way
email-because = You receive this as { $classes } about { $title }.
scope-tenant = The { $scope-label }
