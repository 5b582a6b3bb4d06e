//! Tenant settings as Terraform: `notification_rules` blocks of `azuread_group_role_management_policy`
//! (PIM for Groups) and `azurerm_role_management_policy` (Azure roles), with HCL-escaped strings.

use super::{Level, RowSetting};
use crate::ruleset::{PolicyRow, PolicySection, RoleSettings, RoleTarget};

/// Terraform for every role the provider can express, and a note for each role it cannot
/// (Entra roles have no Terraform resource; `None` levels have no Terraform value).
pub fn export_terraform(settings: &[RoleSettings]) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut notes = Vec::new();
    for role in settings {
        let (resource, head) = match &role.target {
            RoleTarget::EntraRole => {
                notes.push(format!(
                    "\"{}\" is an Entra role: Terraform has no resource for its settings; use --to graph",
                    role.name
                ));
                continue;
            }
            RoleTarget::Group { member } => {
                let Some(group_id) = &role.group_id else {
                    notes.push(format!(
                        "\"{}\" has no `group-id`; it is left out",
                        role.name
                    ));
                    continue;
                };
                (
                    "azuread_group_role_management_policy",
                    vec![
                        ("group_id", quote(group_id)),
                        ("role_id", quote(if *member { "member" } else { "owner" })),
                    ],
                )
            }
            RoleTarget::AzureRole { scope } => {
                let Some(role_id) = &role.role_id else {
                    notes.push(format!(
                        "\"{}\" has no `role-id`; it is left out",
                        role.name
                    ));
                    continue;
                };
                (
                    "azurerm_role_management_policy",
                    vec![
                        ("scope", quote(scope)),
                        ("role_definition_id", quote(role_id)),
                    ],
                )
            }
        };
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!(
            "resource \"{resource}\" \"{}\" {{\n",
            label(&role.name)
        ));
        let width = head.iter().map(|(key, _)| key.len()).max().unwrap_or(0);
        for (key, value) in head {
            text.push_str(&format!("  {key:width$} = {value}\n"));
        }
        text.push_str("\n  notification_rules {\n");
        for section in PolicySection::ALL {
            text.push_str(&format!("    {} {{\n", section_block(section)));
            for row in PolicyRow::ALL {
                let setting = role.policy.get(section, row);
                if setting.level == Level::None {
                    notes.push(format!(
                        "\"{}\": {} {} has level none, which Terraform cannot express; written as Critical without recipients",
                        role.name,
                        section.keyword(),
                        row.keyword()
                    ));
                }
                text.push_str(&row_block(row, &setting));
            }
            text.push_str("    }\n");
        }
        text.push_str("  }\n}\n");
    }
    (text, notes)
}

fn section_block(section: PolicySection) -> &'static str {
    match section {
        PolicySection::EligibleAssignment => "eligible_assignments",
        PolicySection::ActiveAssignment => "active_assignments",
        PolicySection::Activation => "eligible_activations",
    }
}

fn row_block(row: PolicyRow, setting: &RowSetting) -> String {
    let name = match row {
        PolicyRow::Admin => "admin_notifications",
        PolicyRow::Requestor => "assignee_notifications",
        PolicyRow::Approver => "approver_notifications",
    };
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
        "      {name} {{\n        notification_level    = {}\n        default_recipients    = {defaults}\n        additional_recipients = [{}]\n      }}\n",
        quote(level),
        recipients.join(", ")
    )
}

/// A Terraform resource name: words of letters, digits and `-` joined by `_`, starting with a
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
    use super::{label, quote};

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
}
