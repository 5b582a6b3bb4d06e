welcome = { greeting.formal }, { $assignee }: welcome to { -company }
    .summary = { greeting.casual }! { -company-name } has { NUMBER($role) } for you; { onboarding }
    .action = { -company.gender ->
        [neuter] Review the approvals
       *[other] { welcome-action }
    }
    .link = { link-approvals }
onboarding =
    .steps = Read the handbook.
