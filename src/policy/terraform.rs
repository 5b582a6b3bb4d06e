//! Tenant settings as Terraform that applies: `azuread_group_role_management_policy` (PIM for
//! Groups), `azurerm_role_management_policy` (Azure roles) and, for Entra roles, which neither
//! provider manages, `msgraph_update_resource` (provider microsoft/msgraph) with the PATCH bodies.
//!
//! Only the stated rules are written; every resource has a unique, stable label; a resource the
//! providers would reject at plan time (no id, no group role, a second resource for one policy)
//! is a located error instead.

use super::requests::ExportError;
use crate::ruleset::tenant::{Level, RowSetting, rule_id};
use crate::ruleset::{PolicyRow, PolicySection, RoleSettings, RoleTarget, SettingLine};
use serde_json::Value;

/// The Terraform text, and notes on what Terraform cannot say as the settings do.
pub fn export_terraform(roles: &[RoleSettings]) -> Result<(String, Vec<String>), Vec<ExportError>> {
    let mut errors = Vec::new();
    let mut resources: Vec<(&RoleSettings, Resource)> = Vec::new();
    for role in roles.iter().filter(|r| !r.lines.is_empty()) {
        match resource_of(role) {
            Ok(resource) => match resources.iter().find(|(_, r)| r.key == resource.key) {
                Some((first, _)) => errors.push(ExportError {
                    message: format!(
                        "\"{}\" and \"{}\" are the settings of one policy; Terraform manages it once",
                        first.name, role.name
                    ),
                    span: role.span,
                    help: "keep one settings block per policy".to_owned(),
                }),
                None => resources.push((role, resource)),
            },
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let labels = labels(&resources);
    let mut notes = Vec::new();
    let mut providers = Vec::new();
    let mut blocks = Vec::new();
    for ((role, resource), label) in resources.iter().zip(&labels) {
        if !providers.contains(&resource.provider) {
            providers.push(resource.provider);
        }
        match &resource.kind {
            Kind::Graph { url_prefix } => {
                for line in &role.lines {
                    let id = rule_id(line.section, line.row);
                    let setting = role.policy.get(line.section, line.row);
                    let body = role.shape_of(line).rule(line.section, line.row, &setting);
                    blocks.push(format!(
                        "resource \"msgraph_update_resource\" \"{label}_{}\" {{\n  url  = {}\n  body = {}\n}}\n",
                        id.to_ascii_lowercase(),
                        quote(&format!("{url_prefix}/rules/{id}")),
                        hcl(&body, 2)
                    ));
                }
            }
            Kind::Policy {
                resource,
                head,
                nesting,
            } => {
                let mut text = format!("resource \"{resource}\" \"{label}\" {{\n");
                let width = head.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                for (key, value) in head {
                    text.push_str(&format!("  {key:width$} = {}\n", quote(value)));
                }
                text.push_str("\n  notification_rules {\n");
                text.push_str(&notification_blocks(role, *nesting, &mut notes));
                text.push_str("  }\n}\n");
                blocks.push(text);
            }
        }
    }
    let mut text = String::new();
    if !providers.is_empty() {
        text.push_str("terraform {\n  required_providers {\n");
        for provider in &providers {
            let (name, source) = match provider {
                Provider::AzureAd => ("azuread", "hashicorp/azuread"),
                Provider::AzureRm => ("azurerm", "hashicorp/azurerm"),
                Provider::MsGraph => ("msgraph", "microsoft/msgraph"),
            };
            text.push_str(&format!(
                "    {name} = {{\n      source = \"{source}\"\n    }}\n"
            ));
        }
        text.push_str("  }\n}\n");
    }
    for block in blocks {
        text.push('\n');
        text.push_str(&block);
    }
    Ok((text, notes))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Provider {
    AzureAd,
    AzureRm,
    MsGraph,
}

/// How a provider nests notification settings: azurerm by section then row, azuread by row
/// then section.
#[derive(Debug, Clone, Copy)]
enum Nesting {
    SectionFirst,
    RowFirst,
}

enum Kind {
    Graph {
        url_prefix: String,
    },
    Policy {
        resource: &'static str,
        head: Vec<(&'static str, String)>,
        nesting: Nesting,
    },
}

struct Resource {
    provider: Provider,
    kind: Kind,
    /// what identifies the policy the resource manages
    key: String,
}

fn resource_of(role: &RoleSettings) -> Result<Resource, ExportError> {
    let missing = |what: &str, why: &str| ExportError {
        message: format!("\"{}\" has no {what}; {why}", role.name),
        span: role.span,
        help: "import the tenant's policy assignments with `pimrules policy import`, which \
               writes every id they give"
            .to_owned(),
    };
    match &role.target {
        RoleTarget::EntraRole => {
            let policy = role.policy_id.as_ref().ok_or_else(|| {
                missing(
                    "`policy-id`",
                    "msgraph_update_resource needs the policy it updates",
                )
            })?;
            Ok(Resource {
                provider: Provider::MsGraph,
                kind: Kind::Graph {
                    url_prefix: format!("policies/roleManagementPolicies/{}", policy.node),
                },
                key: format!("graph {}", policy.node),
            })
        }
        RoleTarget::Group { member } => {
            let group = role.group_id.as_ref().ok_or_else(|| {
                missing(
                    "`group-id`",
                    "azuread_group_role_management_policy needs the group",
                )
            })?;
            let member = member.ok_or_else(|| ExportError {
                message: format!(
                    "\"{}\" does not say whether it is the group's member or owner role",
                    role.name
                ),
                span: role.span,
                help:
                    "write `for group member` or `for group owner` (policy assignments say which)"
                        .to_owned(),
            })?;
            let assignment = if member { "member" } else { "owner" };
            Ok(Resource {
                provider: Provider::AzureAd,
                kind: Kind::Policy {
                    resource: "azuread_group_role_management_policy",
                    head: vec![
                        ("object_id", group.node.clone()),
                        ("assignment_type", assignment.to_owned()),
                    ],
                    nesting: Nesting::RowFirst,
                },
                key: format!("group {} {assignment}", group.node.to_ascii_lowercase()),
            })
        }
        RoleTarget::AzureRole { scope } => {
            let role_id = role.role_id.as_ref().ok_or_else(|| {
                missing(
                    "`role-id`",
                    "azurerm_role_management_policy needs the role definition",
                )
            })?;
            Ok(Resource {
                provider: Provider::AzureRm,
                kind: Kind::Policy {
                    resource: "azurerm_role_management_policy",
                    head: vec![
                        ("scope", scope.clone()),
                        ("role_definition_id", role_id.node.clone()),
                    ],
                    nesting: Nesting::SectionFirst,
                },
                key: format!(
                    "azure {} {}",
                    scope.to_ascii_lowercase(),
                    role_id.node.to_ascii_lowercase()
                ),
            })
        }
    }
}

/// The stated lines as nested notification blocks.
fn notification_blocks(role: &RoleSettings, nesting: Nesting, notes: &mut Vec<String>) -> String {
    let stated = |section: PolicySection, row: PolicyRow| -> Option<&SettingLine> {
        role.lines
            .iter()
            .find(|l| (l.section, l.row) == (section, row))
    };
    let mut text = String::new();
    let mut settings = |section: PolicySection, row: PolicyRow, indent: &str| -> String {
        let setting = role.policy.get(section, row);
        if setting.level == Level::None {
            notes.push(format!(
                "\"{}\": {} {} has level none, which Terraform cannot express; written as level \
                 Critical with default recipients off and no additional recipients (nobody is \
                 emailed either way)",
                role.name,
                section.keyword(),
                row.keyword()
            ));
        }
        settings_block(row_block(row), &setting, indent)
    };
    match nesting {
        Nesting::SectionFirst => {
            for section in PolicySection::ALL {
                let rows: Vec<PolicyRow> = PolicyRow::ALL
                    .into_iter()
                    .filter(|r| stated(section, *r).is_some())
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                text.push_str(&format!("    {} {{\n", azurerm_section(section)));
                for row in rows {
                    text.push_str(&settings(section, row, "      "));
                }
                text.push_str("    }\n");
            }
        }
        Nesting::RowFirst => {
            for row in PolicyRow::ALL {
                let sections: Vec<PolicySection> = PolicySection::ALL
                    .into_iter()
                    .filter(|s| stated(*s, row).is_some())
                    .collect();
                if sections.is_empty() {
                    continue;
                }
                text.push_str(&format!("    {} {{\n", row_block(row)));
                for section in sections {
                    text.push_str(&settings(section, row, "      ").replacen(
                        row_block(row),
                        azuread_section(section),
                        1,
                    ));
                }
                text.push_str("    }\n");
            }
        }
    }
    text
}

fn azurerm_section(section: PolicySection) -> &'static str {
    match section {
        PolicySection::EligibleAssignment => "eligible_assignments",
        PolicySection::ActiveAssignment => "active_assignments",
        PolicySection::Activation => "eligible_activations",
    }
}

fn azuread_section(section: PolicySection) -> &'static str {
    match section {
        PolicySection::EligibleAssignment => "eligible_assignments",
        PolicySection::ActiveAssignment => "active_assignments",
        PolicySection::Activation => "activations",
    }
}

fn row_block(row: PolicyRow) -> &'static str {
    match row {
        PolicyRow::Admin => "admin_notifications",
        PolicyRow::Requestor => "assignee_notifications",
        PolicyRow::Approver => "approver_notifications",
    }
}

/// `name { notification_level, default_recipients, additional_recipients }`; the recipients are
/// always written, an empty list too, so that removing the last one is a change Terraform sends.
fn settings_block(name: &str, setting: &RowSetting, indent: &str) -> String {
    let (level, defaults, additional) = match setting.level {
        Level::None => ("Critical", false, Vec::new()),
        level => (
            level.graph_name(),
            setting.default_recipients,
            setting.additional.clone(),
        ),
    };
    let recipients: Vec<String> = additional.iter().map(|a| quote(a)).collect();
    format!(
        "{indent}{name} {{\n{indent}  notification_level    = {}\n{indent}  default_recipients    = {defaults}\n{indent}  additional_recipients = [{}]\n{indent}}}\n",
        quote(level),
        recipients.join(", ")
    )
}

/// Resource labels: each role's name as a Terraform identifier; where two roles' names give the
/// same identifier, each of them gets a hash of the policy it manages as well, so that no label
/// depends on the order of the roles or on the other roles' names.
fn labels(resources: &[(&RoleSettings, Resource)]) -> Vec<String> {
    let bases: Vec<String> = resources
        .iter()
        .map(|(role, _)| label(&role.name))
        .collect();
    bases
        .iter()
        .zip(resources)
        .map(|(base, (_, resource))| {
            if bases.iter().filter(|b| *b == base).count() > 1 {
                format!("{base}_{:08x}", fnv1a32(&resource.key))
            } else {
                base.clone()
            }
        })
        .collect()
}

fn fnv1a32(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// A Terraform name: words of letters, digits and `-` joined by `_`, lowercase, starting with a
/// letter or `_`.
fn label(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut label = words.join("_");
    if !label.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        label.insert(0, '_');
    }
    label
}

/// A JSON value as an HCL expression, objects over several lines at `indent`.
fn hcl(value: &Value, indent: usize) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| hcl(v, indent + 2)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(members) if members.is_empty() => "{}".to_owned(),
        Value::Object(members) => {
            let pad = " ".repeat(indent + 2);
            let width = members.keys().map(|k| key(k).len()).max().unwrap_or(0);
            let mut text = String::from("{\n");
            for (name, member) in members {
                text.push_str(&format!(
                    "{pad}{:width$} = {}\n",
                    key(name),
                    hcl(member, indent + 2)
                ));
            }
            text.push_str(&" ".repeat(indent));
            text.push('}');
            text
        }
    }
}

