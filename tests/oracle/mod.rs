//! Reference oracle: who the source documents (seeds 000–004, summarised by SPEC section 4) say is emailed.
//! Written from the documents alone (std only, no `.pimrules` file, no `pimrules` crate) to check the compiler against.
#![allow(dead_code)]

// Sources, as cited in the comments below:
//   000 = "Email notifications in PIM", 2018-09-07        (rule set `entra-pim-2018`)
//   001 = "Email notifications in PIM", 2025-01-07        (rule set `entra-pim`, the current behaviour)
//   002 = "Who gets PIM notifications?", 2025 article     (secondary: used only where 001 does not contradict it)
//   003 = Swedish translation of an older revision of 001 (wording only; never a source of recipients here)
//   004 = "Account provisioning notifications", 2017      (rule set `account-provisioning`)
//   SPEC = /work/shared/SPEC.md sections 3 and 4, plus the project's decisions on the policy overlay.
//
// Principle: `Sent` / `NotSent` only where a sentence says so; everything else is `Unspecified`.

use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// Interface
// ---------------------------------------------------------------------------------------------

/// What the documents say about one recipient class for one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Sent,
    NotSent,
    Unspecified,
}

impl Verdict {
    /// `Sent` when `cond` holds, `NotSent` otherwise (for statements that are exact both ways).
    pub fn sent_if(cond: bool) -> Verdict {
        if cond {
            Verdict::Sent
        } else {
            Verdict::NotSent
        }
    }

    /// Three-valued "or": `Sent` if either is `Sent`, `NotSent` if both are, else `Unspecified`.
    pub fn or(self, other: Verdict) -> Verdict {
        match (self, other) {
            (Verdict::Sent, _) | (_, Verdict::Sent) => Verdict::Sent,
            (Verdict::NotSent, Verdict::NotSent) => Verdict::NotSent,
            _ => Verdict::Unspecified,
        }
    }
}

/// One question: an event in a scope, under a rule set, with every fact set.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    /// `entra-pim` | `entra-pim-2018` | `account-provisioning`
    pub ruleset: &'a str,
    /// `entra-role` | `azure-resource` | `group` | `app-provisioning`
    pub scope: &'a str,
    /// One of [`EVENTS`].
    pub event: &'a str,
    /// Every fact of [`FACTS`] (a missing one reads as its default); bools as `"true"` / `"false"`.
    pub facts: &'a BTreeMap<String, String>,
    /// The tenant policy overlay; `None` means Graph's defaults. Only `entra-pim` reads it.
    pub policy: Option<&'a [GraphNotificationRule]>,
}

/// One Graph `unifiedRoleManagementPolicyNotificationRule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphNotificationRule {
    /// `Notification_{Admin|Requestor|Approver}_{Admin_Eligibility|Admin_Assignment|EndUser_Assignment}`
    pub id: String,
    /// `notificationLevel`: `"None"` | `"Critical"` | `"All"`
    pub level: String,
    /// `isDefaultRecipientsEnabled`
    pub default_recipients: bool,
    /// `notificationRecipients`
    pub additional: Vec<String>,
}

