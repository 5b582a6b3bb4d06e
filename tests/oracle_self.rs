//! Pins the reference oracle's answers for the documented tables, so the oracle itself can be reviewed.
//! Each test names the document sentence it checks (000–004 = the seeds, SPEC = SPEC.md section 4).

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

mod oracle;

use oracle::GraphNotificationRule as Rule;
use oracle::Verdict::{self, NotSent, Sent, Unspecified};
use oracle::{Question, Row, Section};
use std::collections::BTreeMap;

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
const CONTACT: &str = "provisioning-contact";

const ADMINS: [&str; 3] = [PRA, SA, GA];
const OWNER_EVENTS: [&str; 6] = [
    "approval-pending",
    "role-assigned",
    "role-expiring",
    "extension-eligible",
    "role-renewed",
    "activation-completed",
];
const END_USER_EVENTS: [&str; 4] = [
    "role-assigned",
    "role-expired",
    "role-extended",
    "activation-completed",
];

fn ask_facts(
    ruleset: &str,
    scope: &str,
    event: &str,
    facts: &BTreeMap<String, String>,
    policy: Option<&[Rule]>,
    class: &str,
) -> Verdict {
    let q = Question {
        ruleset,
        scope,
        event,
        facts,
        policy,
    };
    oracle::verdict(&q, class)
}

fn ask(ruleset: &str, scope: &str, event: &str, set: &[(&str, &str)], class: &str) -> Verdict {
    ask_facts(ruleset, scope, event, &oracle::facts_with(set), None, class)
}

/// entra-pim, no policy.
fn now(scope: &str, event: &str, set: &[(&str, &str)], class: &str) -> Verdict {
    ask("entra-pim", scope, event, set, class)
}

