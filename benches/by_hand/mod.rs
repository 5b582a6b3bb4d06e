//! The shipped `entra-pim` rules written by hand as a Rust `match`: the baseline an `eval`
//! decision is compared with (benches/core.rs and the peers benchmark in benches/peers/).

use pimrules::ruleset::{ClassId, EventId, FactId, ScopeId};
use pimrules::table::DecisionTable;

// The shipped vocabulary's ids, in declaration order (asserted against the table in `eval`).
const ENTRA_ROLE: usize = 0;
const AZURE_RESOURCE: usize = 1;
const GROUP: usize = 2;

const PRIVILEGED_ROLE_ADMINISTRATOR: u128 = 1 << 0;
const SECURITY_ADMINISTRATOR: u128 = 1 << 1;
const GLOBAL_ADMINISTRATOR: u128 = 1 << 2;
const PERMANENT_OWNER: u128 = 1 << 3;
const ELIGIBLE_OWNER: u128 = 1 << 4;
const USER_ACCESS_ADMINISTRATOR: u128 = 1 << 5;
const ASSIGNEE: u128 = 1 << 6;
const APPROVER: u128 = 1 << 7;
const REVIEWER: u128 = 1 << 8;

const APPROVAL_PENDING: usize = 0;
const REQUEST_APPROVED: usize = 1;
const REQUEST_DENIED: usize = 2;
const ACTIVATION_COMPLETED: usize = 3;
const ROLE_ACTIVATED: usize = 4;
const ROLE_ASSIGNED: usize = 5;
const ROLE_EXPIRING: usize = 6;
const ROLE_EXPIRED: usize = 7;
const EXTENSION_ELIGIBLE: usize = 8;
const ROLE_EXTENDED: usize = 10;
const ROLE_RENEWED: usize = 11;
const PIM_ENABLED: usize = 12;
const WEEKLY_DIGEST: usize = 13;
const ALERT: usize = 14;
const ACCESS_REVIEW_STARTED: usize = 15;
const ACCESS_REVIEW_COMPLETED: usize = 16;

const NOTIFICATIONS_SETTING: usize = 0; // enable = 0, disable = 1
const EXPLICIT_APPROVERS: usize = 1; // bool
const CLOUD: usize = 2; // public = 0
const APPROVED_BEFORE_FIRST_EMAIL: usize = 3; // bool
const ALERT_ENABLED: usize = 4; // bool
const ALERT_TYPE: usize = 8;
const ROLES_ASSIGNED_OUTSIDE_PIM: u8 = 4;
/// admins-not-using-roles, no-mfa-on-activation, no-p2-license, stale-accounts,
/// too-many-global-admins, roles-activated-too-frequently
const OTHER_SECURITY_ALERTS: u16 = 0b110_1111;

const ADMINS_3: u128 =
    PRIVILEGED_ROLE_ADMINISTRATOR | SECURITY_ADMINISTRATOR | GLOBAL_ADMINISTRATOR;
const OWNERS_3: u128 = PERMANENT_OWNER | ELIGIBLE_OWNER | USER_ACCESS_ADMINISTRATOR;

/// rules/entra-pim.pimrules written by hand: the recipient classes of one event.
pub fn entra_pim_by_hand(scope: usize, event: usize, facts: &[u8]) -> u128 {
    let fact = |f: usize| facts[f];
    match (scope, event) {
        (_, APPROVAL_PENDING) => {
            let mut to = if fact(APPROVED_BEFORE_FIRST_EMAIL) == 0 {
                APPROVER
            } else {
                0
            };
            to |= match scope {
                ENTRA_ROLE if fact(EXPLICIT_APPROVERS) == 0 => PRIVILEGED_ROLE_ADMINISTRATOR,
                AZURE_RESOURCE => OWNERS_3,
                GROUP => PERMANENT_OWNER,
                _ => 0,
            };
            to
        }
        (_, REQUEST_APPROVED) => APPROVER,
        (ENTRA_ROLE, REQUEST_DENIED) => {
            APPROVER | PRIVILEGED_ROLE_ADMINISTRATOR | GLOBAL_ADMINISTRATOR
        }
        (_, REQUEST_DENIED) => APPROVER,
        (ENTRA_ROLE, ACTIVATION_COMPLETED) => {
            ASSIGNEE
                | if fact(NOTIFICATIONS_SETTING) == 0 {
                    ADMINS_3
                } else {
                    0
                }
        }
        (AZURE_RESOURCE, ACTIVATION_COMPLETED) => OWNERS_3 | ASSIGNEE,
        (GROUP, ACTIVATION_COMPLETED) => PERMANENT_OWNER | ASSIGNEE,
        (ENTRA_ROLE, ROLE_ACTIVATED) => GLOBAL_ADMINISTRATOR | PRIVILEGED_ROLE_ADMINISTRATOR,
        (ENTRA_ROLE, ROLE_ASSIGNED) => ASSIGNEE,
        (AZURE_RESOURCE, ROLE_ASSIGNED) => OWNERS_3 | ASSIGNEE,
        (GROUP, ROLE_ASSIGNED) => PERMANENT_OWNER | ASSIGNEE,
        (ENTRA_ROLE, ROLE_EXPIRING) => ASSIGNEE,
        (AZURE_RESOURCE, ROLE_EXPIRING | EXTENSION_ELIGIBLE) => OWNERS_3,
        (GROUP, ROLE_EXPIRING | EXTENSION_ELIGIBLE) => PERMANENT_OWNER,
        (_, ROLE_EXPIRED) => ASSIGNEE,
        (ENTRA_ROLE, ROLE_EXTENDED | ROLE_RENEWED) => {
            PRIVILEGED_ROLE_ADMINISTRATOR | GLOBAL_ADMINISTRATOR | ASSIGNEE
        }
        (_, ROLE_EXTENDED) => ASSIGNEE,
        (AZURE_RESOURCE, ROLE_RENEWED) => OWNERS_3,
        (GROUP, ROLE_RENEWED) => PERMANENT_OWNER,
        (ENTRA_ROLE, PIM_ENABLED) => ADMINS_3,
        (ENTRA_ROLE, WEEKLY_DIGEST) if fact(CLOUD) == 0 => ADMINS_3,
        (ENTRA_ROLE, ALERT) if fact(ALERT_ENABLED) == 1 => match fact(ALERT_TYPE) {
            ROLES_ASSIGNED_OUTSIDE_PIM => ADMINS_3,
            other if OTHER_SECURITY_ALERTS >> other & 1 == 1 => {
                PRIVILEGED_ROLE_ADMINISTRATOR | GLOBAL_ADMINISTRATOR
            }
            _ => 0,
        },
        (AZURE_RESOURCE, ALERT)
            if fact(ALERT_ENABLED) == 1 && fact(ALERT_TYPE) == ROLES_ASSIGNED_OUTSIDE_PIM =>
        {
            OWNERS_3
        }
        (_, ACCESS_REVIEW_STARTED) => REVIEWER | ASSIGNEE,
        (_, ACCESS_REVIEW_COMPLETED) => REVIEWER,
        _ => 0,
    }
}

