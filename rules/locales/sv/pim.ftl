# Svensk text för e-postmeddelandena från alla medföljande regeluppsättningar (Project Fluent).
# Swedish wording of the emails of every shipped rule set, with the terms of the Swedish PIM
# document (seed 003): "tilldelades rollen … permanent", "upphör att gälla", "utökas",
# "förnyas", "berättigad", "godkännare". Structure and variables as in `en/pim.ftl`.

## Delarna i varje e-postmeddelande

email-subject = { $prefix }{ $title }
email-details = Information
email-because = Du får det här e-postmeddelandet som: { $classes }.
email-footer = Det här meddelandet skickades från en adress som inte övervakas. Svara inte på det.
email-missing = (uppgift saknas)
email-field-assignee = Tilldelad
email-field-requestor = Begärd av
email-field-approver = Godkännare
email-field-role = Roll
email-field-scope = Omfång
email-field-resource = Resurs
email-field-organization = Organisation
email-field-application = Program
email-field-start = Start
email-field-end = Slut
email-field-justification = Motivering
email-field-more-failures = Fler fel sedan förra e-postmeddelandet
email-field-users-activated = Användare aktiverade
email-field-users-made-permanent = Användare som gjorts permanenta
email-field-assignments-in-pim = Rolltilldelningar i Privileged Identity Management
email-field-assignments-outside-pim = Rolltilldelningar utanför PIM
email-field-top-roles = Dina topproller

## Mottagarklasser och omfång

class-privileged-role-administrator = Privilegierad rolladministratör
class-security-administrator = Säkerhetsadministratör
class-global-administrator = Global administratör
class-permanent-owner = Ägare (permanent)
class-eligible-owner = Ägare (berättigad)
class-user-access-administrator = Administratör för användaråtkomst
class-assignee = Tilldelad (slutanvändare)
class-approver = Godkännare
class-reviewer = Åtkomstgranskare
class-additional = Ytterligare mottagare
class-provisioning-contact = Mottagare av etableringsaviseringar
scope-entra-role = Microsoft Entra-roller
scope-azure-resource = Azure-resursroller
scope-group = PIM för grupper
scope-app-provisioning = Användaretablering till ett SaaS-program

## Gemensamma delar

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
# "Den berättigade tilldelningen"
the-assignment = { $assignment ->
        [active] Den aktiva tilldelningen
        [eligible] Den berättigade tilldelningen
       *[other] Tilldelningen
    }

## Godkännanden

approval-pending = { $requestor } begär godkännande för att aktivera rollen { $role }
    .summary = Granska begäran och godkänn eller neka den. Rollen kan inte användas förrän en godkännare har beslutat.
    .action = Godkänn eller neka begäran
    .link = { link-approvals }

request-approved = Begäran godkänd: { $assignee } kan aktivera rollen { $role }
    .summary = Aktiveringsbegäran har godkänts. Ingen ytterligare åtgärd krävs.
    .action = Visa godkännandehistorik
    .link = { link-approvals }

request-denied = Begäran nekad: { $assignee } kan inte aktivera rollen { $role }
    .summary = En godkännare nekade aktiveringsbegäran. Rollen förblir inaktiv.
    .action = Visa godkännandehistorik
    .link = { link-approvals }

## Aktiveringar

activation-completed = { $assignee } aktiverade rollen { $role }
    .summary = { $recipient ->
        [assignee] Begäran om rollaktivering har slutförts: du kan nu använda rollens behörigheter.
       *[other] Begäran om rollaktivering har slutförts och rollens behörigheter används.
    }
    .action = { $recipient ->
        [assignee] Visa mina roller
       *[other] Visa rolltilldelningar
    }
    .link = { $recipient ->
        [assignee] { link-my-roles }
       *[other] { link-assignments }
    }

role-activated = Rollen { $role } är aktiv för { $assignee }
    .summary = En godkänd aktiveringsbegäran gjorde rollen aktiv. Granska aktiviteten om du inte väntade dig den.
    .action = Visa rolltilldelningar
    .link = { link-assignments }

## Tilldelningar

role-assigned = { $assignment ->
        [active] { $duration ->
            [permanent] { $assignee } tilldelades rollen { $role } permanent
            [time-bound] { $assignee } tilldelades rollen { $role } tidsbegränsat
           *[other] { $assignee } tilldelades rollen { $role }
        }
        [eligible] { $duration ->
            [permanent] { $assignee } blev permanent berättigad till rollen { $role }
            [time-bound] { $assignee } blev tidsbegränsat berättigad till rollen { $role }
           *[other] { $assignee } blev berättigad till rollen { $role }
        }
       *[other] { $assignee } tilldelades rollen { $role }
    }
    .summary = { $assignment ->
        [active] Rollens behörigheter kan användas direkt.
        [eligible] Rollen måste aktiveras innan dess behörigheter kan användas.
       *[other] Dina rolltilldelningar visar vad rollen tillåter.
    }
    .action = { $recipient ->
        [assignee] Visa mina roller
       *[other] Visa rolltilldelningar
    }
    .link = { $recipient ->
        [assignee] { link-my-roles }
       *[other] { link-assignments }
    }

