# English wording of the emails of every shipped rule set (Project Fluent syntax).
#
# A template's message: its value is the subject (after the rule set's prefix) and the heading;
# .summary is the sentence under the heading; .action and .link make the button. Selectors on
# $recipient (the recipient's first class), $scope and the facts ($assignment, $duration,
# $alert-type, …) choose the wording. See `src/render/content.rs` for every variable.
#
# The links point at the Azure portal's PIM pages. They are illustrative: they show where an
# email leads, not addresses Microsoft guarantees.

## The parts of every email

email-subject = { $prefix }{ $title }
email-details = Details
email-because = You receive this email as: { $classes }.
email-footer = This notification was sent from an unmonitored address. Please don't reply to this email.
email-missing = (not given)
email-field-assignee = Assignee
email-field-requestor = Requested by
email-field-approver = Approver
email-field-role = Role
email-field-scope = Scope
email-field-resource = Resource
email-field-organization = Organization
email-field-application = Application
email-field-start = Start
email-field-end = End
email-field-justification = Justification
# Counts: provisioning's daily limit, and the weekly digest's tiles and top roles
email-field-more-failures = More failures since the last email
email-field-users-activated = Users activated
email-field-users-made-permanent = Users made permanent
email-field-assignments-in-pim = Role assignments in Privileged Identity Management
email-field-assignments-outside-pim = Role assignments outside of PIM
email-field-top-roles = Your top roles

## Shared pieces

# The part of a PIM portal link that names the kind of role.
pim-blade = { $scope ->
        [azure-resource] azurerbac
        [group] aadgroup
       *[other] aadmigratedroles
    }
link-approvals = https://portal.azure.com/#view/Microsoft_Azure_PIMCommon/ApproveRequestMenuBlade/~/{ pim-blade }
link-my-roles = https://portal.azure.com/#view/Microsoft_Azure_PIMCommon/ActivationMenuBlade/~/{ pim-blade }
link-assignments = https://portal.azure.com/#view/Microsoft_Azure_PIMCommon/CommonMenuBlade/~/{ pim-blade }
link-alerts = https://portal.azure.com/#view/Microsoft_Azure_PIMCommon/AlertsMenuBlade/~/{ pim-blade }
link-access-reviews = https://myaccess.microsoft.com/#/access-reviews
# "Alain Charon's eligible assignment"
the-assignment = { $assignment ->
        [active] { $assignee }'s active assignment
        [eligible] { $assignee }'s eligible assignment
       *[other] { $assignee }'s assignment
    }

## Approvals

approval-pending = { $requestor } requests approval to activate the { $role } role
    .summary = Review the request, then approve or deny it. The role can't be used until an approver decides.
    .action = Approve or deny request
    .link = { link-approvals }

request-approved = Request approved: { $assignee } can activate the { $role } role
    .summary = The activation request was approved. No further action is needed.
    .action = View approval history
    .link = { link-approvals }

request-denied = Request denied: { $assignee } can't activate the { $role } role
    .summary = An approver denied the activation request. The role stays inactive.
    .action = View approval history
    .link = { link-approvals }

## Activations

activation-completed = { $assignee } activated the { $role } role
    .summary = { $recipient ->
        [assignee] Your role activation request is complete: you can now use the role's permissions.
       *[other] The role activation request is complete and the role's permissions are in use.
    }
    .action = { $recipient ->
        [assignee] View my roles
       *[other] View role assignments
    }
    .link = { $recipient ->
        [assignee] { link-my-roles }
       *[other] { link-assignments }
    }

role-activated = The { $role } role is active for { $assignee }
    .summary = An approved activation request made the role active. Review the activity if you didn't expect it.
    .action = View role assignments
    .link = { link-assignments }

## Assignments

role-assigned = { $assignment ->
        [active] { $duration ->
            [permanent] { $assignee } was permanently assigned the { $role } role
            [time-bound] { $assignee } was assigned the { $role } role for a limited time
           *[other] { $assignee } was assigned the { $role } role
        }
        [eligible] { $duration ->
            [permanent] { $assignee } was made permanently eligible for the { $role } role
            [time-bound] { $assignee } was made eligible for the { $role } role for a limited time
           *[other] { $assignee } was made eligible for the { $role } role
        }
       *[other] { $assignee } was assigned the { $role } role
    }
    .summary = { $assignment ->
        [active] The role's permissions can be used right away.
        [eligible] The role must be activated before its permissions can be used.
       *[other] Your role assignments show what the role allows.
    }
    .action = { $recipient ->
        [assignee] View my roles
       *[other] View role assignments
    }
    .link = { $recipient ->
        [assignee] { link-my-roles }
       *[other] { link-assignments }
    }

