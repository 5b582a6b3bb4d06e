//! What a tenant document holds: the kinds Graph and ARM return, their lists and pages, and the
//! policies found in them, each with what it is for and its rules (not yet read).

use crate::policy::PolicyError;
use crate::policy::json::{self, kind, member, string_member, wrong_type};
use crate::ruleset::RoleTarget;
use crate::ruleset::shape::Service;
use jsonc_parser::ast::{self, Value as Node};
use std::ops::Range;

/// The request that lists Entra role policy assignments with their rules.
pub const ENTRA_ASSIGNMENTS: &str = "GET https://graph.microsoft.com/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'&$expand=policy($expand=rules)";
/// The request that lists a group's two policy assignments (member, owner) with their rules.
pub const GROUP_ASSIGNMENTS: &str = "GET https://graph.microsoft.com/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '{group-id}' and scopeType eq 'Group'&$expand=policy($expand=rules)";
/// The request that lists one policy's rules.
pub const POLICY_RULES: &str =
    "GET https://graph.microsoft.com/v1.0/policies/roleManagementPolicies/{policy-id}/rules";
/// The request that lists the Azure role policy assignments of a scope, with their rules.
pub const ARM_ASSIGNMENTS: &str = "GET https://management.azure.com{scope}/providers/Microsoft.Authorization/roleManagementPolicyAssignments?api-version=2020-10-01";

/// One policy as a document gives it: what it is for, and its rules.
pub(super) struct Found<'n, 'a> {
    pub(super) service: Service,
    pub(super) target: RoleTarget,
    pub(super) role_id: Option<Located>,
    pub(super) group_id: Option<Located>,
    pub(super) policy_id: Option<Located>,
    /// a display name the document itself gives (ARM assignments name their role)
    pub(super) display_name: Option<String>,
    pub(super) rules: Vec<&'n Node<'a>>,
    pub(super) range: Range<usize>,
    /// where to point at the policy in a message
    pub(super) anchor: Range<usize>,
}