impl GraphNotificationRule {
    pub fn new(id: &str, level: &str, default_recipients: bool, additional: &[&str]) -> Self {
        GraphNotificationRule {
            id: id.to_string(),
            level: level.to_string(),
            default_recipients,
            additional: additional.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// What a rule missing from a policy means (SPEC 4: "`All`, defaults on, no extras").
    pub fn graph_default(id: &str) -> Self {
        GraphNotificationRule::new(id, "All", true, &[])
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary (SPEC section 3, exactly)
// ---------------------------------------------------------------------------------------------

pub const RULESETS: &[&str] = &["entra-pim", "entra-pim-2018", "account-provisioning"];

pub const SCOPES: &[&str] = &["entra-role", "azure-resource", "group", "app-provisioning"];

pub const EVENTS: &[&str] = &[
    "approval-pending",
    "request-approved",
    "request-denied",
    "activation-completed",
    "role-activated",
    "role-assigned",
    "role-expiring",
    "role-expired",
    "extension-eligible",
    "extension-requested",
    "role-extended",
    "role-renewed",
    "pim-enabled",
    "weekly-digest",
    "alert",
    "access-review-started",
    "access-review-completed",
    "provisioning-failure",
];

pub const CLASSES: &[&str] = &[
    "privileged-role-administrator",
    "security-administrator",
    "global-administrator",
    "permanent-owner",
    "eligible-owner",
    "user-access-administrator",
    "assignee",
    "approver",
    "reviewer",
    "additional",
    "provisioning-contact",
];

const BOOL: &[&str] = &["false", "true"];

/// The Entra alerts, then the Azure-resource alerts (SPEC 3 order).
pub const ALERT_TYPES: &[&str] = &[
    "admins-not-using-roles",
    "no-mfa-on-activation",
    "no-p2-license",
    "stale-accounts",
    "roles-assigned-outside-pim",
    "too-many-global-admins",
    "roles-activated-too-frequently",
    "too-many-owners",
    "too-many-permanent-owners",
    "duplicate-role-created",
];

/// The first seven of [`ALERT_TYPES`]: SPEC 3 calls them "the Entra alerts".
pub const ENTRA_ALERT_TYPES: &[&str] = &[
    "admins-not-using-roles",
    "no-mfa-on-activation",
    "no-p2-license",
    "stale-accounts",
    "roles-assigned-outside-pim",
    "too-many-global-admins",
    "roles-activated-too-frequently",
];

/// (name, domain values, default), SPEC section 3. Bool facts have the domain `false`, `true`.
pub const FACTS: &[(&str, &[&str], &str)] = &[
    ("notifications-setting", &["enable", "disable"], "enable"),
    ("explicit-approvers", BOOL, "false"),
    ("cloud", &["public", "government", "china"], "public"),
    ("approved-before-first-email", BOOL, "false"),
    ("alert-enabled", BOOL, "true"),
    ("assignment", &["eligible", "active"], "eligible"),
    ("duration", &["permanent", "time-bound"], "permanent"),
    ("group-role", &["member", "owner"], "member"),
    ("alert-type", ALERT_TYPES, "roles-assigned-outside-pim"),
];

/// SPEC 3: "`approval-pending` (critical)", "`extension-requested` (critical)".
pub fn is_critical(event: &str) -> bool {
    matches!(event, "approval-pending" | "extension-requested")
}

// Recipient class names used by the model.
const PRA: &str = "privileged-role-administrator";
const SA: &str = "security-administrator";
const GA: &str = "global-administrator";
const PERMANENT_OWNER: &str = "permanent-owner";
const ELIGIBLE_OWNER: &str = "eligible-owner";
const UAA: &str = "user-access-administrator";
const ASSIGNEE: &str = "assignee";
const APPROVER: &str = "approver";
const REVIEWER: &str = "reviewer";
const ADDITIONAL: &str = "additional";
const PROVISIONING_CONTACT: &str = "provisioning-contact";

/// The three Microsoft Entra administrator classes (the rows of the 001 matrix).
pub const ENTRA_ADMINS: &[&str] = &[PRA, SA, GA];
/// 001: "*permanent* Owners, *eligible* Owners, and User Access Administrators".
pub const AZURE_RESOURCE_ADMINS: &[&str] = &[PERMANENT_OWNER, ELIGIBLE_OWNER, UAA];
/// 001: "*permanent* Owners only".
pub const GROUP_ADMINS: &[&str] = &[PERMANENT_OWNER];

/// The administrator classes of a scope (the policy's Admin row). Empty outside the PIM scopes.
pub fn admin_classes(scope: &str) -> &'static [&'static str] {
    match scope {
        "entra-role" => ENTRA_ADMINS,
        "azure-resource" => AZURE_RESOURCE_ADMINS,
        "group" => GROUP_ADMINS,
        _ => &[],
    }
}

// ---------------------------------------------------------------------------------------------
// Sender, subject, limits
// ---------------------------------------------------------------------------------------------

/// (display name, address) of a rule set's emails; `None` where no document names one.
pub fn sender(ruleset: &str) -> Option<(&'static str, &'static str)> {
    match ruleset {
        // 001: "Email address: MSSecurity-noreply@microsoft.com / Display name: Microsoft Security"
        "entra-pim" => Some(("Microsoft Security", "MSSecurity-noreply@microsoft.com")),
        // 000: "Email address: azure-noreply@microsoft.com / Display name: Microsoft Azure"
        "entra-pim-2018" => Some(("Microsoft Azure", "azure-noreply@microsoft.com")),
        // 004 never names the sender of provisioning emails.
        _ => None,
    }
}

/// The sender address a rule set's emails must no longer use, where a document says so.
pub fn deprecated_sender_address(ruleset: &str) -> Option<&'static str> {
    match ruleset {
        // 001: "The azure-noreply@microsoft.com has been deprecated and should no longer be sending PIM email
        // notifications"
        "entra-pim" => Some("azure-noreply@microsoft.com"),
        // 000: "Previously, email notifications had the following address: azureadnotifications@microsoft.com"
        // (display name "Microsoft Azure AD Notification Service")
        "entra-pim-2018" => Some("azureadnotifications@microsoft.com"),
        _ => None,
    }
}

/// The subject prefix of a rule set's emails; `None` where no document gives one.
pub fn subject_prefix(ruleset: &str) -> Option<&'static str> {
    match ruleset {
        // 001: "These emails include a PIM prefix in the subject line. ... PIM: Alain Charon was ..."
        // 000: "email notifications ... will have a PIM prefix in the subject line. ... PIM: Alain Charon was ..."
        "entra-pim" | "entra-pim-2018" => Some("PIM: "),
        // 004 says nothing about subjects.
        _ => None,
    }
}

/// The documented example subject (`role-assigned`, assignment = active, duration = permanent,
/// assignee "Alain Charon", role "Backup Reader"), per locale; `None` where undocumented.
pub fn example_subject(ruleset: &str, locale: &str) -> Option<&'static str> {
    match (ruleset, locale) {
        // 001: "PIM: Alain Charon was permanently assigned the Backup Reader role" (no final period)
        ("entra-pim", "en") => {
            Some("PIM: Alain Charon was permanently assigned the Backup Reader role")
        }
        // 003: "PIM: Alain Charon tilldelades rollen Säkerhetskopieringsläsare permanent" — 003 translated the
        // role name too; the role is instance data, so SPEC 4 keeps it: "PIM: Alain Charon tilldelades rollen Backup Reader permanent".
        ("entra-pim", "sv") => Some("PIM: Alain Charon tilldelades rollen Backup Reader permanent"),
        // 000: "PIM: Alain Charon was permanently assigned the Backup Reader role." (with a final period)
        ("entra-pim-2018", "en") => {
            Some("PIM: Alain Charon was permanently assigned the Backup Reader role.")
        }
        _ => None,
    }
}

