//! Microsoft Graph JSON for PIM notification settings: reading rules, policies and policy
//! assignments (with located errors), and writing the nine rules of a role back as Graph does.
//!
//! Accepted documents: a `GET …/roleManagementPolicies/{id}/rules` response (`{"value": [...]}`),
//! a bare array of rules or a single rule, and policies or policy assignments with their rules
//! expanded (`{"value": [{"policy": {"rules": [...]}, "roleDefinitionId": …, …}]}`), which is also
//! what `export_graph` writes. Rules other than notification rules are skipped, except the
//! approval rule, whose `isApprovalRequired` is kept.

use super::{
    Level, NOTIFICATION_RULE_TYPE, NotificationPolicy, RowSetting, parse_rule_id, rule_id,
};
use crate::address;
use crate::json_location;
use crate::ruleset::{PolicyRow, PolicySection, RoleSettings, RoleTarget};
use serde_json::{Value, json};

const APPROVAL_RULE_ID: &str = "Approval_EndUser_Assignment";

/// A problem in a policy document, located by byte offset when pimrules can tell where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub message: String,
    pub offset: Option<usize>,
    pub length: usize,
    pub help: Option<String>,
}

impl PolicyError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        PolicyError {
            message: message.into(),
            offset: None,
            length: 0,
            help: None,
        }
    }

    /// Point at the first occurrence of `literal` (as a JSON string) in the document.
    pub(super) fn at_literal(mut self, text: &str, literal: &str) -> Self {
        let quoted = serde_json::to_string(literal).unwrap_or_default();
        if let Some(offset) = text.find(&quoted) {
            self.offset = Some(offset);
            self.length = quoted.len();
        }
        self
    }

    pub(super) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// One role's settings as found in a Graph document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GraphPolicy {
    pub policy_id: Option<String>,
    /// the role's display name, when the document gives one
    pub name: Option<String>,
    pub target: Option<RoleTarget>,
    pub role_id: Option<String>,
    pub group_id: Option<String>,
    pub approval_required: Option<bool>,
    pub rules: NotificationPolicy,
    /// the notification rules the policy gave, in order
    pub order: Vec<(PolicySection, PolicyRow)>,
    /// the ids of notification rules pimrules does not know, which were skipped
    pub skipped: Vec<String>,
    /// the ids of the other rules (expiration, enablement, …), which were skipped
    pub other_rules: Vec<String>,
}

impl NotificationPolicy {
    /// Read one role's notification rules (`--policy`): a rules response, an array of rules, or
    /// one policy. An unknown notification rule id is an error here.
    pub fn from_graph_json(text: &str) -> Result<NotificationPolicy, PolicyError> {
        let mut policies = read_policies(text)?;
        if policies.len() != 1 {
            return Err(PolicyError::new(format!(
                "the document holds {} policies; give the rules of one role",
                policies.len()
            )));
        }
        let policy = policies.remove(0);
        if let Some(id) = policy.skipped.first() {
            return Err(
                PolicyError::new(format!("unknown notification rule id `{id}`"))
                    .at_literal(text, id)
                    .help(known_ids_hint(id)),
            );
        }
        Ok(policy.rules)
    }
}

/// Every policy of a Graph document. Unknown notification rule ids are reported in `skipped`;
/// invalid JSON, levels and addresses are errors.
pub fn read_policies(text: &str) -> Result<Vec<GraphPolicy>, PolicyError> {
    let document: Value = serde_json::from_str(text).map_err(|e| {
        let mut error = PolicyError::new(format!(
            "invalid JSON: {}",
            json_location::strip_position(&e)
        ));
        error.offset = Some(json_location::offset_of(text, e.line(), e.column()));
        error.length = 1;
        error
    })?;
    let context_policy = document
        .get("@odata.context")
        .and_then(Value::as_str)
        .and_then(policy_id_from_context);
    let items: Vec<&Value> = match &document {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => match map.get("value") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(_) => {
                return Err(PolicyError::new("`value` must be an array").at_literal(text, "value"));
            }
            None => vec![&document],
        },
        _ => {
            return Err(PolicyError::new(
                "expected a Graph response `{\"value\": [...]}`, an array of rules or policies, or one rule",
            ));
        }
    };
    let holds_policies = items
        .iter()
        .any(|item| item.get("rules").is_some() || item.get("policy").is_some());
    if !holds_policies {
        let mut policy = GraphPolicy {
            policy_id: context_policy,
            ..GraphPolicy::default()
        };
        read_rules(&mut policy, items, text)?;
        return Ok(vec![policy]);
    }
    items
        .into_iter()
        .map(|item| read_policy(item, text))
        .collect()
}