impl Found<'_, '_> {
    /// The request that fetches this policy's rules whole.
    pub(super) fn rules_request(&self) -> String {
        match (self.service, &self.policy_id, &self.target) {
            (Service::Graph, Some(id), _) => POLICY_RULES.replace("{policy-id}", &id.value),
            (Service::Graph, None, _) => POLICY_RULES.to_owned(),
            (Service::Arm, _, RoleTarget::AzureRole { scope }) => {
                ARM_ASSIGNMENTS.replace("{scope}", scope)
            }
            (Service::Arm, _, _) => ARM_ASSIGNMENTS.to_owned(),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Located {
    pub(super) value: String,
    pub(super) range: Range<usize>,
}

impl Located {
    pub(super) fn of(s: &ast::StringLit) -> Result<Located, PolicyError> {
        Ok(Located {
            value: one_line(s)?,
            range: json::range(s),
        })
    }
}

/// The items of a list response (`{"value": [...]}`) or the one item, and whether it was a list.
/// A page that has a next one is refused.
pub(super) fn listed<'n, 'a>(root: &'n Node<'a>) -> Result<(Vec<&'n Node<'a>>, bool), PolicyError> {
    match root {
        Node::Array(array) => Ok((array.elements.iter().collect(), true)),
        Node::Object(object) => {
            for key in ["@odata.nextLink", "nextLink"] {
                if let Some(link @ Node::StringLit(_)) = member(object, key) {
                    return Err(PolicyError::new(format!(
                        "the document is one page of several (it has `{key}`)"
                    ))
                    .at(json::range(link))
                    .help(
                        "fetch every page (follow each page's next link) and give them as one \
                         `{\"value\": [...]}`; the README shows a loop that does",
                    ));
                }
            }
            match member(object, "value") {
                Some(Node::Array(array)) => Ok((array.elements.iter().collect(), true)),
                Some(other) => Err(wrong_type("value", "an array", other)),
                None => Ok((vec![root], false)),
            }
        }
        other => Err(PolicyError::new(format!(
            "expected a Graph or ARM response (an object or an array), not {}",
            kind(other)
        ))
        .at(json::range(other))),
    }
}

/// The policies of a document. With `named`, rules must belong to a policy the document names.
pub(super) fn policies<'n, 'a>(
    root: &'n Node<'a>,
    named: bool,
) -> Result<Vec<Found<'n, 'a>>, PolicyError> {
    let (items, _) = listed(root)?;
    let context = match root {
        Node::Object(object) => string_member(object, "@odata.context")?,
        _ => None,
    };
    let rules_like = |n: &Node| match n {
        Node::Object(o) => is_rule(o),
        _ => false,
    };
    if items.is_empty() && named {
        return Err(PolicyError::new("the document lists nothing")
            .at(json::anchor(root))
            .help(format!(
                "list the policy assignments with their rules: `{ENTRA_ASSIGNMENTS}`"
            )));
    }
    if items.iter().all(|n| rules_like(n)) {
        return rules_of_context(root, items, context, named);
    }
    items.into_iter().map(policy_of).collect()
}

/// Whether an object is a rule (rather than a policy or an assignment).
fn is_rule(object: &ast::Object) -> bool {
    let kind = |key: &str| {
        object
            .get_string(key)
            .map(|s| s.value.to_string())
            .unwrap_or_default()
    };
    let graph = kind("@odata.type");
    let id = kind("id");
    member(object, "ruleType").is_some()
        || (graph.starts_with("#microsoft.graph.unifiedRoleManagementPolicy")
            && graph.ends_with("Rule"))
        || (member(object, "rules").is_none()
            && member(object, "policy").is_none()
            && member(object, "properties").is_none()
            && [
                "Notification_",
                "Approval_",
                "Expiration_",
                "Enablement_",
                "AuthenticationContext_",
            ]
            .iter()
            .any(|prefix| id.starts_with(prefix)))
}

/// Rules given on their own: the policy is the one `@odata.context` names.
fn rules_of_context<'n, 'a>(
    root: &'n Node<'a>,
    items: Vec<&'n Node<'a>>,
    context: Option<&ast::StringLit>,
    named: bool,
) -> Result<Vec<Found<'n, 'a>>, PolicyError> {
    let policy_id = context.and_then(|c| {
        policy_id_in_context(&c.value).map(|id| Located {
            value: id.to_owned(),
            range: json::range(c),
        })
    });
    let arm = items
        .iter()
        .any(|n| matches!(n, Node::Object(o) if member(o, "ruleType").is_some()));
    let service = if arm { Service::Arm } else { Service::Graph };
    let target = match &policy_id {
        Some(id)
            if id.value.starts_with("DirectoryRole_") || id.value.starts_with("Directory_") =>
        {
            Some(RoleTarget::EntraRole)
        }
        Some(id) if id.value.starts_with("Group_") => Some(RoleTarget::Group { member: None }),
        Some(id) => {
            return Err(PolicyError::new(format!(
                "policy `{}` is neither a directory role's (`DirectoryRole_…`) nor a group's (`Group_…`)",
                id.value.escape_debug()
            ))
            .at(id.range.clone()));
        }
        None => None,
    };
    let target = match (target, named) {
        (Some(target), _) => target,
        (None, false) => RoleTarget::EntraRole,
        (None, true) => {
            return Err(PolicyError::new(
                "the document does not say which policy these rules belong to",
            )
            .at(json::anchor(root))
            .help(format!(
                "fetch them with `{POLICY_RULES}` (its `@odata.context` names the policy), or \
                 the policy assignments with their rules: `{ENTRA_ASSIGNMENTS}`"
            )));
        }
    };
    let anchor = policy_id
        .as_ref()
        .map_or_else(|| json::anchor(root), |p| p.range.clone());
    Ok(vec![Found {
        service,
        target,
        role_id: None,
        group_id: None,
        policy_id,
        display_name: None,
        rules: items,
        range: json::range(root),
        anchor,
    }])
}

/// A policy (Graph or ARM) or a policy assignment (Graph or ARM).
fn policy_of<'n, 'a>(item: &'n Node<'a>) -> Result<Found<'n, 'a>, PolicyError> {
    let Node::Object(object) = item else {
        return Err(wrong_type("each item", "an object", item));
    };
    if let Some(Node::Object(properties)) = member(object, "properties") {
        return arm_policy_of(object, properties, item);
    }
    let assignment = member(object, "policyId").is_some() || member(object, "policy").is_some();
    let body = match member(object, "policy") {
        Some(Node::Object(policy)) => policy,
        Some(other) => return Err(wrong_type("policy", "an object", other)),
        None => object,
    };
    let scope_type = string_member(object, "scopeType")?.or(string_member(body, "scopeType")?);
    let scope_id = string_member(object, "scopeId")?.or(string_member(body, "scopeId")?);
    if member(object, "rolePermissions").is_some() {
        return Err(PolicyError::new("this is a role definition, not a policy")
            .at(json::anchor(item))
            .help("give role definitions with `--role-definitions FILE`; they name the roles"));
    }
    let Some(scope_type) = scope_type else {
        return Err(PolicyError::new(
            "a policy without `scopeType`: pimrules cannot tell whose settings these are",
        )
        .at(json::anchor(item))
        .help(format!("list policy assignments: `{ENTRA_ASSIGNMENTS}`")));
    };
    let role_definition = string_member(object, "roleDefinitionId")?;
    let (target, role_id, group_id) = match scope_type.value.as_ref() {
        "DirectoryRole" | "Directory" => (
            RoleTarget::EntraRole,
            role_definition.map(Located::of).transpose()?,
            None,
        ),
        "Group" => {
            let member = match role_definition.map(|r| (r.value.as_ref(), r)) {
                None => None,
                Some(("member", _)) => Some(true),
                Some(("owner", _)) => Some(false),
                Some((other, at)) => {
                    return Err(PolicyError::new(format!(
                        "`{}` is neither `member` nor `owner`",
                        other.escape_debug()
                    ))
                    .at(json::range(at))
                    .help("a group's policy assignments are for its `member` and `owner` roles"));
                }
            };
            (
                RoleTarget::Group { member },
                None,
                scope_id.map(Located::of).transpose()?,
            )
        }
        other => {
            return Err(PolicyError::new(format!(
                "`{}` is not a scope type pimrules knows",
                other.escape_debug()
            ))
            .at(json::range(scope_type))
            .help("Graph's PIM policies are for `DirectoryRole` (or `Directory`) and `Group`"));
        }
    };
    let policy_id = match string_member(object, "policyId")? {
        Some(id) => Some(id),
        None => string_member(body, "id")?,
    }
    .map(Located::of)
    .transpose()?;
    let rules = rules_member(body).ok_or_else(|| {
        let help = match (&target, &policy_id, &group_id) {
            (RoleTarget::Group { .. }, _, Some(group)) if assignment => {
                GROUP_ASSIGNMENTS.replace("{group-id}", &group.value)
            }
            (_, Some(policy), _) if !assignment => {
                POLICY_RULES.replace("{policy-id}", &policy.value)
            }
            _ => ENTRA_ASSIGNMENTS.to_owned(),
        };
        PolicyError::new(if assignment {
            "the policy assignment holds no rules: it was fetched without its policy's rules"
        } else {
            "the policy holds no rules: it was fetched without them"
        })
        .at(json::anchor(item))
        .help(format!("fetch them with `{help}`"))
    })??;
    Ok(Found {
        service: Service::Graph,
        target,
        role_id,
        group_id,
        policy_id,
        display_name: None,
        rules,
        range: json::range(item),
        anchor: json::anchor(item),
    })
}

/// `rules`, or `effectiveRules` when the document has only those; `None` when it has neither.
fn rules_member<'n, 'a>(
    object: &'n ast::Object<'a>,
) -> Option<Result<Vec<&'n Node<'a>>, PolicyError>> {
    let found = member(object, "rules").or(member(object, "effectiveRules"))?;
    Some(match found {
        Node::Array(array) => Ok(array.elements.iter().collect()),
        other => Err(wrong_type("rules", "an array", other)),
    })
}

/// An ARM role management policy or policy assignment.
fn arm_policy_of<'n, 'a>(
    object: &'n ast::Object<'a>,
    properties: &'n ast::Object<'a>,
    item: &'n Node<'a>,
) -> Result<Found<'n, 'a>, PolicyError> {
    let resource_type = string_member(object, "type")?
        .map(|t| t.value.to_ascii_lowercase())
        .unwrap_or_default();
    let assignment = resource_type.contains("rolemanagementpolicyassignment")
        || member(properties, "policyId").is_some();
    let scope = string_member(properties, "scope")?.ok_or_else(|| {
        PolicyError::new("an Azure role management policy without `properties.scope`")
            .at(json::anchor(item))
    })?;
    let scope = Located::of(scope)?;
    if crate::policy::ids::arm_scope(&scope.value).is_none() {
        return Err(PolicyError::new(format!(
            "`{}` is not an Azure scope",
            scope.value.escape_debug()
        ))
        .at(scope.range.clone()));
    }
    let (role_id, policy_id, display_name) = if assignment {
        let display = match member(properties, "policyAssignmentProperties") {
            Some(Node::Object(p)) => match member(p, "roleDefinition") {
                Some(Node::Object(r)) => {
                    string_member(r, "displayName")?.map(one_line).transpose()?
                }
                _ => None,
            },
            _ => None,
        };
        (
            string_member(properties, "roleDefinitionId")?
                .map(Located::of)
                .transpose()?,
            string_member(properties, "policyId")?
                .map(Located::of)
                .transpose()?,
            display,
        )
    } else {
        (
            None,
            string_member(object, "id")?.map(Located::of).transpose()?,
            None,
        )
    };
    let rules = rules_member(properties).ok_or_else(|| {
        PolicyError::new("the Azure role management policy holds no rules")
            .at(json::anchor(item))
            .help(format!(
                "fetch the policy assignments with their rules: `{}`",
                ARM_ASSIGNMENTS.replace("{scope}", &scope.value)
            ))
    })??;
    Ok(Found {
        service: Service::Arm,
        target: RoleTarget::AzureRole { scope: scope.value },
        role_id,
        group_id: None,
        policy_id,
        display_name,
        rules,
        range: json::range(item),
        anchor: json::anchor(item),
    })
}

/// `…/roleManagementPolicies('ID')/rules…` → `ID`.
fn policy_id_in_context(context: &str) -> Option<&str> {
    let start = context.find("roleManagementPolicies('")? + "roleManagementPolicies('".len();
    let end = context[start..].find('\'')? + start;
    let rest = &context[end..];
    rest.starts_with("')/rules").then(|| &context[start..end])
}

pub(super) fn no_notification_rules(policy: &Found) -> PolicyError {
    let request = policy.rules_request();
    PolicyError::new("the policy holds no notification rules")
        .at(policy.anchor.clone())
        .help(format!("fetch all its rules: `{request}`"))
}

/// Names and ids are one line of plain text: a control character (a CR, a NUL, …) has no place
/// in them, and some cannot be written in a `.pimrules` string at all; a bidirectional control
/// or an invisible character would make the settings file read as another name.
pub(super) fn one_line(s: &ast::StringLit) -> Result<String, PolicyError> {
    if let Some(c) = s.value.chars().find(|c| crate::neutral::is_unsafe(*c)) {
        let what = if c.is_control() {
            "a control character"
        } else if crate::neutral::is_bidi(c) {
            "a bidirectional control"
        } else {
            "an invisible character"
        };
        return Err(PolicyError::new(format!(
            "`{}` contains {what} (U+{:04X})",
            crate::neutral::escape_line(&s.value),
            c as u32
        ))
        .at(json::range(s))
        .help("names and ids are one line of plain text"));
    }
    Ok(s.value.to_string())
}