/// The most recipients one event may email; `None` where no document gives a cap.
pub fn max_recipients(ruleset: &str) -> Option<usize> {
    match ruleset {
        // 001: "The maximum number of notifications sent per one event is 1000."
        "entra-pim" => Some(1000),
        // 000 and 004 give no cap.
        _ => None,
    }
}

/// 004: "you will only receive one notification email per day for each SaaS application".
pub fn provisioning_emails_per_application_per_day(ruleset: &str) -> Option<usize> {
    match ruleset {
        "account-provisioning" => Some(1),
        _ => None,
    }
}

/// 001: "Currently, 90% of emails take three to 10 minutes, but for 1% customers it can be longer,
/// up to 15 minutes." (the request approval engine's two emails), in minutes.
pub const APPROVAL_ENGINE_DELAY_TYPICAL_MINUTES: (u32, u32) = (3, 10);
pub const APPROVAL_ENGINE_DELAY_MAX_MINUTES: u32 = 15;

/// 001: the four tiles of the weekly digest, in the document's order.
pub const DIGEST_TILES: &[&str] = &[
    "Users activated",
    "Users made permanent",
    "Role assignments in Privileged Identity Management",
    "Role assignments outside of PIM",
];
/// 001: "lists the top five roles in your organization based on total number of permanent and eligible administrators".
pub const DIGEST_TOP_ROLES: usize = 5;

// ---------------------------------------------------------------------------------------------
// Facts
// ---------------------------------------------------------------------------------------------

/// The SPEC 3 default of a fact.
pub fn fact_default(name: &str) -> Option<&'static str> {
    FACTS
        .iter()
        .find(|(fact, _, _)| *fact == name)
        .map(|(_, _, default)| *default)
}

/// Every fact at its default.
pub fn default_facts() -> BTreeMap<String, String> {
    FACTS
        .iter()
        .map(|(name, _, default)| (name.to_string(), default.to_string()))
        .collect()
}

/// Every fact at its default except the given ones.
pub fn facts_with(overrides: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut facts = default_facts();
    for (name, value) in overrides {
        facts.insert(name.to_string(), value.to_string());
    }
    facts
}

/// Every assignment of every fact (the product of the domains, 3840 maps), in a fixed order.
pub fn fact_combinations() -> Vec<BTreeMap<String, String>> {
    let mut all = vec![BTreeMap::new()];
    for (name, values, _) in FACTS {
        let mut next = Vec::with_capacity(all.len() * values.len());
        for partial in &all {
            for value in *values {
                let mut facts = partial.clone();
                facts.insert(name.to_string(), value.to_string());
                next.push(facts);
            }
        }
        all = next;
    }
    all
}