role-expiring = { the-assignment } av rollen { $role } till { $assignee } upphör snart att gälla
    .summary = { $recipient ->
        [assignee] Begär en utökning om du fortfarande behöver rollen.
       *[other] Utöka tilldelningen om den fortfarande behövs.
    }
    .action = { $recipient ->
        [assignee] Utöka
       *[other] Visa rolltilldelningar
    }
    .link = { $recipient ->
        [assignee] { link-my-roles }
       *[other] { link-assignments }
    }

role-expired = { the-assignment } av rollen { $role } till { $assignee } har upphört att gälla
    .summary = { $recipient ->
        [assignee] Du kan inte längre använda rollen. Begär en förnyelse om du fortfarande behöver den.
       *[other] Rollens behörigheter är inte längre beviljade.
    }
    .action = { $recipient ->
        [assignee] Förnya
       *[other] Visa rolltilldelningar
    }
    .link = { $recipient ->
        [assignee] { link-my-roles }
       *[other] { link-assignments }
    }

extension-eligible = { the-assignment } av rollen { $role } till { $assignee } kan utökas
    .summary = Tilldelningen upphör snart att gälla och kan utökas.
    .action = Utöka
    .link = { link-assignments }

extension-requested = { $requestor } begär att rollen { $role } utökas
    .summary = Granska begäran och godkänn eller neka utökningen.
    .action = Godkänn eller neka begäran
    .link = { link-approvals }

role-extended = { the-assignment } av rollen { $role } till { $assignee } har utökats
    .summary = En administratör utökade tilldelningen.
    .action = { $recipient ->
        [assignee] Visa mina roller
       *[other] Visa rolltilldelningar
    }
    .link = { $recipient ->
        [assignee] { link-my-roles }
       *[other] { link-assignments }
    }

role-renewed = { $assignee } förnyade rollen { $role }
    .summary = Den utgångna tilldelningen har förnyats.
    .action = Visa rolltilldelningar
    .link = { link-assignments }

## Administration

pim-enabled = Privileged Identity Management är aktiverat
    .summary = Privileged Identity Management hanterar nu organisationens privilegierade roller. Granska vem som har vilken roll och gör stående åtkomst berättigad.
    .action = Kom igång
    .link = https://portal.azure.com/#view/Microsoft_Azure_PIMCommon/CommonMenuBlade/~/quickStart

weekly-digest = Veckovis sammanfattning från Privileged Identity Management
    .summary = Se veckans aktiveringar, användare som gjorts permanenta, rolltilldelningar i och utanför Privileged Identity Management samt organisationens fem främsta roller.
    .action = Vidta åtgärder
    .link = https://portal.azure.com/#view/Microsoft_Azure_PIMCommon/CommonMenuBlade/~/DiscoveryAndInsights

alert = { $alert-type ->
        [admins-not-using-roles] Administratörer använder inte sina privilegierade roller
        [no-mfa-on-activation] Roller kräver inte multifaktorautentisering för aktivering
        [no-p2-license] Organisationen har inte Microsoft Entra ID P2 eller Microsoft Entra ID Governance
        [stale-accounts] Potentiellt inaktuella konton i en privilegierad roll
        [too-many-global-admins] Det finns för många globala administratörer
        [roles-activated-too-frequently] Roller aktiveras för ofta
        [too-many-owners] För många ägare har tilldelats en resurs
        [too-many-permanent-owners] För många permanenta ägare har tilldelats en resurs
        [duplicate-role-created] En dubblettroll har skapats
       *[roles-assigned-outside-pim] Roller tilldelas utanför Privileged Identity Management
    }
    .summary = Privileged Identity Management har utlöst en säkerhetsavisering. Granska den och vidta den rekommenderade åtgärden.
    .action = Granska aviseringen
    .link = { link-alerts }

## Åtkomstgranskningar

access-review-started = { $recipient ->
        [assignee] Granska din åtkomst till rollen { $role }
       *[other] Åtkomstgranskning har startat: { $role }
    }
    .summary = { $recipient ->
        [assignee] Bekräfta om du fortfarande behöver rollen innan granskningen avslutas.
       *[other] Granska vem som har rollen och godkänn eller neka fortsatt åtkomst innan granskningen avslutas.
    }
    .action = Starta granskningen
    .link = { link-access-reviews }

access-review-completed = Åtkomstgranskning slutförd: { $role }
    .summary = Granskningen är slutförd och dess beslut har tillämpats.
    .action = Visa resultatet
    .link = { link-access-reviews }

## Kontoetablering

provisioning-failure = Etableringen till { $application } kräver din uppmärksamhet
    .summary = Ett kritiskt problem stoppade användaretableringen till programmet, till exempel ett utgånget lösenord för kontot som utbyter data med det. Du får högst ett sådant e-postmeddelande per dag för varje program.
    .action = Visa etableringsloggar
    .link = https://portal.azure.com/#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/ProvisioningEvents
