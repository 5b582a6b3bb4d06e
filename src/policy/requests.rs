//! Tenant settings as the requests that write them: one Graph `PATCH` per stated rule (Entra
//! roles, PIM for Groups) and one ARM `PATCH` per policy (Azure roles), as JSON a script replays.
//!
//! Only stated rules are written, each field for field as its shape and its line say; a request
//! needs the policy's id, and ids are checked again here so that none can leave its URL.

use super::ids;
use crate::ruleset::tenant::rule_id;
use crate::ruleset::{RoleSettings, RoleTarget, SettingLine};
use crate::source::Span;
use serde_json::{Value, json};

/// Graph's v1.0 endpoint; the rule `PATCH` is the same in beta.
pub const GRAPH: &str = "https://graph.microsoft.com/v1.0";
/// Azure Resource Manager's endpoint.
pub const ARM: &str = "https://management.azure.com";
/// The ARM API version of `Microsoft.Authorization/roleManagementPolicies` pimrules writes.
pub const ARM_API_VERSION: &str = "2020-10-01";

/// One HTTP request that changes a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: &'static str,
    pub url: String,
    pub body: Value,
    /// the role whose settings it writes
    pub role: String,
    /// the ids of the rules it writes
    pub rules: Vec<String>,
}

/// Why settings cannot be written: a missing or unusable id, at the settings that lack it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportError {
    pub message: String,
    pub span: Span,
    pub help: String,
}

/// The requests that write the stated lines `select` chooses, role by role in order.
pub fn requests(
    roles: &[RoleSettings],
    select: &dyn Fn(&RoleSettings, &SettingLine) -> bool,
) -> Result<Vec<Request>, Vec<ExportError>> {
    let mut written = Vec::new();
    let mut errors = Vec::new();
    for role in roles {
        let lines: Vec<&SettingLine> = role.lines.iter().filter(|l| select(role, l)).collect();
        if lines.is_empty() {
            continue;
        }
        match role_requests(role, &lines) {
            Ok(found) => written.extend(found),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(written)
    } else {
        Err(errors)
    }
}

/// The requests as one JSON document: `{"version": 1, "requests": [{"method", "url", "role",
/// "rules", "body"}]}`.
pub fn requests_json(requests: &[Request]) -> Value {
    json!({
        "version": 1,
        "requests": requests.iter().map(|r| json!({
            "method": r.method,
            "url": r.url,
            "role": r.role,
            "rules": r.rules,
            "body": r.body,
        })).collect::<Vec<_>>(),
    })
}

fn role_requests(role: &RoleSettings, lines: &[&SettingLine]) -> Result<Vec<Request>, ExportError> {
    let Some(policy) = &role.policy_id else {
        return Err(ExportError {
            message: format!(
                "the settings of \"{}\" have no `policy-id`: a request needs the policy it changes",
                role.name
            ),
            span: role.span,
            help: "import the tenant's settings with `pimrules policy import` (it writes the \
                   policy id), or add `policy-id \"…\"`"
                .to_owned(),
        });
    };
    let rule = |line: &SettingLine| {
        role.shape_of(line).rule(
            line.section,
            line.row,
            &role.policy.get(line.section, line.row),
        )
    };
    match &role.target {
        RoleTarget::AzureRole { scope } => {
            let name = policy
                .node
                .rsplit('/')
                .next()
                .filter(|name| ids::is_uuid(name) && ids::is_arm_policy_id(&policy.node));
            let (Some(name), Some(_)) = (name, ids::arm_scope(scope)) else {
                return Err(unusable(
                    &policy.node,
                    policy.span,
                    "an Azure role management policy",
                ));
            };
            Ok(vec![Request {
                method: "PATCH",
                url: format!(
                    "{ARM}{scope}/providers/Microsoft.Authorization/roleManagementPolicies/{name}?api-version={ARM_API_VERSION}"
                ),
                body: json!({"properties": {"rules": lines.iter().map(|l| rule(l)).collect::<Vec<_>>()}}),
                role: role.name.clone(),
                rules: lines.iter().map(|l| rule_id(l.section, l.row)).collect(),
            }])
        }
        RoleTarget::EntraRole | RoleTarget::Group { .. } => {
            if !ids::is_graph_policy_id(&policy.node) {
                return Err(unusable(&policy.node, policy.span, "a Graph policy"));
            }
            Ok(lines
                .iter()
                .map(|line| {
                    let id = rule_id(line.section, line.row);
                    Request {
                        method: "PATCH",
                        url: format!(
                            "{GRAPH}/policies/roleManagementPolicies/{}/rules/{id}",
                            policy.node
                        ),
                        body: rule(line),
                        role: role.name.clone(),
                        rules: vec![id],
                    }
                })
                .collect())
        }
    }
}

fn unusable(id: &str, span: Span, what: &str) -> ExportError {
    ExportError {
        message: format!("`{}` is not the id of {what}", id.escape_debug()),
        span,
        help: "write the id the tenant returned".to_owned(),
    }
}

/// One role's settings as JSON (in `compile`'s decision table): its ids and target, and each
/// stated rule whole, as export writes it.
pub fn settings_json(role: &RoleSettings) -> Value {
    let id = |id: &Option<crate::ruleset::Spanned<String>>| id.as_ref().map(|i| i.node.clone());
    let (target, scope, member) = match &role.target {
        RoleTarget::EntraRole => ("entra-role", None, None),
        RoleTarget::Group { member } => ("group", None, *member),
        RoleTarget::AzureRole { scope } => ("azure-role", Some(scope.clone()), None),
    };
    json!({
        "name": role.name,
        "target": target,
        "scope": scope,
        "member": member,
        "role_id": id(&role.role_id),
        "group_id": id(&role.group_id),
        "policy_id": id(&role.policy_id),
        "approval_required": role.approval_required,
        "rules": role.lines.iter().map(|line| {
            role.shape_of(line).rule(line.section, line.row, &role.policy.get(line.section, line.row))
        }).collect::<Vec<_>>(),
    })
}