/// Read-only view of a question's facts; a missing fact reads as its SPEC default.
#[derive(Clone, Copy)]
struct Facts<'a>(&'a BTreeMap<String, String>);

impl<'a> Facts<'a> {
    fn get(self, name: &str) -> &'a str {
        match self.0.get(name) {
            Some(value) => value.as_str(),
            None => fact_default(name).unwrap_or(""),
        }
    }

    fn is(self, name: &str, value: &str) -> bool {
        self.get(name) == value
    }

    fn flag(self, name: &str) -> bool {
        self.is(name, "true")
    }
}

// ---------------------------------------------------------------------------------------------
// The question
// ---------------------------------------------------------------------------------------------

/// What the documents say about whether `class` receives an email for this question.
pub fn verdict(q: &Question, class: &str) -> Verdict {
    let known = SCOPES.contains(&q.scope) && EVENTS.contains(&q.event) && CLASSES.contains(&class);
    if !known {
        return Verdict::Unspecified;
    }
    let facts = Facts(q.facts);
    match q.ruleset {
        "entra-pim" if class == ADDITIONAL => additional_2025(q.scope, q.event, facts, q.policy),
        "entra-pim" => {
            let base = documented_2025(q.scope, q.event, class, facts);
            match q.policy {
                Some(rules) => overlay(base, q.scope, q.event, class, facts, rules),
                None => base,
            }
        }
        // The policy overlay "applies to `entra-pim` only": the other rule sets ignore `q.policy`.
        "entra-pim-2018" => documented_2018(q.scope, q.event, class),
        "account-provisioning" => documented_provisioning(q.scope, q.event, class, facts),
        _ => Verdict::Unspecified,
    }
}

/// The verdict for every class, in [`CLASSES`] order.
pub fn verdicts(q: &Question) -> Vec<(&'static str, Verdict)> {
    CLASSES
        .iter()
        .map(|class| (*class, verdict(q, class)))
        .collect()
}

/// The classes the documents say are emailed.
pub fn sent_classes(q: &Question) -> Vec<&'static str> {
    verdicts(q)
        .into_iter()
        .filter(|(_, v)| *v == Verdict::Sent)
        .map(|(class, _)| class)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// entra-pim: documents 001 (and 002 where 001 is silent), without a policy
// ---------------------------------------------------------------------------------------------

/// 001: "PIM sends emails to *permanent* Owners, *eligible* Owners, and User Access Administrators when the
/// following events occur for Azure resource roles" — and the same six events for PIM for Groups.
const OWNER_EVENTS: &[&str] = &[
    "approval-pending",     // "When a role assignment is pending approval"
    "role-assigned",        // "When a role is assigned"
    "role-expiring",        // "When a role is soon to expire"
    "extension-eligible",   // "When a role is eligible to extend"
    "role-renewed",         // "When a role is renewed by an end user"
    "activation-completed", // "When a role activation request is completed"
];

/// 001: "Privileged Identity Management sends emails to end users when the following events occur for Azure
/// resource roles" (and the same four for PIM for Groups).
const END_USER_EVENTS: &[&str] = &[
    "role-assigned",        // "When a role is assigned to the user"
    "role-expired",         // "When a user's role is expired"
    "role-extended",        // "When a user's role is extended"
    "activation-completed", // "When a user's role activation request is completed"
];

/// Who the current documents email, before any tenant policy. Never called for `additional`.
fn documented_2025(scope: &str, event: &str, class: &str, f: Facts) -> Verdict {
    match scope {
        "entra-role" => entra_role_2025(event, class, f),
        "azure-resource" => azure_resource_2025(event, class, f),
        "group" => group_2025(event, class, f),
        // 001 covers Microsoft Entra roles, Azure resource roles and PIM for Groups only;
        // provisioning is document 004, its own rule set.
        _ => Verdict::Unspecified,
    }
}

/// 001 "Email timing for activation approvals": the approver's emails. The section is not tied to one
/// scope ("When users activate their role and the role setting requires approval"), so it holds for all
/// three PIM scopes. `None` when the section says nothing about this event.
fn approver_2025(event: &str, f: Facts) -> Option<Verdict> {
    match event {
        // 001: "approvers receive two emails for each approval: Request to approve or deny the user's activation
        //       request (sent by the request approval engine)"
        // 001: "If an approval request is approved in the Azure portal before the first email is sent, the first
        //       email isn't triggered and other approvers don't receive email notifications of the approval request."
        "approval-pending" => Some(Verdict::sent_if(!f.flag("approved-before-first-email"))),
        // 001: "The user's request is approved (sent by the request approval engine)"
        "request-approved" => Some(Verdict::Sent),
        _ => None,
    }
}