/// The baseline's hard-coded ids must be the shipped vocabulary's.
pub fn assert_ids(table: &DecisionTable) {
    let v = &table.vocabulary;
    let scopes = [
        ("entra-role", ENTRA_ROLE),
        ("azure-resource", AZURE_RESOURCE),
        ("group", GROUP),
    ];
    for (name, id) in scopes {
        assert_eq!(v.scope(name), Some(ScopeId(id)), "scope {name}");
    }
    let classes = [
        (
            "privileged-role-administrator",
            PRIVILEGED_ROLE_ADMINISTRATOR,
        ),
        ("security-administrator", SECURITY_ADMINISTRATOR),
        ("global-administrator", GLOBAL_ADMINISTRATOR),
        ("permanent-owner", PERMANENT_OWNER),
        ("eligible-owner", ELIGIBLE_OWNER),
        ("user-access-administrator", USER_ACCESS_ADMINISTRATOR),
        ("assignee", ASSIGNEE),
        ("approver", APPROVER),
        ("reviewer", REVIEWER),
    ];
    for (name, bit) in classes {
        assert_eq!(
            v.class(name),
            Some(ClassId(bit.trailing_zeros() as usize)),
            "class {name}"
        );
    }
    let events = [
        ("approval-pending", APPROVAL_PENDING),
        ("request-approved", REQUEST_APPROVED),
        ("request-denied", REQUEST_DENIED),
        ("activation-completed", ACTIVATION_COMPLETED),
        ("role-activated", ROLE_ACTIVATED),
        ("role-assigned", ROLE_ASSIGNED),
        ("role-expiring", ROLE_EXPIRING),
        ("role-expired", ROLE_EXPIRED),
        ("extension-eligible", EXTENSION_ELIGIBLE),
        ("role-extended", ROLE_EXTENDED),
        ("role-renewed", ROLE_RENEWED),
        ("pim-enabled", PIM_ENABLED),
        ("weekly-digest", WEEKLY_DIGEST),
        ("alert", ALERT),
        ("access-review-started", ACCESS_REVIEW_STARTED),
        ("access-review-completed", ACCESS_REVIEW_COMPLETED),
    ];
    for (name, id) in events {
        assert_eq!(v.event(name), Some(EventId(id)), "event {name}");
    }
    let facts = [
        ("notifications-setting", NOTIFICATIONS_SETTING, "enable", 0),
        ("explicit-approvers", EXPLICIT_APPROVERS, "true", 1),
        ("cloud", CLOUD, "public", 0),
        (
            "approved-before-first-email",
            APPROVED_BEFORE_FIRST_EMAIL,
            "true",
            1,
        ),
        ("alert-enabled", ALERT_ENABLED, "true", 1),
        (
            "alert-type",
            ALERT_TYPE,
            "roles-assigned-outside-pim",
            ROLES_ASSIGNED_OUTSIDE_PIM.into(),
        ),
    ];
    for (name, id, value, index) in facts {
        assert_eq!(v.fact(name), Some(FactId(id)), "fact {name}");
        assert_eq!(
            v.facts[id].value_index(value),
            Some(index),
            "{name} = {value}"
        );
    }
    let alert_type = &v.facts[ALERT_TYPE];
    let others = [
        "admins-not-using-roles",
        "no-mfa-on-activation",
        "no-p2-license",
        "stale-accounts",
        "too-many-global-admins",
        "roles-activated-too-frequently",
    ];
    let mask = others
        .iter()
        .fold(0u16, |m, o| m | 1 << alert_type.value_index(o).expect(o));
    assert_eq!(mask, OTHER_SECURITY_ALERTS);
}