/// entra-pim under a policy.
fn with_policy(
    policy: &[Rule],
    scope: &str,
    event: &str,
    set: &[(&str, &str)],
    class: &str,
) -> Verdict {
    ask_facts(
        "entra-pim",
        scope,
        event,
        &oracle::facts_with(set),
        Some(policy),
        class,
    )
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

#[test]
fn vocabulary_is_spec_section_3() {
    assert_eq!(
        oracle::SCOPES,
        ["entra-role", "azure-resource", "group", "app-provisioning"]
    );
    assert_eq!(oracle::EVENTS.len(), 18);
    assert_eq!(oracle::EVENTS[0], "approval-pending");
    assert_eq!(oracle::EVENTS[17], "provisioning-failure");
    assert_eq!(oracle::CLASSES.len(), 11);
    assert!(oracle::CLASSES.contains(&"additional"));
    assert!(oracle::CLASSES.contains(&"provisioning-contact"));
    let names: Vec<&str> = oracle::FACTS.iter().map(|(name, _, _)| *name).collect();
    assert_eq!(
        names,
        [
            "notifications-setting",
            "explicit-approvers",
            "cloud",
            "approved-before-first-email",
            "alert-enabled",
            "assignment",
            "duration",
            "group-role",
            "alert-type"
        ]
    );
    for (name, values, default) in oracle::FACTS {
        assert!(
            values.contains(default),
            "{name}: default {default} not in its domain"
        );
    }
    assert_eq!(oracle::fact_default("alert-enabled"), Some("true"));
    assert_eq!(oracle::fact_default("explicit-approvers"), Some("false"));
    assert_eq!(oracle::fact_default("cloud"), Some("public"));
    assert_eq!(
        oracle::fact_default("alert-type"),
        Some("roles-assigned-outside-pim")
    );
    assert_eq!(oracle::ALERT_TYPES.len(), 10);
    assert_eq!(oracle::default_facts().len(), 9);
}

#[test]
fn fact_combinations_are_the_whole_product() {
    let all = oracle::fact_combinations();
    // 2 · 2 · 3 · 2 · 2 · 2 · 2 · 2 · 10
    assert_eq!(all.len(), 3840);
    let distinct: std::collections::BTreeSet<_> = all.iter().collect();
    assert_eq!(distinct.len(), all.len());
    assert!(all.iter().all(|facts| facts.len() == 9));
}

#[test]
fn only_pending_approvals_and_extension_requests_are_critical() {
    let critical: Vec<&str> = oracle::EVENTS
        .iter()
        .copied()
        .filter(|e| oracle::is_critical(e))
        .collect();
    assert_eq!(critical, ["approval-pending", "extension-requested"]);
}

#[test]
fn senders_prefixes_and_caps() {
    // 001
    assert_eq!(
        oracle::sender("entra-pim"),
        Some(("Microsoft Security", "MSSecurity-noreply@microsoft.com"))
    );
    assert_eq!(
        oracle::deprecated_sender_address("entra-pim"),
        Some("azure-noreply@microsoft.com")
    );
    assert_eq!(oracle::subject_prefix("entra-pim"), Some("PIM: "));
    assert_eq!(oracle::max_recipients("entra-pim"), Some(1000));
    // 000
    assert_eq!(
        oracle::sender("entra-pim-2018"),
        Some(("Microsoft Azure", "azure-noreply@microsoft.com"))
    );
    assert_eq!(
        oracle::deprecated_sender_address("entra-pim-2018"),
        Some("azureadnotifications@microsoft.com")
    );
    assert_eq!(oracle::subject_prefix("entra-pim-2018"), Some("PIM: "));
    assert_eq!(oracle::max_recipients("entra-pim-2018"), None);
    // 004 names neither sender nor prefix nor cap, only the daily limit.
    assert_eq!(oracle::sender("account-provisioning"), None);
    assert_eq!(oracle::subject_prefix("account-provisioning"), None);
    assert_eq!(oracle::max_recipients("account-provisioning"), None);
    assert_eq!(
        oracle::provisioning_emails_per_application_per_day("account-provisioning"),
        Some(1)
    );
    assert_eq!(oracle::sender("no-such-ruleset"), None);
}

#[test]
fn example_subjects_start_with_the_prefix() {
    for (ruleset, locale) in [
        ("entra-pim", "en"),
        ("entra-pim", "sv"),
        ("entra-pim-2018", "en"),
    ] {
        let subject = oracle::example_subject(ruleset, locale);
        let prefix = oracle::subject_prefix(ruleset);
        assert!(
            matches!((subject, prefix), (Some(s), Some(p)) if s.starts_with(p)),
            "{ruleset}/{locale}"
        );
    }
    assert_eq!(
        oracle::example_subject("entra-pim", "en"),
        Some("PIM: Alain Charon was permanently assigned the Backup Reader role")
    );
    assert_eq!(
        oracle::example_subject("entra-pim", "sv"),
        Some("PIM: Alain Charon tilldelades rollen Backup Reader permanent")
    );
    assert_eq!(oracle::example_subject("account-provisioning", "en"), None);
}

// ---------------------------------------------------------------------------------------------
// 001: the Microsoft Entra roles matrix, cell by cell
// ---------------------------------------------------------------------------------------------

/// (explicit-approvers, notifications-setting, rows PRA / SA / GA × columns
/// approval-pending / activation-completed / pim-enabled).
const MATRIX: [(&str, &str, [[Verdict; 3]; 3]); 4] = [
    (
        "false",
        "enable",
        [
            [Sent, Sent, Sent],
            [NotSent, Sent, Sent],
            [NotSent, Sent, Sent],
        ],
    ),
    (
        "false",
        "disable",
        [
            [Sent, NotSent, Sent],
            [NotSent, NotSent, Sent],
            [NotSent, NotSent, Sent],
        ],
    ),
    (
        "true",
        "enable",
        [
            [NotSent, Sent, Sent],
            [NotSent, Sent, Sent],
            [NotSent, Sent, Sent],
        ],
    ),
    (
        "true",
        "disable",
        [
            [NotSent, NotSent, Sent],
            [NotSent, NotSent, Sent],
            [NotSent, NotSent, Sent],
        ],
    ),
];
const MATRIX_EVENTS: [&str; 3] = ["approval-pending", "activation-completed", "pim-enabled"];

#[test]
fn entra_matrix_cell_by_cell() {
    for (explicit, setting, rows) in MATRIX {
        let set = [
            ("explicit-approvers", explicit),
            ("notifications-setting", setting),
        ];
        for (class, row) in ADMINS.iter().zip(rows) {
            for (event, expected) in MATRIX_EVENTS.iter().zip(row) {
                assert_eq!(
                    now("entra-role", event, &set, class),
                    expected,
                    "{class} / {event} with explicit-approvers={explicit}, notifications-setting={setting}"
                );
            }
        }
    }
}

#[test]
fn entra_matrix_is_exact_and_depends_on_two_facts_only() {
    for facts in oracle::fact_combinations() {
        let explicit = facts.get("explicit-approvers").map(String::as_str);
        let setting = facts.get("notifications-setting").map(String::as_str);
        let Some((_, _, rows)) = MATRIX
            .iter()
            .find(|(e, s, _)| Some(*e) == explicit && Some(*s) == setting)
        else {
            panic!("combination without a matrix entry: {facts:?}");
        };
        for (class, row) in ADMINS.iter().zip(rows) {
            for (event, expected) in MATRIX_EVENTS.iter().zip(row) {
                let got = ask_facts("entra-pim", "entra-role", event, &facts, None, class);
                assert_eq!(got, *expected, "{class} / {event} with {facts:?}");
            }
        }
    }
}

#[test]
fn pim_enabled_and_matrix_events_say_nothing_of_other_classes() {
    for event in MATRIX_EVENTS {
        for class in [PERMANENT_OWNER, ELIGIBLE_OWNER, UAA, REVIEWER, CONTACT] {
            assert_eq!(
                now("entra-role", event, &[], class),
                Unspecified,
                "{class} / {event}"
            );
        }
    }
    assert_eq!(now("entra-role", "pim-enabled", &[], ASSIGNEE), Unspecified);
    assert_eq!(now("entra-role", "pim-enabled", &[], APPROVER), Unspecified);
}

// ---------------------------------------------------------------------------------------------
// 001: approval timing
// ---------------------------------------------------------------------------------------------

#[test]
fn approvers_get_pending_unless_approved_before_the_first_email() {
    for scope in ["entra-role", "azure-resource", "group"] {
        assert_eq!(
            now(scope, "approval-pending", &[], APPROVER),
            Sent,
            "{scope}"
        );
        assert_eq!(
            now(
                scope,
                "approval-pending",
                &[("approved-before-first-email", "true")],
                APPROVER
            ),
            NotSent,
            "{scope}"
        );
        // The second engine email is not suppressed.
        assert_eq!(
            now(
                scope,
                "request-approved",
                &[("approved-before-first-email", "true")],
                APPROVER
            ),
            Sent,
            "{scope}"
        );
    }
}

#[test]
fn early_approval_does_not_touch_the_matrix() {
    let set = [("approved-before-first-email", "true")];
    assert_eq!(now("entra-role", "approval-pending", &set, PRA), Sent);
}

#[test]
fn global_and_privileged_role_administrators_get_role_activated() {
    assert_eq!(now("entra-role", "role-activated", &[], PRA), Sent);
    assert_eq!(now("entra-role", "role-activated", &[], GA), Sent);
    // Not named by 001 nor 002.
    assert_eq!(now("entra-role", "role-activated", &[], SA), Unspecified);
    // 001 names the Entra administrators; for other scopes the oracle does not extend it.
    assert_eq!(
        now("azure-resource", "role-activated", &[], PRA),
        Unspecified
    );
    assert_eq!(now("group", "role-activated", &[], GA), Unspecified);
}

#[test]
fn request_decisions_for_administrators() {
    // 001 gives administrators role-activated per approval; request-approved stays unsaid for them.
    assert_eq!(now("entra-role", "request-approved", &[], PRA), Unspecified);
    assert_eq!(now("entra-role", "request-approved", &[], GA), Unspecified);
    // 002 on denials (001 silent).
    assert_eq!(now("entra-role", "request-denied", &[], PRA), Sent);
    assert_eq!(now("entra-role", "request-denied", &[], GA), Sent);
    assert_eq!(now("entra-role", "request-denied", &[], SA), Unspecified);
    assert_eq!(now("entra-role", "request-denied", &[], APPROVER), Sent);
    // 002 is applied to Entra roles only.
    assert_eq!(
        now("azure-resource", "request-denied", &[], APPROVER),
        Unspecified
    );
}

// ---------------------------------------------------------------------------------------------
// 001: weekly digest
// ---------------------------------------------------------------------------------------------

#[test]
fn weekly_digest_public_cloud_only() {
    for class in ADMINS {
        assert_eq!(
            now("entra-role", "weekly-digest", &[], class),
            Sent,
            "{class}"
        );
    }
    for class in [ASSIGNEE, APPROVER, REVIEWER, PERMANENT_OWNER] {
        assert_eq!(
            now("entra-role", "weekly-digest", &[], class),
            Unspecified,
            "{class}"
        );
    }
    for cloud in ["government", "china"] {
        for class in oracle::CLASSES {
            assert_eq!(
                now("entra-role", "weekly-digest", &[("cloud", cloud)], class),
                NotSent,
                "{class} on {cloud}"
            );
        }
    }
    // A digest "for Microsoft Entra roles": nothing is said for other scopes.
    assert_eq!(
        now("azure-resource", "weekly-digest", &[], PRA),
        Unspecified
    );
}

// ---------------------------------------------------------------------------------------------
// 001: Azure resource roles and PIM for Groups
// ---------------------------------------------------------------------------------------------

#[test]
fn azure_resource_roles() {
    for event in OWNER_EVENTS {
        for class in [PERMANENT_OWNER, ELIGIBLE_OWNER, UAA] {
            assert_eq!(
                now("azure-resource", event, &[], class),
                Sent,
                "{class} / {event}"
            );
        }
    }
    for event in END_USER_EVENTS {
        assert_eq!(now("azure-resource", event, &[], ASSIGNEE), Sent, "{event}");
    }
    // The lists are not exclusive: unlisted pairs are unsaid, not NotSent.
    assert_eq!(
        now("azure-resource", "role-expiring", &[], ASSIGNEE),
        Unspecified
    );
    assert_eq!(
        now("azure-resource", "role-expired", &[], PERMANENT_OWNER),
        Unspecified
    );
    assert_eq!(
        now("azure-resource", "activation-completed", &[], PRA),
        Unspecified
    );
    assert_eq!(
        now("azure-resource", "extension-requested", &[], UAA),
        Unspecified
    );
    // The Notifications setting footnote belongs to the Entra matrix only.
    let off = [("notifications-setting", "disable")];
    assert_eq!(
        now("azure-resource", "activation-completed", &off, UAA),
        Sent
    );
}

#[test]
fn groups_email_permanent_owners_only() {
    for event in OWNER_EVENTS {
        assert_eq!(now("group", event, &[], PERMANENT_OWNER), Sent, "{event}");
        for class in [ELIGIBLE_OWNER, UAA, PRA, SA, GA, REVIEWER, CONTACT] {
            assert_eq!(
                now("group", event, &[], class),
                NotSent,
                "{class} / {event}"
            );
        }
    }
    for event in END_USER_EVENTS {
        assert_eq!(now("group", event, &[], ASSIGNEE), Sent, "{event}");
    }
    // The owners' list is explicit ("only"), and the end users' list does not name these.
    for event in [
        "approval-pending",
        "role-expiring",
        "extension-eligible",
        "role-renewed",
    ] {
        assert_eq!(now("group", event, &[], ASSIGNEE), NotSent, "{event}");
    }
    // The approval timing section names approvers for the pending approval.
    assert_eq!(now("group", "approval-pending", &[], APPROVER), Sent);
    assert_eq!(now("group", "role-assigned", &[], APPROVER), NotSent);
    // Owner and Member roles alike.
    let owner = [("group-role", "owner")];
    assert_eq!(now("group", "role-assigned", &owner, PERMANENT_OWNER), Sent);
    assert_eq!(
        now("group", "role-assigned", &owner, ELIGIBLE_OWNER),
        NotSent
    );
    // Events outside the six: unsaid.
    assert_eq!(
        now("group", "role-extended", &[], PERMANENT_OWNER),
        Unspecified
    );
}

// ---------------------------------------------------------------------------------------------
// 002 where 001 is silent (Entra roles)
// ---------------------------------------------------------------------------------------------

#[test]
fn entra_end_user_from_the_secondary_article() {
    assert_eq!(now("entra-role", "role-assigned", &[], ASSIGNEE), Sent);
    assert_eq!(
        now("entra-role", "activation-completed", &[], ASSIGNEE),
        Sent
    );
    // "eligible or time-bound assignment": a permanent active assignee is not covered.
    let permanent_active = [("assignment", "active"), ("duration", "permanent")];
    assert_eq!(
        now("entra-role", "role-assigned", &permanent_active, ASSIGNEE),
        Unspecified
    );
    let time_bound_active = [("assignment", "active"), ("duration", "time-bound")];
    assert_eq!(
        now("entra-role", "role-assigned", &time_bound_active, ASSIGNEE),
        Sent
    );
    // "eligibility ... about to expire" / "active role assignment has expired"
    assert_eq!(now("entra-role", "role-expiring", &[], ASSIGNEE), Sent);
    assert_eq!(
        now("entra-role", "role-expiring", &time_bound_active, ASSIGNEE),
        Unspecified
    );
    assert_eq!(
        now("entra-role", "role-expired", &time_bound_active, ASSIGNEE),
        Sent
    );
    assert_eq!(
        now("entra-role", "role-expired", &[], ASSIGNEE),
        Unspecified
    );
    // "request to activate, extend, or renew a role has been completed"
    assert_eq!(now("entra-role", "role-extended", &[], ASSIGNEE), Sent);
    assert_eq!(now("entra-role", "role-renewed", &[], ASSIGNEE), Sent);
    // "Role Changes: ... activated, extended, or renewed" (PRA, GA)
    assert_eq!(now("entra-role", "role-extended", &[], PRA), Sent);
    assert_eq!(now("entra-role", "role-renewed", &[], GA), Sent);
    assert_eq!(now("entra-role", "role-renewed", &[], SA), Unspecified);
    // Nobody is documented for extension requests or eligibility to extend in Entra roles.
    for class in oracle::CLASSES {
        assert_eq!(
            now("entra-role", "extension-requested", &[], class),
            match *class {
                ADDITIONAL => NotSent,
                _ => Unspecified,
            },
            "{class}"
        );
    }
}

#[test]
fn access_reviews_from_the_secondary_article() {
    assert_eq!(
        now("entra-role", "access-review-started", &[], REVIEWER),
        Sent
    );
    assert_eq!(
        now("entra-role", "access-review-started", &[], ASSIGNEE),
        Sent
    );
    assert_eq!(
        now("entra-role", "access-review-completed", &[], REVIEWER),
        Sent
    );
    assert_eq!(
        now("entra-role", "access-review-completed", &[], PRA),
        Unspecified
    );
    assert_eq!(
        now("azure-resource", "access-review-started", &[], REVIEWER),
        Unspecified
    );
    assert_eq!(
        now("group", "access-review-completed", &[], REVIEWER),
        Unspecified
    );
}

// ---------------------------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------------------------

#[test]
fn roles_assigned_outside_pim() {
    let outside = [("alert-type", "roles-assigned-outside-pim")];
    for class in ADMINS {
        assert_eq!(now("entra-role", "alert", &outside, class), Sent, "{class}");
    }
    for class in [PERMANENT_OWNER, ELIGIBLE_OWNER, UAA] {
        assert_eq!(
            now("azure-resource", "alert", &outside, class),
            Sent,
            "{class}"
        );
    }
    assert_eq!(now("entra-role", "alert", &outside, ASSIGNEE), Unspecified);
    let disabled = [
        ("alert-type", "roles-assigned-outside-pim"),
        ("alert-enabled", "false"),
    ];
    for scope in ["entra-role", "azure-resource"] {
        for class in oracle::CLASSES {
            assert_eq!(
                now(scope, "alert", &disabled, class),
                NotSent,
                "{scope} / {class}"
            );
        }
    }
    assert_eq!(
        now("group", "alert", &outside, PERMANENT_OWNER),
        Unspecified
    );
}

#[test]
fn other_entra_alerts_reach_privileged_role_and_global_administrators() {
    for alert in [
        "roles-activated-too-frequently",
        "too-many-global-admins",
        "stale-accounts",
    ] {
        let set = [("alert-type", alert)];
        assert_eq!(now("entra-role", "alert", &set, PRA), Sent, "{alert}");
        assert_eq!(now("entra-role", "alert", &set, GA), Sent, "{alert}");
        assert_eq!(now("entra-role", "alert", &set, SA), Unspecified, "{alert}");
        let off = [("alert-type", alert), ("alert-enabled", "false")];
        assert_eq!(
            now("entra-role", "alert", &off, PRA),
            Unspecified,
            "{alert}"
        );
    }
    let azure_alert = [("alert-type", "too-many-owners")];
    assert_eq!(now("entra-role", "alert", &azure_alert, PRA), Unspecified);
    assert_eq!(
        now("azure-resource", "alert", &azure_alert, PERMANENT_OWNER),
        Unspecified
    );
}

// ---------------------------------------------------------------------------------------------
// entra-pim-2018 (000) and account-provisioning (004)
// ---------------------------------------------------------------------------------------------

#[test]
fn the_2018_rule_set() {
    let events = [
        "approval-pending",
        "activation-completed",
        "role-activated",
        "role-assigned",
        "pim-enabled",
    ];
    for facts in [
        oracle::default_facts(),
        oracle::facts_with(&[
            ("explicit-approvers", "true"),
            ("notifications-setting", "disable"),
        ]),
    ] {
        for event in events {
            assert_eq!(
                ask_facts("entra-pim-2018", "entra-role", event, &facts, None, PRA),
                Sent
            );
            assert_eq!(
                ask_facts("entra-pim-2018", "entra-role", event, &facts, None, SA),
                Sent
            );
            assert_eq!(
                ask_facts("entra-pim-2018", "entra-role", event, &facts, None, GA),
                Unspecified
            );
        }
    }
    assert_eq!(
        ask(
            "entra-pim-2018",
            "entra-role",
            "activation-completed",
            &[],
            ASSIGNEE
        ),
        Sent
    );
    assert_eq!(
        ask(
            "entra-pim-2018",
            "entra-role",
            "role-assigned",
            &[],
            ASSIGNEE
        ),
        Sent
    );
    assert_eq!(
        ask(
            "entra-pim-2018",
            "entra-role",
            "approval-pending",
            &[],
            ASSIGNEE
        ),
        Unspecified
    );
    assert_eq!(
        ask("entra-pim-2018", "entra-role", "weekly-digest", &[], PRA),
        Unspecified
    );
    assert_eq!(
        ask(
            "entra-pim-2018",
            "entra-role",
            "approval-pending",
            &[],
            APPROVER
        ),
        Unspecified
    );
    assert_eq!(
        ask(
            "entra-pim-2018",
            "entra-role",
            "role-assigned",
            &[],
            ADDITIONAL
        ),
        Unspecified
    );
    for scope in ["azure-resource", "group", "app-provisioning"] {
        for class in oracle::CLASSES {
            assert_eq!(
                ask("entra-pim-2018", scope, "role-assigned", &[], class),
                Unspecified
            );
        }
    }
}

#[test]
fn the_2018_rule_set_ignores_facts_and_policies() {
    let all = oracle::fact_combinations();
    let silence: Vec<Rule> = nine_rules("None", false, &["x@contoso.com"]);
    for scope in oracle::SCOPES {
        for event in oracle::EVENTS {
            for class in oracle::CLASSES {
                let base = ask("entra-pim-2018", scope, event, &[], class);
                for facts in all.iter().step_by(7) {
                    assert_eq!(
                        ask_facts("entra-pim-2018", scope, event, facts, Some(&silence), class),
                        base
                    );
                }
            }
        }
    }
}

#[test]
fn the_account_provisioning_rule_set() {
    let rs = "account-provisioning";
    assert_eq!(
        ask(rs, "app-provisioning", "provisioning-failure", &[], CONTACT),
        Sent
    );
    assert_eq!(
        ask(
            rs,
            "app-provisioning",
            "provisioning-failure",
            &[("notifications-setting", "disable")],
            CONTACT
        ),
        NotSent
    );
    for class in oracle::CLASSES.iter().filter(|c| **c != CONTACT) {
        assert_eq!(
            ask(rs, "app-provisioning", "provisioning-failure", &[], class),
            Unspecified
        );
    }
    assert_eq!(
        ask(rs, "entra-role", "provisioning-failure", &[], CONTACT),
        Unspecified
    );
    assert_eq!(
        ask(rs, "app-provisioning", "role-assigned", &[], CONTACT),
        Unspecified
    );
    // The current PIM rule set does not speak for provisioning.
    assert_eq!(
        now("app-provisioning", "provisioning-failure", &[], CONTACT),
        Unspecified
    );
}

#[test]
fn unknown_names_are_unspecified() {
    assert_eq!(
        ask("no-such-ruleset", "entra-role", "pim-enabled", &[], PRA),
        Unspecified
    );
    assert_eq!(now("no-such-scope", "pim-enabled", &[], PRA), Unspecified);
    assert_eq!(now("entra-role", "no-such-event", &[], PRA), Unspecified);
    assert_eq!(
        now("entra-role", "pim-enabled", &[], "no-such-class"),
        Unspecified
    );
}

// ---------------------------------------------------------------------------------------------
// The tenant policy overlay
// ---------------------------------------------------------------------------------------------

fn nine_rules(level: &str, defaults: bool, extra: &[&str]) -> Vec<Rule> {
    let mut rules = Vec::new();
    for row in Row::ALL {
        for section in [
            Section::EligibleAssignment,
            Section::ActiveAssignment,
            Section::Activation,
        ] {
            rules.push(Rule::new(
                &oracle::policy_rule_id(row, section),
                level,
                defaults,
                extra,
            ));
        }
    }
    rules
}

#[test]
fn rule_ids_and_sections() {
    assert_eq!(
        oracle::policy_rule_id(Row::Admin, Section::EligibleAssignment),
        "Notification_Admin_Admin_Eligibility"
    );
    assert_eq!(
        oracle::policy_rule_id(Row::Requestor, Section::ActiveAssignment),
        "Notification_Requestor_Admin_Assignment"
    );
    assert_eq!(
        oracle::policy_rule_id(Row::Approver, Section::Activation),
        "Notification_Approver_EndUser_Assignment"
    );
    let eligible = oracle::facts_with(&[("assignment", "eligible")]);
    let active = oracle::facts_with(&[("assignment", "active")]);
    assert_eq!(
        oracle::section_of("request-denied", &active),
        Some(Section::Activation)
    );
    assert_eq!(
        oracle::section_of("role-renewed", &eligible),
        Some(Section::EligibleAssignment)
    );
    assert_eq!(
        oracle::section_of("role-renewed", &active),
        Some(Section::ActiveAssignment)
    );
    assert_eq!(oracle::section_of("pim-enabled", &eligible), None);
    assert_eq!(oracle::section_of("alert", &eligible), None);
    assert_eq!(oracle::row_of("entra-role", SA), Some(Row::Admin));
    assert_eq!(oracle::row_of("azure-resource", UAA), Some(Row::Admin));
    assert_eq!(oracle::row_of("group", ELIGIBLE_OWNER), None);
    assert_eq!(oracle::row_of("group", ASSIGNEE), Some(Row::Requestor));
    assert_eq!(oracle::row_of("entra-role", APPROVER), Some(Row::Approver));
    assert_eq!(oracle::row_of("entra-role", REVIEWER), None);
    assert_eq!(oracle::row_of("app-provisioning", ASSIGNEE), None);
}

#[test]
fn the_graph_default_policy_changes_nothing() {
    let all = oracle::fact_combinations();
    let defaults = nine_rules("All", true, &[]);
    let empty: Vec<Rule> = Vec::new();
    for scope in oracle::SCOPES {
        for event in oracle::EVENTS {
            for facts in all.iter().step_by(11) {
                for class in oracle::CLASSES {
                    let base = ask_facts("entra-pim", scope, event, facts, None, class);
                    assert_eq!(
                        ask_facts("entra-pim", scope, event, facts, Some(&defaults), class),
                        base
                    );
                    // A rule missing from the policy is Graph's default.
                    assert_eq!(
                        ask_facts("entra-pim", scope, event, facts, Some(&empty), class),
                        base
                    );
                }
            }
        }
    }
}

#[test]
fn level_none_silences_a_row_of_a_section() {
    let policy = [Rule::new(
        "Notification_Admin_EndUser_Assignment",
        "None",
        true,
        &[],
    )];
    for class in ADMINS {
        assert_eq!(
            with_policy(&policy, "entra-role", "activation-completed", &[], class),
            NotSent
        );
        // Outside the policy.
        assert_eq!(
            with_policy(&policy, "entra-role", "pim-enabled", &[], class),
            Sent
        );
    }
    assert_eq!(
        with_policy(&policy, "entra-role", "approval-pending", &[], PRA),
        NotSent
    );
    // Other rows untouched.
    assert_eq!(
        with_policy(&policy, "entra-role", "approval-pending", &[], APPROVER),
        Sent
    );
    assert_eq!(
        with_policy(&policy, "entra-role", "activation-completed", &[], ASSIGNEE),
        Sent
    );
    // A silenced row is NotSent even where the documents said nothing.
    assert_eq!(
        with_policy(&policy, "entra-role", "request-approved", &[], SA),
        NotSent
    );
    // Other sections untouched: the Admin row of the assignment sections.
    assert_eq!(
        with_policy(&policy, "azure-resource", "role-assigned", &[], UAA),
        Sent
    );
}

#[test]
fn level_critical_keeps_critical_events_only() {
    let policy = [
        Rule::new(
            "Notification_Admin_EndUser_Assignment",
            "Critical",
            true,
            &[],
        ),
        Rule::new(
            "Notification_Approver_EndUser_Assignment",
            "Critical",
            true,
            &[],
        ),
    ];
    assert_eq!(
        with_policy(&policy, "entra-role", "approval-pending", &[], PRA),
        Sent
    );
    assert_eq!(
        with_policy(&policy, "entra-role", "activation-completed", &[], PRA),
        NotSent
    );
    assert_eq!(
        with_policy(&policy, "entra-role", "role-activated", &[], GA),
        NotSent
    );
    assert_eq!(
        with_policy(&policy, "entra-role", "approval-pending", &[], APPROVER),
        Sent
    );
    assert_eq!(
        with_policy(&policy, "entra-role", "request-approved", &[], APPROVER),
        NotSent
    );
    // Critical never turns a NotSent cell into Sent.
    let explicit = [("explicit-approvers", "true")];
    assert_eq!(
        with_policy(&policy, "entra-role", "approval-pending", &explicit, PRA),
        NotSent
    );
    // extension-requested is critical but nobody is documented for it: stays unsaid.
    let critical_admin = [Rule::new(
        "Notification_Admin_Admin_Eligibility",
        "Critical",
        true,
        &[],
    )];
    assert_eq!(
        with_policy(
            &critical_admin,
            "azure-resource",
            "extension-requested",
            &[],
            PERMANENT_OWNER
        ),
        Unspecified
    );
    assert_eq!(
        with_policy(
            &critical_admin,
            "azure-resource",
            "extension-eligible",
            &[],
            PERMANENT_OWNER
        ),
        NotSent
    );
}

#[test]
fn defaults_off_drops_the_row_in_its_section_only() {
    let policy = [Rule::new(
        "Notification_Requestor_Admin_Eligibility",
        "All",
        false,
        &[],
    )];
    let eligible = [("assignment", "eligible")];
    let active = [("assignment", "active")];
    assert_eq!(
        with_policy(
            &policy,
            "azure-resource",
            "role-assigned",
            &eligible,
            ASSIGNEE
        ),
        NotSent
    );
    assert_eq!(
        with_policy(
            &policy,
            "azure-resource",
            "role-assigned",
            &active,
            ASSIGNEE
        ),
        Sent
    );
    assert_eq!(
        with_policy(
            &policy,
            "azure-resource",
            "role-assigned",
            &eligible,
            PERMANENT_OWNER
        ),
        Sent
    );
    assert_eq!(
        with_policy(&policy, "group", "role-expired", &eligible, ASSIGNEE),
        NotSent
    );
    let approver_off = [Rule::new(
        "Notification_Approver_EndUser_Assignment",
        "All",
        false,
        &[],
    )];
    assert_eq!(
        with_policy(&approver_off, "group", "approval-pending", &[], APPROVER),
        NotSent
    );
    assert_eq!(
        with_policy(
            &approver_off,
            "group",
            "approval-pending",
            &[],
            PERMANENT_OWNER
        ),
        Sent
    );
}

#[test]
fn additional_without_a_policy_is_never_sent() {
    let all = oracle::fact_combinations();
    for scope in oracle::SCOPES {
        for event in oracle::EVENTS {
            for facts in all.iter().step_by(13) {
                assert_eq!(
                    ask_facts("entra-pim", scope, event, facts, None, ADDITIONAL),
                    NotSent
                );
            }
        }
    }
}

#[test]
fn additional_receives_copies_of_what_the_row_receives() {
    let extra = ["soc@contoso.com"];
    let admin = [Rule::new(
        "Notification_Admin_EndUser_Assignment",
        "All",
        true,
        &extra,
    )];
    assert_eq!(
        with_policy(
            &admin,
            "entra-role",
            "activation-completed",
            &[],
            ADDITIONAL
        ),
        Sent
    );
    let off = [("notifications-setting", "disable")];
    assert_eq!(
        with_policy(
            &admin,
            "entra-role",
            "activation-completed",
            &off,
            ADDITIONAL
        ),
        NotSent
    );
    assert_eq!(
        with_policy(&admin, "entra-role", "approval-pending", &[], ADDITIONAL),
        Sent
    );
    let explicit = [("explicit-approvers", "true")];
    assert_eq!(
        with_policy(
            &admin,
            "entra-role",
            "approval-pending",
            &explicit,
            ADDITIONAL
        ),
        NotSent
    );
    // Outside the policy.
    assert_eq!(
        with_policy(&admin, "entra-role", "pim-enabled", &[], ADDITIONAL),
        NotSent
    );
    // Another section.
    assert_eq!(
        with_policy(&admin, "azure-resource", "role-assigned", &[], ADDITIONAL),
        NotSent
    );

    // Defaults off: the row's own classes are dropped, the copies still go.
    let defaults_off = [Rule::new(
        "Notification_Admin_EndUser_Assignment",
        "All",
        false,
        &extra,
    )];
    assert_eq!(
        with_policy(
            &defaults_off,
            "entra-role",
            "activation-completed",
            &[],
            PRA
        ),
        NotSent
    );
    assert_eq!(
        with_policy(
            &defaults_off,
            "entra-role",
            "activation-completed",
            &[],
            ADDITIONAL
        ),
        Sent
    );

    // Critical: only critical events let the copies through; None: never.
    let critical = [Rule::new(
        "Notification_Admin_EndUser_Assignment",
        "Critical",
        true,
        &extra,
    )];
    assert_eq!(
        with_policy(&critical, "entra-role", "approval-pending", &[], ADDITIONAL),
        Sent
    );
    assert_eq!(
        with_policy(
            &critical,
            "entra-role",
            "activation-completed",
            &[],
            ADDITIONAL
        ),
        NotSent
    );
    let none = [Rule::new(
        "Notification_Admin_EndUser_Assignment",
        "None",
        true,
        &extra,
    )];
    assert_eq!(
        with_policy(&none, "entra-role", "approval-pending", &[], ADDITIONAL),
        NotSent
    );

    // The row's base answer unsaid for every class → additional unsaid.
    let eligibility = [Rule::new(
        "Notification_Admin_Admin_Eligibility",
        "All",
        true,
        &extra,
    )];
    assert_eq!(
        with_policy(&eligibility, "entra-role", "role-assigned", &[], ADDITIONAL),
        Unspecified
    );
    assert_eq!(
        with_policy(
            &eligibility,
            "azure-resource",
            "role-assigned",
            &[],
            ADDITIONAL
        ),
        Sent
    );
    let active = [("assignment", "active")];
    assert_eq!(
        with_policy(
            &eligibility,
            "azure-resource",
            "role-assigned",
            &active,
            ADDITIONAL
        ),
        NotSent
    );

    // Requestor and Approver rows.
    let requestor = [Rule::new(
        "Notification_Requestor_Admin_Assignment",
        "All",
        true,
        &extra,
    )];
    assert_eq!(
        with_policy(&requestor, "group", "role-expired", &active, ADDITIONAL),
        Sent
    );
    assert_eq!(
        with_policy(&requestor, "group", "role-expiring", &active, ADDITIONAL),
        NotSent
    );
    let approver = [Rule::new(
        "Notification_Approver_EndUser_Assignment",
        "All",
        true,
        &extra,
    )];
    assert_eq!(
        with_policy(&approver, "group", "approval-pending", &[], ADDITIONAL),
        Sent
    );
    let early = [("approved-before-first-email", "true")];
    assert_eq!(
        with_policy(&approver, "group", "approval-pending", &early, ADDITIONAL),
        NotSent
    );

    // Groups: the Admin row is the permanent owners.
    assert_eq!(
        with_policy(&admin, "group", "approval-pending", &[], ADDITIONAL),
        Sent
    );
}

#[test]
fn unknown_levels_only_keep_what_is_certain() {
    let odd = [Rule::new(
        "Notification_Admin_EndUser_Assignment",
        "Sometimes",
        true,
        &["x@contoso.com"],
    )];
    assert_eq!(
        with_policy(&odd, "entra-role", "activation-completed", &[], PRA),
        Unspecified
    );
    let explicit = [("explicit-approvers", "true")];
    assert_eq!(
        with_policy(&odd, "entra-role", "approval-pending", &explicit, PRA),
        NotSent
    );
    assert_eq!(
        with_policy(&odd, "entra-role", "activation-completed", &[], ADDITIONAL),
        Unspecified
    );
}

#[test]
fn a_policy_only_takes_away() {
    let all = oracle::fact_combinations();
    let policies = [
        nine_rules("All", true, &[]),
        nine_rules("All", false, &["a@contoso.com"]),
        nine_rules("Critical", true, &["a@contoso.com"]),
        nine_rules("Critical", false, &[]),
        nine_rules("None", true, &["a@contoso.com"]),
        vec![Rule::new(
            "Notification_Requestor_EndUser_Assignment",
            "None",
            false,
            &[],
        )],
    ];
    for policy in &policies {
        for scope in oracle::SCOPES {
            for event in oracle::EVENTS {
                for facts in all.iter().step_by(17) {
                    for class in oracle::CLASSES.iter().filter(|c| **c != ADDITIONAL) {
                        let base = ask_facts("entra-pim", scope, event, facts, None, class);
                        let got = ask_facts("entra-pim", scope, event, facts, Some(policy), class);
                        assert!(
                            got == base || got == NotSent,
                            "{scope} / {event} / {class}: {base:?} became {got:?}"
                        );
                    }
                    // Extras reach an event only when the event's section has a row that lets it through.
                    let extra =
                        ask_facts("entra-pim", scope, event, facts, Some(policy), ADDITIONAL);
                    if oracle::section_of(event, facts).is_none() {
                        assert_eq!(extra, NotSent, "{scope} / {event}");
                    }
                }
            }
        }
    }
}