/// 002's end-user statements hold for "The user who has an eligible or time-bound assignment to a
/// privileged role"; for a permanent active assignee the article says nothing.
fn end_user_002(f: Facts) -> Verdict {
    if f.is("assignment", "eligible") || f.is("duration", "time-bound") {
        Verdict::Sent
    } else {
        Verdict::Unspecified
    }
}

/// Microsoft Entra roles: the 001 matrix (exact), the approval timing section, the weekly digest, and 002
/// where 001 is silent. 002 is applied to this scope only: the administrators it names are the Entra ones
/// ("Privileged Role Administrator, Global Administrator") and its settings live under "Microsoft Entra roles".
fn entra_role_2025(event: &str, class: &str, f: Facts) -> Verdict {
    let admin = ENTRA_ADMINS.contains(&class);
    match event {
        "approval-pending" => match class {
            // 001 matrix, Privileged Role Administrator: "Yes (only if no explicit approvers are specified)"
            PRA => Verdict::sent_if(!f.flag("explicit-approvers")),
            // 001 matrix, Security Administrator and Global Administrator: "No".
            // (002 "Role Activation Requests: Notifications are sent when a user requests to activate an eligible
            // role" to administrators contradicts these cells; 001 wins.)
            SA | GA => Verdict::NotSent,
            APPROVER => approver_2025(event, f).unwrap_or(Verdict::Unspecified),
            _ => Verdict::Unspecified,
        },
        "activation-completed" => match class {
            // 001 matrix, "Role activation request is completed": "Yes*" for all three administrators;
            // "* If the Notifications setting is set to Enable."
            _ if admin => Verdict::sent_if(f.is("notifications-setting", "enable")),
            // 002: "When their request to activate, extend, or renew a role has been completed."
            ASSIGNEE => end_user_002(f),
            _ => Verdict::Unspecified,
        },
        // 001 matrix, "PIM is enabled": "Yes" for all three administrators.
        "pim-enabled" if admin => Verdict::Sent,
        "request-approved" => match class {
            APPROVER => approver_2025(event, f).unwrap_or(Verdict::Unspecified),
            // 002 "Approval Decisions: All administrators and approvers receive a notification when an approval
            // request is approved or denied." For approvals 001 says what the administrators get instead:
            // "Global Administrators and Privileged Role Administrators receive an email for each approval: The
            // user's role is activated" — one email, `role-activated`. 001 wins; request-approved stays unsaid.
            _ => Verdict::Unspecified,
        },
        "request-denied" => match class {
            // 002 "Approval Resolved: Approvers are notified after a request is approved or denied by another
            // approver." (001 is silent on denials.)
            APPROVER => Verdict::Sent,
            // 002 "All administrators and approvers receive a notification when an approval request is approved
            // or denied." — 002's administrators are "Privileged Role Administrator, Global Administrator".
            PRA | GA => Verdict::Sent,
            _ => Verdict::Unspecified,
        },
        // 001: "Also, Global Administrators and Privileged Role Administrators receive an email for each approval:
        // The user's role is activated (sent by Privileged Identity Management)". 002 agrees ("Role Changes").
        "role-activated" if class == PRA || class == GA => Verdict::Sent,
        "role-extended" | "role-renewed" => match class {
            // 002 "Role Changes: Notifications alert administrators when a user's role is activated, extended, or renewed."
            PRA | GA => Verdict::Sent,
            // 002: "When their request to activate, extend, or renew a role has been completed."
            ASSIGNEE => end_user_002(f),
            _ => Verdict::Unspecified,
        },
        // 002: "When a privileged role has been assigned to them."
        "role-assigned" if class == ASSIGNEE => end_user_002(f),
        // 002: "When their eligibility to activate a role is about to expire."
        "role-expiring" if class == ASSIGNEE && f.is("assignment", "eligible") => end_user_002(f),
        // 002: "When their active role assignment has expired."
        "role-expired" if class == ASSIGNEE && f.is("assignment", "active") => end_user_002(f),
        // 001: "It's only available for Microsoft Entra organizations on the public cloud."
        "weekly-digest" if !f.is("cloud", "public") => Verdict::NotSent,
        // 001: "A weekly Privileged Identity Management summary email for Microsoft Entra roles is sent to Privileged
        // Role Administrators, Security Administrators, and Global Administrators that have enabled PIM."
        "weekly-digest" if admin => Verdict::Sent,
        "alert" => alert_2025("entra-role", class, f),
        "access-review-started" => match class {
            // 002 "Access Review Pending: Reviewers receive an email prompting them to perform their access review"
            REVIEWER => Verdict::Sent,
            // 002: "When they are part of an access review campaign, they are notified to review their own access."
            ASSIGNEE => end_user_002(f),
            _ => Verdict::Unspecified,
        },
        // 002 (under "The Reviewer"): "Review Completion: Notifications are sent once the review has been
        // completed and the decisions have been applied."
        "access-review-completed" if class == REVIEWER => Verdict::Sent,
        // extension-eligible, extension-requested, provisioning-failure, and every other class: no sentence.
        _ => Verdict::Unspecified,
    }
}