/// A policy (`{"id", "scopeId", "scopeType", "rules"}`) or a policy assignment
/// (`{"policyId", "roleDefinitionId", "scopeId", "scopeType", "policy": {…}, "roleDefinition"}`).
fn read_policy(item: &Value, text: &str) -> Result<GraphPolicy, PolicyError> {
    let string = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
    let body = item.get("policy").unwrap_or(item);
    let scope_id = string(item.get("scopeId")).or_else(|| string(body.get("scopeId")));
    let scope_type = string(item.get("scopeType")).or_else(|| string(body.get("scopeType")));
    let role_definition = string(item.get("roleDefinitionId"));
    let target = match (scope_type.as_deref(), scope_id.as_deref()) {
        (Some("DirectoryRole"), _) => Some(RoleTarget::EntraRole),
        (Some("Group"), _) => Some(RoleTarget::Group {
            member: role_definition.as_deref() != Some("owner"),
        }),
        (_, Some(scope)) if scope.starts_with('/') && scope != "/" => Some(RoleTarget::AzureRole {
            scope: scope.to_owned(),
        }),
        _ => None,
    };
    let is_group = matches!(target, Some(RoleTarget::Group { .. }));
    let mut policy = GraphPolicy {
        policy_id: string(item.get("policyId")).or_else(|| string(body.get("id"))),
        name: string(
            item.get("roleDefinition")
                .and_then(|r| r.get("displayName")),
        )
        .or_else(|| string(item.get("displayName")))
        .or_else(|| string(body.get("displayName"))),
        role_id: if is_group { None } else { role_definition },
        group_id: if is_group { scope_id } else { None },
        target,
        ..GraphPolicy::default()
    };
    let rules = match body.get("rules") {
        Some(Value::Array(rules)) => rules.iter().collect(),
        Some(_) => {
            return Err(PolicyError::new("`rules` must be an array").at_literal(text, "rules"));
        }
        None => Vec::new(),
    };
    read_rules(&mut policy, rules, text)?;
    Ok(policy)
}

fn read_rules(policy: &mut GraphPolicy, rules: Vec<&Value>, text: &str) -> Result<(), PolicyError> {
    for rule in rules {
        let Value::Object(fields) = rule else {
            return Err(PolicyError::new("each rule must be a JSON object"));
        };
        let id = match fields.get("id") {
            Some(Value::String(id)) => id.as_str(),
            _ => return Err(PolicyError::new("a rule has no string `id`")),
        };
        if id == APPROVAL_RULE_ID {
            policy.approval_required = rule
                .get("setting")
                .and_then(|s| s.get("isApprovalRequired"))
                .and_then(Value::as_bool);
            continue;
        }
        let kind = fields.get("@odata.type").and_then(Value::as_str);
        if !(kind == Some(NOTIFICATION_RULE_TYPE) || id.starts_with("Notification_")) {
            policy.other_rules.push(id.to_owned());
            continue;
        }
        let Some((section, row)) = parse_rule_id(id) else {
            policy.skipped.push(id.to_owned());
            continue;
        };
        if policy.rules.settings.contains_key(&(section, row)) {
            return Err(
                PolicyError::new(format!("notification rule `{id}` is given twice"))
                    .at_literal(text, id),
            );
        }
        if let Some(Value::String(recipient_type)) = fields.get("recipientType")
            && !recipient_type.eq_ignore_ascii_case(row.graph_name())
        {
            return Err(PolicyError::new(format!(
                "rule `{id}` has recipientType `{recipient_type}`, but its id says `{}`",
                row.graph_name()
            ))
            .at_literal(text, recipient_type));
        }
        let setting = read_setting(id, fields, text)?;
        policy.rules.settings.insert((section, row), setting);
        policy.order.push((section, row));
    }
    Ok(())
}

fn read_setting(
    id: &str,
    fields: &serde_json::Map<String, Value>,
    text: &str,
) -> Result<RowSetting, PolicyError> {
    let mut setting = RowSetting::default();
    match fields.get("notificationLevel") {
        None => {}
        Some(Value::String(level)) => {
            setting.level = Level::from_graph(level).ok_or_else(|| {
                PolicyError::new(format!(
                    "`{level}` is not a notificationLevel of rule `{id}`"
                ))
                .at_literal(text, level)
                .help("the levels are `None`, `Critical` and `All`")
            })?;
        }
        Some(_) => {
            return Err(PolicyError::new(format!(
                "`notificationLevel` of rule `{id}` must be a string"
            )));
        }
    }
    match fields.get("isDefaultRecipientsEnabled") {
        None => {}
        Some(Value::Bool(enabled)) => setting.default_recipients = *enabled,
        Some(_) => {
            return Err(PolicyError::new(format!(
                "`isDefaultRecipientsEnabled` of rule `{id}` must be true or false"
            )));
        }
    }
    match fields.get("notificationRecipients") {
        None | Some(Value::Null) => {}
        Some(Value::Array(addresses)) => {
            for address in addresses {
                let Some(address) = address.as_str() else {
                    return Err(PolicyError::new(format!(
                        "`notificationRecipients` of rule `{id}` must hold strings"
                    )));
                };
                if !address::is_valid(address) {
                    return Err(PolicyError::new(format!(
                        "invalid address `{}` in `notificationRecipients` of rule `{id}`",
                        address.escape_debug()
                    ))
                    .at_literal(text, address));
                }
                setting.additional.push(address.to_owned());
            }
        }
        Some(_) => {
            return Err(PolicyError::new(format!(
                "`notificationRecipients` of rule `{id}` must be an array of addresses"
            )));
        }
    }
    Ok(setting)
}

