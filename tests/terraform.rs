//! `policy export --to terraform` writes Terraform the providers accept: it parses as HCL, every
//! resource has its provider's required arguments and only blocks and attributes its schema has,
//! levels are ones the providers allow, ids have the form the providers validate, and no two
//! resources share a label. The schemas below are written from the providers' sources
//! (hashicorp/terraform-provider-azurerm `role_management_policy_resource.go`,
//! hashicorp/terraform-provider-azuread `group_role_management_policy_resource.go`,
//! microsoft/terraform-provider-msgraph `update_resource.md`), not from pimrules.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use hcl::{Block, Body, Expression};
use pimrules::load::load_text;
use pimrules::policy::{RoleNames, export_terraform, import_tenant};
use std::collections::BTreeSet;
use std::path::Path;

const SECTIONS_AZURERM: &[&str] = &[
    "eligible_assignments",
    "active_assignments",
    "eligible_activations",
];
const SECTIONS_AZUREAD: &[&str] = &["eligible_assignments", "active_assignments", "activations"];
const ROWS: &[&str] = &[
    "admin_notifications",
    "approver_notifications",
    "assignee_notifications",
];

fn inputs() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/inputs/policy"))
}

/// The Terraform of a settings file.
fn terraform_of(settings_text: &str) -> Result<String, String> {
    let loaded = load_text("settings.pimrules", settings_text);
    if !loaded.diagnostics.is_empty() {
        return Err(format!("{:?}", loaded.diagnostics));
    }
    let settings = pimrules::check::check_settings(&loaded, &loaded.programs[0])
        .map_err(|d| format!("{d:?}"))?;
    export_terraform(&settings)
        .map(|(text, _)| text)
        .map_err(|e| format!("{e:?}"))
}

fn string(expr: &Expression) -> Option<String> {
    match expr {
        Expression::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn attribute<'b>(body: &'b Body, key: &str) -> Option<&'b Expression> {
    body.attributes().find(|a| a.key() == key).map(|a| a.expr())
}

/// `name { notification_level, default_recipients, additional_recipients }`.
fn check_settings_block(block: &Block, at: &str) -> Result<(), String> {
    let body = block.body();
    for attribute in body.attributes() {
        if ![
            "notification_level",
            "default_recipients",
            "additional_recipients",
        ]
        .contains(&attribute.key())
        {
            return Err(format!("{at}: unknown attribute `{}`", attribute.key()));
        }
    }
    match attribute(body, "notification_level")
        .and_then(string)
        .as_deref()
    {
        Some("All" | "Critical") => {}
        other => {
            return Err(format!(
                "{at}: notification_level {other:?} (All or Critical)"
            ));
        }
    }
    if !matches!(
        attribute(body, "default_recipients"),
        Some(Expression::Bool(_))
    ) {
        return Err(format!(
            "{at}: default_recipients must be set, true or false"
        ));
    }
    if body.blocks().next().is_some() {
        return Err(format!("{at}: no blocks inside notification settings"));
    }
    Ok(())
}

/// `notification_rules { OUTER { INNER { settings } } }` with the names each provider uses.
fn check_notification_rules(
    body: &Body,
    outer: &[&str],
    inner: &[&str],
    at: &str,
) -> Result<(), String> {
    let rules: Vec<&Block> = body
        .blocks()
        .filter(|b| b.identifier() == "notification_rules")
        .collect();
    let [rules] = rules.as_slice() else {
        return Err(format!(
            "{at}: one notification_rules block, not {}",
            rules.len()
        ));
    };
    for first in rules.body().blocks() {
        if !outer.contains(&first.identifier()) {
            return Err(format!(
                "{at}: `{}` is not a block of notification_rules",
                first.identifier()
            ));
        }
        for second in first.body().blocks() {
            if !inner.contains(&second.identifier()) {
                return Err(format!(
                    "{at}: `{}` is not a block of `{}`",
                    second.identifier(),
                    first.identifier()
                ));
            }
            check_settings_block(
                second,
                &format!("{at}.{}.{}", first.identifier(), second.identifier()),
            )?;
        }
    }
    Ok(())
}