/// Azure resource roles (001), plus the approval timing section and the outside-PIM alert.
fn azure_resource_2025(event: &str, class: &str, f: Facts) -> Verdict {
    if event == "alert" {
        return alert_2025("azure-resource", class, f);
    }
    if let Some(v) = approver_2025(event, f).filter(|_| class == APPROVER) {
        return v;
    }
    // 001: "PIM sends emails to *permanent* Owners, *eligible* Owners, and User Access Administrators when the
    // following events occur for Azure resource roles: ..." (the list is not exclusive: other classes unsaid)
    if AZURE_RESOURCE_ADMINS.contains(&class) && OWNER_EVENTS.contains(&event) {
        return Verdict::Sent;
    }
    // 001: "Privileged Identity Management sends emails to end users when the following events occur for Azure
    // resource roles: ..."
    if class == ASSIGNEE && END_USER_EVENTS.contains(&event) {
        return Verdict::Sent;
    }
    Verdict::Unspecified
}

/// PIM for Groups (001).
fn group_2025(event: &str, class: &str, f: Facts) -> Verdict {
    // 001 approval timing section (scope-independent): approvers get the pending-approval email. It names
    // approvers explicitly, so the "permanent Owners only" sentence below does not exclude them.
    if let Some(v) = approver_2025(event, f).filter(|_| class == APPROVER) {
        return v;
    }
    // 001: "Privileged Identity Management sends emails to end users when the following events occur for PIM for
    // Groups role assignments: When an Owner or Member role is assigned to the user / ... is expired / ... is
    // extended / ... activation request is completed"
    if class == ASSIGNEE && END_USER_EVENTS.contains(&event) {
        return Verdict::Sent;
    }
    // 001: "Privileged Identity Management sends emails to *permanent* Owners only when the following events occur
    // for PIM for Groups assignments: ..." — explicit, so for these six events every class the sentence excludes
    // (and no other 001 sentence names for the event, see above) is NotSent: eligible Owners, User Access
    // Administrators, the Entra administrators, reviewers, and end users for the four events not in their list.
    if OWNER_EVENTS.contains(&event) {
        return Verdict::sent_if(class == PERMANENT_OWNER);
    }
    Verdict::Unspecified
}

/// `alert` in a PIM scope.
fn alert_2025(scope: &str, class: &str, f: Facts) -> Verdict {
    let alert_type = f.get("alert-type");
    if alert_type == "roles-assigned-outside-pim" {
        // SPEC 4: "Roles assigned outside PIM (...when `alert-enabled`): the Entra admin classes; owners and user
        // access administrators for Azure resources." Groups: no document.
        let recipients = match scope {
            "entra-role" => ENTRA_ADMINS,
            "azure-resource" => AZURE_RESOURCE_ADMINS,
            _ => return Verdict::Unspecified,
        };
        // 001: "Role assignments outside of PIM ... This alert and the accompanying email can be enabled or
        // disabled by opening the alert settings." Disabled: no email, for anyone.
        if !f.flag("alert-enabled") {
            return Verdict::NotSent;
        }
        // 002: "PIM is designed to detect and notify administrators of privileged role assignments that are made
        // outside of the PIM interface." (SPEC 4 lists the classes.)
        return if recipients.contains(&class) {
            Verdict::Sent
        } else {
            Verdict::Unspecified
        };
    }
    // 002 "Security Alerts: Administrators are notified of other suspicious or unsafe activities, such as roles
    // being activated too frequently or too many permanent Global Administrators existing." 002's administrators
    // are PRA and GA; only for the Entra alerts in the Entra scope, and only while the alert is enabled (what a
    // disabled alert of another type does is not written anywhere).
    if scope == "entra-role"
        && ENTRA_ALERT_TYPES.contains(&alert_type)
        && f.flag("alert-enabled")
        && (class == PRA || class == GA)
    {
        return Verdict::Sent;
    }
    Verdict::Unspecified
}