fn known_ids_hint(id: &str) -> String {
    let ids: Vec<String> = PolicySection::ALL
        .into_iter()
        .flat_map(|s| PolicyRow::ALL.into_iter().map(move |r| rule_id(s, r)))
        .collect();
    crate::diagnostic::did_you_mean(id, ids.iter().map(String::as_str))
        .unwrap_or_else(|| format!("the notification rules are {}", ids.join(", ")))
}

/// `…/roleManagementPolicies('ID')/rules` → `ID`.
fn policy_id_from_context(context: &str) -> Option<String> {
    let start = context.find("roleManagementPolicies('")? + "roleManagementPolicies('".len();
    let end = context[start..].find('\'')? + start;
    Some(context[start..end].to_owned())
}

// ----- writing -----

/// The full Graph body of one notification rule (what a PATCH of that rule sends).
pub fn rule_body(section: PolicySection, row: PolicyRow, setting: &RowSetting) -> Value {
    let (caller, level) = match section {
        PolicySection::EligibleAssignment => ("Admin", "Eligibility"),
        PolicySection::ActiveAssignment => ("Admin", "Assignment"),
        PolicySection::Activation => ("EndUser", "Assignment"),
    };
    json!({
        "@odata.type": NOTIFICATION_RULE_TYPE,
        "id": rule_id(section, row),
        "notificationType": "Email",
        "recipientType": row.graph_name(),
        "notificationLevel": setting.level.graph_name(),
        "isDefaultRecipientsEnabled": setting.default_recipients,
        "notificationRecipients": setting.additional,
        "target": {
            "caller": caller,
            "operations": ["All"],
            "level": level,
            "inheritableSettings": [],
            "enforcedSettings": [],
        },
    })
}

/// The nine rule bodies of a role, in Graph's order (section by section, admin first).
fn rule_bodies(policy: &NotificationPolicy) -> Vec<Value> {
    PolicySection::ALL
        .into_iter()
        .flat_map(|section| PolicyRow::ALL.into_iter().map(move |row| (section, row)))
        .map(|(section, row)| rule_body(section, row, &policy.get(section, row)))
        .collect()
}

/// One role's settings as a Graph policy assignment with its policy and rules expanded.
pub fn settings_json(settings: &RoleSettings) -> Value {
    let (scope_id, scope_type, role_definition) = match &settings.target {
        RoleTarget::EntraRole => (
            Some("/".to_owned()),
            "DirectoryRole".to_owned(),
            settings.role_id.clone(),
        ),
        RoleTarget::Group { member } => (
            settings.group_id.clone(),
            "Group".to_owned(),
            Some(if *member { "member" } else { "owner" }.to_owned()),
        ),
        RoleTarget::AzureRole { scope } => (
            Some(scope.clone()),
            azure_scope_type(scope),
            settings.role_id.clone(),
        ),
    };
    json!({
        "policyId": settings.policy_id,
        "scopeId": scope_id,
        "scopeType": scope_type,
        "roleDefinitionId": role_definition,
        "roleDefinition": {"displayName": settings.name},
        "policy": {
            "id": settings.policy_id,
            "rules": rule_bodies(&settings.policy),
        },
    })
}

/// Graph's `scopeType` of an Azure scope path.
fn azure_scope_type(scope: &str) -> String {
    let lower = scope.to_ascii_lowercase();
    if lower.contains("/resourcegroups/") && lower.contains("/providers/") {
        "resource"
    } else if lower.contains("/resourcegroups/") {
        "resourcegroup"
    } else if lower.starts_with("/providers/microsoft.management/managementgroups/") {
        "managementgroup"
    } else {
        "subscription"
    }
    .to_owned()
}

/// Every role's settings as Graph JSON: `{"value": [policy assignment, …]}`. Each rule object
/// is the body of a PATCH to `/policies/roleManagementPolicies/{policyId}/rules/{id}`.
pub fn export_graph(settings: &[RoleSettings]) -> Value {
    json!({ "value": settings.iter().map(settings_json).collect::<Vec<_>>() })
}
