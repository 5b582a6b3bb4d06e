//! The CISA SCuBA Microsoft Entra ID baseline's PIM notification policies, MS.AAD.7.7v1–7.9v1,
//! and its highly privileged roles: the data `pimrules audit --baseline scuba` checks.
//!
//! Source: cisagov/ScubaGear, `PowerShell/ScubaGear/baselines/aad.md` (section "Highly
//! Privileged Roles" and policies MS.AAD.7.7v1–7.9v1; excerpts verbatim in
//! `tests/inputs/policy/real/scuba-aad-7.md`). ScubaGear names the roles in
//! `Modules/ScubaConfig/ScubaConfigDefaults.json` (`privilegedRoles`) and finds their template ids
//! at run time (`GET /directoryRoleTemplates`); the ids here are the `RoleTemplateId`s of its
//! published sample output `Sample-Reports/ProviderSettingsExport.json`
//! (`tests/inputs/policy/real/README.md`, section "CISA ScubaGear").

use super::{Baseline, Check, Policy, Requirement, Role, Roles};

/// Where the baseline is published.
pub const HELP_URI: &str =
    "https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md";

/// ScubaGear's default highly privileged roles, in its order, by built-in role template id.
pub const ROLES: [Role; 8] = [
    Role::new("Global Administrator", GLOBAL_ADMINISTRATOR),
    Role::new(
        "Privileged Role Administrator",
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
    ),
    Role::new("User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1"),
    Role::new(
        "SharePoint Administrator",
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    ),
    Role::new(
        "Exchange Administrator",
        "29232cdf-9323-42fd-ade2-1d097af3e4de",
    ),
    Role::new(
        "Hybrid Identity Administrator",
        "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
    ),
    Role::new(
        "Application Administrator",
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    ),
    Role::new(
        "Cloud Application Administrator",
        "158c047a-c907-4556-b7ef-446551a6b5f7",
    ),
];

/// The Global Administrator role's template id.
pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";

/// A role assignment of each kind must alert (the two notification sections of an assignment).
const ASSIGNMENTS: [Check; 2] = [
    Check {
        event: "role-assigned",
        facts: &[("assignment", "eligible")],
    },
    Check {
        event: "role-assigned",
        facts: &[("assignment", "active")],
    },
];

/// A completed activation must alert.
const ACTIVATION: [Check; 1] = [Check {
    event: "activation-completed",
    facts: &[],
}];

/// MS.AAD.7.7v1–7.9v1, their statements quoted from `aad.md`.
pub const POLICIES: [Policy; 3] = [
    Policy {
        id: "MS.AAD.7.7v1",
        requirement: Requirement::Shall,
        statement: "Eligible and active highly privileged role assignments SHALL trigger an alert.",
        scope: "entra-role",
        checks: &ASSIGNMENTS,
        roles: Roles::All,
    },
    Policy {
        id: "MS.AAD.7.8v1",
        requirement: Requirement::Shall,
        statement: "User activation of the Global Administrator role SHALL trigger an alert.",
        scope: "entra-role",
        checks: &ACTIVATION,
        roles: Roles::Only(GLOBAL_ADMINISTRATOR),
    },
    Policy {
        id: "MS.AAD.7.9v1",
        requirement: Requirement::Should,
        statement: "User activation of other highly privileged roles SHOULD trigger an alert.",
        scope: "entra-role",
        checks: &ACTIVATION,
        roles: Roles::AllBut(GLOBAL_ADMINISTRATOR),
    },
];

/// The baseline, as `--baseline scuba` names it.
pub const BASELINE: Baseline = Baseline {
    name: "scuba",
    title: "CISA SCuBA Microsoft Entra ID baseline, PIM notifications",
    help_uri: HELP_URI,
    roles: &ROLES,
    policies: &POLICIES,
};