role-expiring = { the-assignment } to the { $role } role expires soon
    .summary = { $recipient ->
        [assignee] Request an extension if you still need the role.
       *[other] Extend the assignment if it's still needed.
    }
    .action = { $recipient ->
        [assignee] Extend
       *[other] View role assignments
    }
    .link = { $recipient ->
        [assignee] { link-my-roles }
       *[other] { link-assignments }
    }

role-expired = { the-assignment } to the { $role } role has expired
    .summary = { $recipient ->
        [assignee] You can no longer use the role. Request a renewal if you still need it.
       *[other] The role's permissions are no longer granted.
    }
    .action = { $recipient ->
        [assignee] Renew
       *[other] View role assignments
    }
    .link = { $recipient ->
        [assignee] { link-my-roles }
       *[other] { link-assignments }
    }

extension-eligible = { the-assignment } to the { $role } role can be extended
    .summary = The assignment ends soon and is eligible for an extension.
    .action = Extend
    .link = { link-assignments }

extension-requested = { $requestor } requests an extension of the { $role } role
    .summary = Review the request, then approve or deny the extension.
    .action = Approve or deny request
    .link = { link-approvals }

role-extended = { the-assignment } to the { $role } role was extended
    .summary = An administrator extended the assignment.
    .action = { $recipient ->
        [assignee] View my roles
       *[other] View role assignments
    }
    .link = { $recipient ->
        [assignee] { link-my-roles }
       *[other] { link-assignments }
    }

role-renewed = { $assignee } renewed the { $role } role
    .summary = The expired assignment was renewed.
    .action = View role assignments
    .link = { link-assignments }

## Administration

pim-enabled = Privileged Identity Management is enabled
    .summary = Privileged Identity Management now manages your organization's privileged roles. Review who holds which role and make standing access eligible.
    .action = Get started
    .link = https://portal.azure.com/#view/Microsoft_Azure_PIMCommon/CommonMenuBlade/~/quickStart

weekly-digest = Your weekly Privileged Identity Management digest
    .summary = See this week's activations, users made permanent, role assignments in and outside Privileged Identity Management, and your organization's top five roles.
    .action = Take action
    .link = https://portal.azure.com/#view/Microsoft_Azure_PIMCommon/CommonMenuBlade/~/DiscoveryAndInsights

alert = { $alert-type ->
        [admins-not-using-roles] Administrators aren't using their privileged roles
        [no-mfa-on-activation] Roles don't require multifactor authentication for activation
        [no-p2-license] The organization doesn't have Microsoft Entra ID P2 or Microsoft Entra ID Governance
        [stale-accounts] Potential stale accounts in a privileged role
        [too-many-global-admins] There are too many Global Administrators
        [roles-activated-too-frequently] Roles are being activated too frequently
        [too-many-owners] Too many owners assigned to a resource
        [too-many-permanent-owners] Too many permanent owners assigned to a resource
        [duplicate-role-created] Duplicate role created
       *[roles-assigned-outside-pim] Roles are being assigned outside of Privileged Identity Management
    }
    .summary = Privileged Identity Management raised a security alert. Review it and take the recommended action.
    .action = Review alert
    .link = { link-alerts }

## Access reviews

access-review-started = { $recipient ->
        [assignee] Review your access to the { $role } role
       *[other] Access review started: { $role }
    }
    .summary = { $recipient ->
        [assignee] Confirm whether you still need the role before the review ends.
       *[other] Review who holds the role and approve or deny their continued access before the review ends.
    }
    .action = Start review
    .link = { link-access-reviews }

access-review-completed = Access review completed: { $role }
    .summary = The review is complete and its decisions have been applied.
    .action = View results
    .link = { link-access-reviews }

## Account provisioning

provisioning-failure = Provisioning to { $application } needs your attention
    .summary = A critical issue stopped user provisioning to the application, for example an expired password of the account that exchanges data with it. You receive at most one such email per day for each application.
    .action = View provisioning logs
    .link = https://portal.azure.com/#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/ProvisioningEvents
