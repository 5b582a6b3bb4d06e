//! `policy import`: a Graph document of notification settings → a `.pimrules` settings file in
//! the canonical layout, one `settings` block per role, with notes on what was skipped.

use super::graph::{GraphPolicy, PolicyError, read_policies};
use crate::ruleset::RoleTarget;
use crate::source::Span;
use crate::syntax::ast::*;

/// The settings file, and what the reader should know (skipped rules, invented names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub text: String,
    pub notes: Vec<String>,
}

/// Convert a Graph document. Invalid JSON, levels or addresses are errors (nothing is written).
pub fn import_graph(text: &str) -> Result<Imported, PolicyError> {
    let policies = read_policies(text)?;
    let mut notes = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut items = Vec::new();
    for (index, policy) in policies.iter().enumerate() {
        written_as_is(text, policy)?;
        let mut name = policy
            .name
            .clone()
            .or_else(|| policy.policy_id.clone())
            .unwrap_or_else(|| format!("imported role {}", index + 1));
        if policy.name.is_none() {
            notes.push(format!(
                "the document names no role for policy {}; it is called \"{name}\"",
                index + 1
            ));
        }
        while names.contains(&name) {
            name.push_str(" (again)");
        }
        names.push(name.clone());
        for id in &policy.skipped {
            notes.push(format!(
                "\"{name}\": skipped unknown notification rule `{id}`"
            ));
        }
        if !policy.other_rules.is_empty() {
            notes.push(format!(
                "\"{name}\": skipped what is not a notification rule: {}",
                policy.other_rules.join(", ")
            ));
        }
        items.push(at(Item::Settings(settings_decl(name, policy))));
    }
    let module = Module { items };
    let text = format!(
        "// Tenant notification settings, imported from Microsoft Graph by `pimrules policy import`.\n\n{}",
        crate::fmt::format_module(&module, "")
    );
    Ok(Imported { text, notes })
}

/// The names and ids a policy's settings are written with must be one-line text: a control
/// character (a CR, a NUL, …) has no place in them, and some cannot be written in a `.pimrules`
/// string at all.
fn written_as_is(text: &str, policy: &GraphPolicy) -> Result<(), PolicyError> {
    let scope = match &policy.target {
        Some(RoleTarget::AzureRole { scope }) => Some(scope),
        _ => None,
    };
    let values = [
        &policy.name,
        &policy.policy_id,
        &policy.role_id,
        &policy.group_id,
    ];
    let bad = values
        .into_iter()
        .flatten()
        .chain(scope)
        .find(|value| value.chars().any(char::is_control));
    match bad {
        Some(value) => Err(PolicyError::new(format!(
            "`{}` contains a control character",
            value.escape_debug()
        ))
        .at_literal(text, value)
        .help("names and ids are one line of text")),
        None => Ok(()),
    }
}

fn at<T>(node: T) -> Spanned<T> {
    Spanned::new(node, Span::default())
}

fn settings_decl(name: String, policy: &GraphPolicy) -> SettingsDecl {
    let target = match &policy.target {
        None | Some(RoleTarget::EntraRole) => SettingsTarget::EntraRole,
        Some(RoleTarget::Group { member }) => SettingsTarget::Group(if *member {
            GroupRole::Member
        } else {
            GroupRole::Owner
        }),
        Some(RoleTarget::AzureRole { scope }) => SettingsTarget::AzureRole {
            scope: at(scope.clone()),
        },
    };
    let mut clauses = Vec::new();
    let ids = [
        (IdKind::Role, &policy.role_id),
        (IdKind::Group, &policy.group_id),
        (IdKind::Policy, &policy.policy_id),
    ];
    for (kind, value) in ids {
        if let Some(value) = value {
            clauses.push(at(SettingsClause::Id {
                kind,
                value: at(value.clone()),
            }));
        }
    }
    if let Some(required) = policy.approval_required {
        clauses.push(at(SettingsClause::Approval(required)));
    }
    for (section, row) in &policy.order {
        let setting = policy.rules.get(*section, *row);
        let mut items = vec![
            at(SettingItem::Level(at(setting.level.keyword().to_owned()))),
            at(SettingItem::DefaultRecipients(setting.default_recipients)),
        ];
        if !setting.additional.is_empty() {
            items.push(at(SettingItem::Additional(
                setting.additional.iter().map(|a| at(a.clone())).collect(),
            )));
        }
        clauses.push(at(SettingsClause::Setting {
            section: at(section.keyword().to_owned()),
            row: at(row.keyword().to_owned()),
            items,
        }));
    }
    SettingsDecl {
        name: at(name),
        target: at(target),
        clauses,
    }
}