/// An object key: bare when it is an HCL identifier, quoted otherwise (`"@odata.type"`).
fn key(name: &str) -> String {
    let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if identifier {
        name.to_owned()
    } else {
        quote(name)
    }
}

/// An HCL string literal: `"`, `\` and control characters escaped, and `${`/`%{` doubled so
/// they are not read as template sequences.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_for_hcl() {
        assert_eq!(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(quote("${var.x} %{if}"), "\"$${var.x} %%{if}\"");
        assert_eq!(quote("cost $5"), "\"cost $5\"");
        assert_eq!(quote("line\nbreak"), "\"line\\nbreak\"");
    }

    #[test]
    fn labels_are_terraform_names() {
        assert_eq!(label("Backup Reader"), "backup_reader");
        assert_eq!(label("1st role"), "_1st_role");
        assert_eq!(
            label("Finance approvers (owner)"),
            "finance_approvers_owner"
        );
    }

    #[test]
    fn json_bodies_become_hcl_objects() {
        let body = serde_json::json!({"@odata.type": "#x", "id": "N", "list": ["a"], "target": {"level": "L"}});
        assert_eq!(
            hcl(&body, 2),
            "{\n    \"@odata.type\" = \"#x\"\n    id            = \"N\"\n    list          = [\"a\"]\n    target        = {\n      level = \"L\"\n    }\n  }"
        );
    }
}