// ---------------------------------------------------------------------------------------------
// entra-pim: the tenant policy overlay (SPEC 4 + the project's decisions)
// ---------------------------------------------------------------------------------------------

/// The three sections of a PIM role policy's notification rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `…_Admin_Eligibility`: eligible assignments.
    EligibleAssignment,
    /// `…_Admin_Assignment`: active assignments.
    ActiveAssignment,
    /// `…_EndUser_Assignment`: activations.
    Activation,
}

impl Section {
    pub fn id_suffix(self) -> &'static str {
        match self {
            Section::EligibleAssignment => "Admin_Eligibility",
            Section::ActiveAssignment => "Admin_Assignment",
            Section::Activation => "EndUser_Assignment",
        }
    }
}

/// The three rows (recipient kinds) of a PIM role policy's notification rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Admin,
    Requestor,
    Approver,
}

impl Row {
    pub const ALL: [Row; 3] = [Row::Admin, Row::Requestor, Row::Approver];

    pub fn id_prefix(self) -> &'static str {
        match self {
            Row::Admin => "Admin",
            Row::Requestor => "Requestor",
            Row::Approver => "Approver",
        }
    }

    /// The classes of this row in a scope; empty outside the three PIM scopes.
    pub fn classes(self, scope: &str) -> &'static [&'static str] {
        if !matches!(scope, "entra-role" | "azure-resource" | "group") {
            return &[];
        }
        match self {
            Row::Admin => admin_classes(scope),
            Row::Requestor => &[ASSIGNEE],
            Row::Approver => &[APPROVER],
        }
    }
}

/// `Notification_{row}_{section}`.
pub fn policy_rule_id(row: Row, section: Section) -> String {
    format!("Notification_{}_{}", row.id_prefix(), section.id_suffix())
}

/// The policy section an event falls into; `None` for events outside the policy.
pub fn section_of(event: &str, facts: &BTreeMap<String, String>) -> Option<Section> {
    section_for(event, Facts(facts))
}

fn section_for(event: &str, f: Facts) -> Option<Section> {
    match event {
        "approval-pending"
        | "request-approved"
        | "request-denied"
        | "activation-completed"
        | "role-activated" => Some(Section::Activation),
        "role-assigned"
        | "role-expiring"
        | "role-expired"
        | "extension-eligible"
        | "extension-requested"
        | "role-extended"
        | "role-renewed" => {
            if f.is("assignment", "active") {
                Some(Section::ActiveAssignment)
            } else {
                Some(Section::EligibleAssignment)
            }
        }
        // pim-enabled, weekly-digest, alert, access reviews, provisioning: outside the policy.
        _ => None,
    }
}

/// The row of a class in a scope; `None` when the policy does not govern the class there.
pub fn row_of(scope: &str, class: &str) -> Option<Row> {
    Row::ALL
        .into_iter()
        .find(|row| row.classes(scope).contains(&class))
}

/// The rule for a row and section: the policy's (first with that id), or Graph's default when missing.
fn rule_for(rules: &[GraphNotificationRule], row: Row, section: Section) -> GraphNotificationRule {
    let id = policy_rule_id(row, section);
    rules
        .iter()
        .find(|rule| rule.id == id)
        .cloned()
        .unwrap_or_else(|| GraphNotificationRule::graph_default(&id))
}

/// Whether a rule's level lets the event through: `None` → no; `Critical` → only critical events;
/// `All` → yes. An unknown level string → `None` (unknown: the documents know three levels only).
fn level_passes(rule: &GraphNotificationRule, event: &str) -> Option<bool> {
    match rule.level.as_str() {
        "None" => Some(false),
        "Critical" => Some(is_critical(event)),
        "All" => Some(true),
        _ => None,
    }
}

/// A default class under a policy: the policy can only take recipients away.
fn overlay(
    base: Verdict,
    scope: &str,
    event: &str,
    class: &str,
    f: Facts,
    rules: &[GraphNotificationRule],
) -> Verdict {
    let (Some(section), Some(row)) = (section_for(event, f), row_of(scope, class)) else {
        // Outside the policy: "policy never changes them".
        return base;
    };
    let rule = rule_for(rules, row, section);
    // SPEC 4: "Defaults off → that row's default classes are dropped".
    if !rule.default_recipients {
        return Verdict::NotSent;
    }
    match level_passes(&rule, event) {
        // SPEC 4: "`Critical` keeps only critical events for that row; `None` silences it."
        Some(false) => Verdict::NotSent,
        // A policy never turns NotSent or Unspecified into Sent.
        Some(true) => base,
        // Unknown level: only a NotSent is still certain.
        None if base == Verdict::NotSent => Verdict::NotSent,
        None => Verdict::Unspecified,
    }
}