fn is_uuid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The check: every resource is one its provider accepts, and labels are unique.
fn applies(text: &str) -> Result<(), String> {
    let body = hcl::parse(text).map_err(|e| format!("not HCL: {e}"))?;
    let mut labels = BTreeSet::new();
    for block in body.blocks() {
        match block.identifier() {
            "terraform" => continue,
            "resource" => {}
            other => return Err(format!("unexpected top-level block `{other}`")),
        }
        let [kind, name] = block.labels() else {
            return Err("a resource has two labels".to_owned());
        };
        let (kind, name) = (kind.as_str(), name.as_str());
        if !labels.insert((kind.to_owned(), name.to_owned())) {
            return Err(format!("label `{kind}.{name}` is used twice"));
        }
        if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!("`{name}` is not a Terraform name"));
        }
        let body = block.body();
        let at = format!("{kind}.{name}");
        let keys: Vec<&str> = body.attributes().map(|a| a.key()).collect();
        match kind {
            "azurerm_role_management_policy" => {
                if keys != ["scope", "role_definition_id"] {
                    return Err(format!("{at}: arguments {keys:?}"));
                }
                let scope = attribute(body, "scope")
                    .and_then(string)
                    .unwrap_or_default();
                let lower = scope.to_ascii_lowercase();
                let mg = lower.starts_with("/providers/microsoft.management/managementgroups/");
                let sub = lower.strip_prefix("/subscriptions/").is_some_and(|rest| {
                    let parts: Vec<&str> = rest.split('/').collect();
                    is_uuid(parts[0])
                        && (parts.len() == 1 || (parts.len() == 3 && parts[1] == "resourcegroups"))
                });
                if !(mg || sub) {
                    return Err(format!(
                        "{at}: scope `{scope}` is not a management group, subscription or resource group id"
                    ));
                }
                check_notification_rules(body, SECTIONS_AZURERM, ROWS, &at)?;
            }
            "azuread_group_role_management_policy" => {
                if keys != ["object_id", "assignment_type"] {
                    return Err(format!("{at}: arguments {keys:?}"));
                }
                let object = attribute(body, "object_id")
                    .and_then(string)
                    .unwrap_or_default();
                if !is_uuid(&object) {
                    return Err(format!("{at}: object_id `{object}` is not a UUID"));
                }
                match attribute(body, "assignment_type")
                    .and_then(string)
                    .as_deref()
                {
                    Some("member" | "owner") => {}
                    other => return Err(format!("{at}: assignment_type {other:?}")),
                }
                check_notification_rules(body, ROWS, SECTIONS_AZUREAD, &at)?;
            }
            "msgraph_update_resource" => {
                if keys != ["url", "body"] {
                    return Err(format!("{at}: arguments {keys:?}"));
                }
                let url = attribute(body, "url").and_then(string).unwrap_or_default();
                if !url.starts_with("policies/roleManagementPolicies/")
                    || !url.contains("/rules/Notification_")
                {
                    return Err(format!("{at}: url `{url}`"));
                }
                if !matches!(attribute(body, "body"), Some(Expression::Object(_))) {
                    return Err(format!("{at}: body is not an object"));
                }
            }
            other => return Err(format!("unknown resource type `{other}`")),
        }
    }
    Ok(())
}

#[test]
fn the_corpus_settings_apply() {
    let text =
        std::fs::read_to_string(inputs().join("tenant-settings.pimrules")).expect("readable");
    let terraform = terraform_of(&text).expect("exported");
    assert_eq!(applies(&terraform), Ok(()), "{terraform}");
}

#[test]
fn microsofts_examples_apply_once_imported() {
    let names = RoleNames::default();
    for example in [
        "real/graph-v1-list-policyassignments-expand-directoryrole.json",
        "real/graph-v1-list-policyassignments-expand-group-owner.json",
        "real/graph-beta-list-policyassignments-expand-group-owner.json",
        "real/arm-2020-10-01-GetRoleManagementPolicyAssignmentByScope.response.json",
    ] {
        let document = std::fs::read_to_string(inputs().join(example)).expect("readable");
        let imported = import_tenant(&document, &names).expect("imports");
        let terraform = terraform_of(&imported.text).unwrap_or_else(|e| panic!("{example}: {e}"));
        assert_eq!(applies(&terraform), Ok(()), "{example}:\n{terraform}");
    }
}

#[test]
fn names_that_would_give_one_label_get_two() {
    let text = r#"
settings "Backup Reader" for azure-role at "/subscriptions/00000000-1111-2222-3333-444444444444" {
  role-id "/providers/Microsoft.Authorization/roleDefinitions/a795c7a0-d4a2-40c1-ae25-d81f01202912"
  activation admin: level all, default-recipients on
}
settings "backup reader" for azure-role at "/subscriptions/99999999-1111-2222-3333-444444444444" {
  role-id "/providers/Microsoft.Authorization/roleDefinitions/a795c7a0-d4a2-40c1-ae25-d81f01202912"
  activation admin: level none, default-recipients on
}
"#;
    let terraform = terraform_of(text).expect("exported");
    assert_eq!(applies(&terraform), Ok(()), "{terraform}");
    let swapped = terraform_of(
        &text
            .replacen("Backup Reader", "tmp", 1)
            .replacen("backup reader", "Backup Reader", 1)
            .replacen("tmp", "backup reader", 1),
    )
    .expect("exported");
    let labels = |t: &str| -> BTreeSet<String> {
        t.lines()
            .filter(|l| l.starts_with("resource "))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(labels(&terraform).len(), 2);
    assert!(!terraform.contains("\"backup_reader\" {"), "{terraform}");
    assert_eq!(
        labels(&terraform),
        labels(&swapped),
        "labels depend on what each resource manages, not on names' order"
    );
}

#[test]
fn one_policy_is_one_resource() {
    let text = r#"
settings "Finance (owner)" for group owner {
  group-id "7a1c2f3e-0000-4000-8000-00000000f1a5"
  activation admin: level all, default-recipients on
}
settings "Finance owners" for group owner {
  group-id "7A1C2F3E-0000-4000-8000-00000000F1A5"
  activation approver: level all, default-recipients on
}
"#;
    let error = terraform_of(text).expect_err("one policy twice");
    assert!(error.contains("are the settings of one policy"), "{error}");
}

/// The check notices the provider arguments the old export wrote, a duplicate label, and a
/// level the providers reject.
#[test]
fn terraform_the_providers_reject_is_caught() {
    let text =
        std::fs::read_to_string(inputs().join("tenant-settings.pimrules")).expect("readable");
    let terraform = terraform_of(&text).expect("exported");
    assert_eq!(applies(&terraform), Ok(()));
    let group_id = terraform.replace("object_id", "group_id");
    assert!(applies(&group_id).is_err());
    let none = terraform.replacen(
        "notification_level    = \"Critical\"",
        "notification_level    = \"None\"",
        1,
    );
    assert!(applies(&none).is_err());
    let first = terraform
        .lines()
        .find(|l| l.starts_with("resource \"azurerm"))
        .expect("an azurerm resource")
        .to_owned();
    let block_start = terraform.find(&first).expect("found");
    let twice = format!("{terraform}\n{}", &terraform[block_start..]);
    assert!(applies(&twice).is_err());
}
