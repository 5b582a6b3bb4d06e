//! `policy import`: a tenant document → a `.pimrules` settings file in the canonical layout, one
//! `settings` block per role, stating exactly the rules the document held.

use super::PolicyError;
use super::read::{RoleNames, read_tenant};
use crate::ruleset::{RoleSettings, RoleTarget};
use crate::source::{FileId, Span};
use crate::syntax::ast::*;

/// The settings file, and what the reader should know (rules not kept, what is unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub text: String,
    pub notes: Vec<String>,
}

/// Convert a tenant document. Anything pimrules cannot read exactly is an error (nothing is
/// written).
pub fn import_tenant(text: &str, names: &RoleNames) -> Result<Imported, PolicyError> {
    let tenant = read_tenant(FileId(0), text, names)?;
    let mut notes = tenant.notes;
    for role in &tenant.roles {
        if matches!(role.target, RoleTarget::Group { member: None }) {
            notes.push(format!(
                "\"{}\": the document does not say whether these are the group's member or owner \
                 settings (written `for group`); policy assignments say so",
                role.name
            ));
        }
    }
    Ok(Imported {
        text: settings_text(&tenant.roles),
        notes,
    })
}

/// Settings as a `.pimrules` file in the canonical layout.
pub fn settings_text(roles: &[RoleSettings]) -> String {
    let module = Module {
        items: roles
            .iter()
            .map(|role| at(Item::Settings(settings_decl(role))))
            .collect(),
    };
    format!(
        "// Tenant notification settings, imported by `pimrules policy import`: each line is one \
         notification rule\n// the tenant returned; `rule-shape` and `shape` keep its other \
         fields as returned.\n\n{}",
        crate::fmt::format_module(&module, "")
    )
}

fn at<T>(node: T) -> Spanned<T> {
    Spanned::new(node, Span::default())
}

fn settings_decl(role: &RoleSettings) -> SettingsDecl {
    let target = match &role.target {
        RoleTarget::EntraRole => SettingsTarget::EntraRole,
        RoleTarget::Group { member } => SettingsTarget::Group(member.map(|m| {
            if m {
                GroupRole::Member
            } else {
                GroupRole::Owner
            }
        })),
        RoleTarget::AzureRole { scope } => SettingsTarget::AzureRole {
            scope: at(scope.clone()),
        },
    };
    let mut clauses = Vec::new();
    let ids = [
        (IdKind::Role, &role.role_id),
        (IdKind::Group, &role.group_id),
        (IdKind::Policy, &role.policy_id),
    ];
    for (kind, value) in ids {
        if let Some(value) = value {
            clauses.push(at(SettingsClause::Id {
                kind,
                value: at(value.node.clone()),
            }));
        }
    }
    if let Some(required) = role.approval_required {
        clauses.push(at(SettingsClause::Approval(required)));
    }
    if let Some(shape) = &role.shape {
        clauses.push(at(SettingsClause::Shape(at(shape.node.to_json_line()))));
    }
    for line in &role.lines {
        let setting = role.policy.get(line.section, line.row);
        let mut items = vec![
            at(SettingItem::Level(at(setting.level.keyword().to_owned()))),
            at(SettingItem::DefaultRecipients(setting.default_recipients)),
        ];
        if !setting.additional.is_empty() {
            items.push(at(SettingItem::Additional(
                setting.additional.iter().map(|a| at(a.clone())).collect(),
            )));
        }
        if let Some(shape) = &line.shape {
            items.push(at(SettingItem::Shape(at(shape.node.to_json_line()))));
        }
        clauses.push(at(SettingsClause::Setting {
            section: at(line.section.keyword().to_owned()),
            row: at(line.row.keyword().to_owned()),
            items,
        }));
    }
    SettingsDecl {
        name: at(role.name.clone()),
        target: at(target),
        clauses,
    }
}