/// Class `additional`: SPEC 4 "extra addresses are added as `additional`"; 002 "Send to additional recipients:
/// Add extra email addresses ... to receive copies of notifications". Sent iff some row of the event's section
/// has extra addresses, its level lets the event through, and that row would have been emailed without a policy.
fn additional_2025(
    scope: &str,
    event: &str,
    f: Facts,
    policy: Option<&[GraphNotificationRule]>,
) -> Verdict {
    // SPEC 4: "The absent policy means Graph's defaults (`All`, defaults on, no extras)".
    let Some(rules) = policy else {
        return Verdict::NotSent;
    };
    // Events outside the policy get no extras.
    let Some(section) = section_for(event, f) else {
        return Verdict::NotSent;
    };
    let mut answer = Verdict::NotSent;
    for row in Row::ALL {
        let classes = row.classes(scope);
        if classes.is_empty() {
            continue;
        }
        let rule = rule_for(rules, row, section);
        if rule.additional.is_empty() {
            continue;
        }
        match level_passes(&rule, event) {
            Some(true) => {}
            // SPEC 4: "`None` silences it" — "adds no additional".
            Some(false) => continue,
            None => {
                answer = answer.or(Verdict::Unspecified);
                continue;
            }
        }
        // "Copies of what the row receives": the row's classes without any policy.
        let row_base = classes
            .iter()
            .map(|class| documented_2025(scope, event, class, f))
            .fold(Verdict::NotSent, Verdict::or);
        answer = answer.or(row_base);
    }
    answer
}

// ---------------------------------------------------------------------------------------------
// entra-pim-2018: document 000 only
// ---------------------------------------------------------------------------------------------

/// 000: "For example, PIM sends emails for the following events:"
const EVENTS_2018: &[&str] = &[
    "approval-pending",     // "When a privileged role activation is pending approval"
    "activation-completed", // "When a privileged role activation request is completed"
    "role-activated",       // "When a privileged role is activated"
    "role-assigned",        // "When a privileged role is assigned"
    "pim-enabled",          // "When Azure AD PIM is enabled"
];

/// 000: "Email notifications are also sent to the end user who has the privileged role for the following events:"
const END_USER_EVENTS_2018: &[&str] = &[
    "activation-completed", // "When a privileged role activation request is completed"
    "role-assigned",        // "When a privileged role is assigned"
];

fn documented_2018(scope: &str, event: &str, class: &str) -> Verdict {
    // 000: "When key events occur in Azure AD Privileged Identity Management (PIM), email notifications are
    // sent." Its recipient lists are about Azure AD roles; for Azure resource roles it only shows an example email
    // without saying who gets it, and PIM for Groups and provisioning are not in it.
    if scope != "entra-role" {
        return Verdict::Unspecified;
    }
    match class {
        // 000: "Email notifications are sent to the following administrators: Privileged Role Administrator,
        // Security Administrator" — no conditions (no explicit-approver or Notifications-setting footnote in 2018).
        PRA | SA if EVENTS_2018.contains(&event) => Verdict::Sent,
        // 000: "Email notifications are also sent to the end user who has the privileged role for the following
        // events: When a privileged role activation request is completed / When a privileged role is assigned"
        ASSIGNEE if END_USER_EVENTS_2018.contains(&event) => Verdict::Sent,
        // Global Administrators, approvers, other events: 000 does not say (its event list is "for example").
        _ => Verdict::Unspecified,
    }
}

// ---------------------------------------------------------------------------------------------
// account-provisioning: document 004 only
// ---------------------------------------------------------------------------------------------

fn documented_provisioning(scope: &str, event: &str, class: &str, f: Facts) -> Verdict {
    if scope == "app-provisioning"
        && event == "provisioning-failure"
        && class == PROVISIONING_CONTACT
    {
        // 004: "If you have account provisioning notifications enabled, you will receive emails about critical
        // issues that are related to user provisioning." and "You activate or deactivate account provisioning
        // notifications as part of your user provisioning configuration" — the recipient being "the email alias
        // of the recipient" typed on the Confirmation page.
        return Verdict::sent_if(f.is("notifications-setting", "enable"));
    }
    Verdict::Unspecified
}
