//! Reading a tenant's PIM notification settings from the documents Microsoft's services return:
//! Graph's rules, policies and policy assignments (v1.0 and beta) and ARM's role management
//! policies and policy assignments — exactly, refusing what would make pimrules invent a setting.
//!
//! Accepted, by what they are (detected from the content):
//! - Graph `GET /policies/roleManagementPolicies/{id}/rules` (`{"@odata.context": "…
//!   roleManagementPolicies('{id}')/rules", "value": [rules]}`) and one rule (`…/rules/$entity`):
//!   the policy id and its kind (`DirectoryRole_…`/`Directory_…`, `Group_…`) come from the context;
//! - Graph policies (`{"id", "scopeId", "scopeType", "rules" or "effectiveRules"}`), one or a list;
//! - Graph policy assignments (`{"policyId", "scopeId", "scopeType", "roleDefinitionId",
//!   "policy": {…rules}}`), one or a list: the only Graph document that names the role (for
//!   groups, `member` or `owner`);
//! - ARM role management policies (`{"id", "type": "Microsoft.Authorization/
//!   RoleManagementPolicies", "properties": {"scope", "rules"}}`) and policy assignments
//!   (`properties.roleDefinitionId`, `policyId`, `effectiveRules`), one or a list.
//!
//! Refused, with the request that fetches what is missing: a page with a next link, a policy or
//! assignment without notification rules, rules that carry only ids (`$select=id`), and — for
//! `policy import`, which must say whose settings they are — rules of an unnamed policy.

use super::PolicyError;
use super::json::{self, kind, member, string_member, wrong_type};
use crate::address;
use crate::ruleset::shape::{self, ARM_NOTIFICATION_RULE_TYPE, RuleShape, Service};
use crate::ruleset::tenant::{
    NOTIFICATION_RULE_TYPE, NotificationPolicy, RowSetting, parse_rule_id,
};
use crate::ruleset::{PolicyRow, PolicySection, RoleSettings, RoleTarget, SettingLine, Spanned};
use crate::source::{FileId, Span};
use jsonc_parser::ast::{self, Value as Node};
use std::collections::BTreeMap;
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

const APPROVAL_RULE_ID: &str = "Approval_EndUser_Assignment";

/// Every role's settings in a tenant document, and what the reader should know.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub roles: Vec<RoleSettings>,
    /// what was read but not kept (rules of other kinds), said once per document
    pub notes: Vec<String>,
}

/// What names ids: display names of role definitions (and groups), by id.
#[derive(Debug, Clone, Default)]
pub struct RoleNames {
    by_id: BTreeMap<String, String>,
}

impl RoleNames {
    /// Read a role definitions list: Graph's `GET /roleManagement/directory/roleDefinitions`
    /// (or any Graph list of objects with `id` and `displayName`, such as `GET /groups`), or
    /// ARM's role definitions list (`{"value": [{"id", "name", "properties": {"roleName"}}]}`).
    pub fn read(text: &str) -> Result<RoleNames, PolicyError> {
        let root = json::parse(text)?;
        let (items, _) = listed(&root)?;
        let mut names = RoleNames::default();
        for item in items {
            let Node::Object(object) = item else {
                return Err(wrong_type("each role definition", "an object", item));
            };
            let properties = match member(object, "properties") {
                Some(Node::Object(p)) => Some(p),
                _ => None,
            };
            let display = match properties {
                Some(p) => string_member(p, "roleName")?,
                None => string_member(object, "displayName")?,
            };
            let Some(display) = display else {
                return Err(PolicyError::new(
                    "a role definition has no `displayName` (Graph) or `properties.roleName` (ARM)",
                )
                .at(json::anchor(item))
                .help("give the response of `GET /roleManagement/directory/roleDefinitions`, or of Azure's role definitions list"));
            };
            let display = one_line(display)?;
            for key in ["id", "templateId", "name"] {
                if let Some(id) = string_member(object, key)? {
                    names
                        .by_id
                        .insert(id.value.to_ascii_lowercase(), display.clone());
                }
            }
        }
        Ok(names)
    }

    /// Add the names of another list (its names win).
    pub fn extend(&mut self, other: RoleNames) {
        self.by_id.extend(other.by_id);
    }

    /// The display name of an id: by the whole id, or (for scoped Azure ids) its last segment.
    pub fn name(&self, id: &str) -> Option<&str> {
        let id = id.to_ascii_lowercase();
        self.by_id
            .get(&id)
            .or_else(|| id.rsplit_once('/').and_then(|(_, g)| self.by_id.get(g)))
            .map(String::as_str)
    }
}

/// Read a tenant document (`file` is the id its spans point into).
pub fn read_tenant(file: FileId, text: &str, names: &RoleNames) -> Result<Tenant, PolicyError> {
    let root = json::parse(text)?;
    let found = policies(&root, true)?;
    let mut notes = Vec::new();
    let mut roles = Vec::new();
    for policy in &found {
        let rules = read_rules(policy, true)?;
        if rules.lines.is_empty() {
            return Err(no_notification_rules(policy));
        }
        if !rules.other.is_empty() && notes.is_empty() {
            notes.push(format!(
                "rules other than notification rules are not kept (e.g. {})",
                rules.other.join(", ")
            ));
        }
        roles.push(role_settings(file, policy, rules, names)?);
    }
    if roles.is_empty() {
        return Err(PolicyError::new("the document holds no policies").at(json::anchor(&root)));
    }
    name_apart(&mut roles);
    Ok(Tenant { roles, notes })
}

impl NotificationPolicy {
    /// Read one role's notification rules (`--policy`): a rules response, an array of rules or
    /// one rule (the policy need not be named), or one policy or policy assignment.
    pub fn from_graph_json(text: &str) -> Result<NotificationPolicy, PolicyError> {
        let root = json::parse(text)?;
        let found = policies(&root, false)?;
        let [policy] = found.as_slice() else {
            return Err(PolicyError::new(format!(
                "the document holds {} policies; give the rules of one role",
                found.len()
            ))
            .at(json::anchor(&root)));
        };
        let rules = read_rules(policy, false)?;
        let mut settings = NotificationPolicy::default();
        for line in rules.lines {
            settings
                .settings
                .insert((line.section, line.row), line.setting);
        }
        Ok(settings)
    }
}

/// One policy as a document gives it: what it is for, and its rules.
struct Found<'n, 'a> {
    service: Service,
    target: RoleTarget,
    role_id: Option<Located>,
    group_id: Option<Located>,
    policy_id: Option<Located>,
    /// a display name the document itself gives (ARM assignments name their role)
    display_name: Option<String>,
    rules: Vec<&'n Node<'a>>,
    range: Range<usize>,
    /// where to point at the policy in a message
    anchor: Range<usize>,
}

impl Found<'_, '_> {
    /// The request that fetches this policy's rules whole.
    fn rules_request(&self) -> String {
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
struct Located {
    value: String,
    range: Range<usize>,
}

impl Located {
    fn of(s: &ast::StringLit) -> Result<Located, PolicyError> {
        Ok(Located {
            value: one_line(s)?,
            range: json::range(s),
        })
    }
}

/// The items of a list response (`{"value": [...]}`) or the one item, and whether it was a list.
/// A page that has a next one is refused.
fn listed<'n, 'a>(root: &'n Node<'a>) -> Result<(Vec<&'n Node<'a>>, bool), PolicyError> {
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
fn policies<'n, 'a>(root: &'n Node<'a>, named: bool) -> Result<Vec<Found<'n, 'a>>, PolicyError> {
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
    if super::ids::arm_scope(&scope.value).is_none() {
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

/// The notification rules of one policy, checked, and what else it held.
struct Rules {
    lines: Vec<ReadLine>,
    approval_required: Option<bool>,
    /// ids of rules of other kinds
    other: Vec<String>,
}

struct ReadLine {
    section: PolicySection,
    row: PolicyRow,
    setting: RowSetting,
    shape: RuleShape,
    range: Range<usize>,
}

/// With `strict` (a document to import), every member of a notification rule must be there, as
/// Graph and ARM always write them; otherwise (a policy to evaluate under) a missing member has
/// Graph's default, as a hand-written policy may leave it out.
fn read_rules(policy: &Found, strict: bool) -> Result<Rules, PolicyError> {
    let request = policy.rules_request();
    let mut read = Rules {
        lines: Vec::new(),
        approval_required: None,
        other: Vec::new(),
    };
    for &node in &policy.rules {
        let Node::Object(rule) = node else {
            return Err(wrong_type("each rule", "an object", node));
        };
        let Some(id) = string_member(rule, "id")? else {
            return Err(PolicyError::new("a rule has no `id`").at(json::anchor(node)));
        };
        if id.value == APPROVAL_RULE_ID {
            read.approval_required = match member(rule, "setting") {
                Some(Node::Object(setting)) => {
                    setting.get_boolean("isApprovalRequired").map(|b| b.value)
                }
                _ => None,
            };
            continue;
        }
        let marker = string_member(rule, "@odata.type")?.map(|s| s.value.to_string());
        let rule_type = string_member(rule, "ruleType")?.map(|s| s.value.to_string());
        let notification = marker.as_deref() == Some(NOTIFICATION_RULE_TYPE)
            || rule_type.as_deref() == Some(ARM_NOTIFICATION_RULE_TYPE)
            || (marker.is_none() && rule_type.is_none() && id.value.starts_with("Notification_"));
        if !notification {
            if read.other.len() < 3 {
                read.other.push(id.value.to_string());
            }
            continue;
        }
        let line = read_rule(rule, id, node, &request, strict)?;
        if read
            .lines
            .iter()
            .any(|l| (l.section, l.row) == (line.section, line.row))
        {
            return Err(PolicyError::new(format!(
                "notification rule `{}` is given twice",
                id.value
            ))
            .at(json::range(id)));
        }
        read.lines.push(line);
    }
    Ok(read)
}

/// One notification rule: its id, recipient type and target agree, and its settings are all
/// there.
fn read_rule(
    rule: &ast::Object,
    id: &ast::StringLit,
    node: &Node,
    request: &str,
    strict: bool,
) -> Result<ReadLine, PolicyError> {
    let Some((section, row)) = parse_rule_id(&id.value) else {
        return Err(PolicyError::new(format!(
            "unknown notification rule id `{}`",
            id.value.escape_debug()
        ))
        .at(json::range(id))
        .help(super::known_ids_hint(&id.value)));
    };
    let settings_given = shape::SETTING_MEMBERS
        .iter()
        .any(|m| member(rule, m).is_some());
    if !settings_given {
        return Err(PolicyError::new(format!(
            "rule `{}` carries no settings, only its id",
            id.value
        ))
        .at(json::range(id))
        .help(format!(
            "the rules were fetched with `$select=id`; fetch them whole: `{request}`"
        )));
    }
    let given = |name: &str| -> Result<Option<&Node>, PolicyError> {
        match member(rule, name) {
            Some(value) => Ok(Some(value)),
            None if strict => Err(PolicyError::new(format!(
                "rule `{}` has no `{name}`",
                id.value
            ))
            .at(json::range(id))
            .help("Microsoft's services write every member of a rule; give the rule as returned")),
            None => Ok(None),
        }
    };
    match given("recipientType")? {
        None => {}
        Some(Node::StringLit(s)) if s.value == row.graph_name() => {}
        Some(Node::StringLit(s)) => {
            return Err(PolicyError::new(format!(
                "rule `{}` has recipientType `{}`, but its id says `{}`",
                id.value,
                s.value.escape_debug(),
                row.graph_name()
            ))
            .at(json::range(s)));
        }
        Some(other) => return Err(wrong_type("recipientType", "a string", other)),
    }
    let mut setting = RowSetting::default();
    match given("notificationLevel")? {
        None => {}
        Some(Node::StringLit(s)) => {
            setting.level = shape::level_named(&s.value).ok_or_else(|| {
                PolicyError::new(format!(
                    "`{}` is not a notificationLevel of rule `{}`",
                    s.value.escape_debug(),
                    id.value
                ))
                .at(json::range(s))
                .help("the levels are `None`, `Critical` and `All`, written so")
            })?;
        }
        Some(other) => return Err(wrong_type("notificationLevel", "a string", other)),
    }
    match given("isDefaultRecipientsEnabled")? {
        None => {}
        Some(Node::BooleanLit(b)) => setting.default_recipients = b.value,
        Some(other) => {
            return Err(wrong_type(
                "isDefaultRecipientsEnabled",
                "true or false",
                other,
            ));
        }
    }
    match given("notificationRecipients")? {
        None | Some(Node::NullKeyword(_)) => {}
        Some(Node::Array(addresses)) => {
            for a in &addresses.elements {
                match a {
                    Node::StringLit(s) if address::is_valid(&s.value) => {
                        setting.additional.push(s.value.to_string());
                    }
                    Node::StringLit(s) => {
                        return Err(PolicyError::new(format!(
                            "invalid address `{}` in `notificationRecipients` of rule `{}`",
                            s.value.escape_debug(),
                            id.value
                        ))
                        .at(json::range(s)));
                    }
                    other => {
                        return Err(wrong_type("each notification recipient", "a string", other));
                    }
                }
            }
        }
        Some(other) => {
            return Err(wrong_type(
                "notificationRecipients",
                "an array of addresses",
                other,
            ));
        }
    }
    check_target(rule, id, section)?;
    let shape = match json::to_value(node) {
        serde_json::Value::Object(fields) => RuleShape::of_rule(&fields),
        _ => return Err(wrong_type("each rule", "an object", node)),
    };
    Ok(ReadLine {
        section,
        row,
        setting,
        shape,
        range: json::range(node),
    })
}

/// A rule's target, when given, is an object whose `caller` and `level` are the id's.
fn check_target(
    rule: &ast::Object,
    id: &ast::StringLit,
    section: PolicySection,
) -> Result<(), PolicyError> {
    let Some(target) = member(rule, "target") else {
        return Ok(());
    };
    let Node::Object(target) = target else {
        return Err(wrong_type("target", "an object", target));
    };
    let (caller, level) = shape::caller_and_level(section);
    for (name, expected) in [("caller", caller), ("level", level)] {
        match string_member(target, name)? {
            Some(s) if s.value == expected => {}
            Some(s) => {
                return Err(PolicyError::new(format!(
                    "rule `{}` has a target {name} `{}`, but its id says `{expected}`",
                    id.value,
                    s.value.escape_debug()
                ))
                .at(json::range(s)));
            }
            None => {
                return Err(PolicyError::new(format!(
                    "the target of rule `{}` has no `{name}`",
                    id.value
                ))
                .at(json::range(target)));
            }
        }
    }
    Ok(())
}

fn no_notification_rules(policy: &Found) -> PolicyError {
    let request = policy.rules_request();
    PolicyError::new("the policy holds no notification rules")
        .at(policy.anchor.clone())
        .help(format!("fetch all its rules: `{request}`"))
}

/// One role's settings from what its document gave, its spans in `file`.
fn role_settings(
    file: FileId,
    policy: &Found,
    rules: Rules,
    names: &RoleNames,
) -> Result<RoleSettings, PolicyError> {
    let located = |l: &Option<Located>| {
        l.as_ref()
            .map(|l| Spanned::new(l.value.clone(), Span::new(file, l.range.clone())))
    };
    let name = role_name(policy, names);
    let documented = RuleShape::documented(policy.service);
    let block = most_common_shape(&rules.lines).filter(|s| *s != documented);
    let block_or_documented = block.clone().unwrap_or(documented);
    let mut settings = RoleSettings {
        name,
        span: Span::new(file, policy.range.clone()),
        target: policy.target.clone(),
        role_id: located(&policy.role_id),
        group_id: located(&policy.group_id),
        policy_id: located(&policy.policy_id),
        approval_required: rules.approval_required,
        shape: block.map(|s| Spanned::new(s, Span::new(file, policy.range.clone()))),
        policy: NotificationPolicy::default(),
        lines: Vec::new(),
    };
    for line in rules.lines {
        let span = Span::new(file, line.range.clone());
        settings.lines.push(SettingLine {
            section: line.section,
            row: line.row,
            span,
            shape: (line.shape != block_or_documented).then(|| Spanned::new(line.shape, span)),
        });
        settings
            .policy
            .settings
            .insert((line.section, line.row), line.setting);
    }
    Ok(settings)
}

/// The shape most of a policy's rules share (the first of the most common).
fn most_common_shape(lines: &[ReadLine]) -> Option<RuleShape> {
    let mut counts: Vec<(&RuleShape, usize)> = Vec::new();
    for line in lines {
        match counts.iter_mut().find(|(s, _)| **s == line.shape) {
            Some((_, n)) => *n += 1,
            None => counts.push((&line.shape, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(s, _)| s.clone())
}

/// A role's name: the display name of its role (or group) when known, else its id.
fn role_name(policy: &Found, names: &RoleNames) -> String {
    let named = |id: &Option<Located>| {
        id.as_ref().map(|id| {
            names
                .name(&id.value)
                .map_or_else(|| id.value.clone(), str::to_owned)
        })
    };
    let fallback = || match (&policy.policy_id, policy.service) {
        (Some(p), Service::Arm) => p.value.rsplit('/').next().unwrap_or(&p.value).to_owned(),
        (Some(p), Service::Graph) => p.value.clone(),
        (None, _) => "unnamed policy".to_owned(),
    };
    match &policy.target {
        RoleTarget::Group { member } => {
            let base = named(&policy.group_id).unwrap_or_else(fallback);
            match member {
                Some(true) => format!("{base} (member)"),
                Some(false) => format!("{base} (owner)"),
                None => base,
            }
        }
        _ => policy
            .role_id
            .as_ref()
            .and_then(|id| names.name(&id.value).map(str::to_owned))
            .or_else(|| policy.display_name.clone())
            .or_else(|| named(&policy.role_id))
            .unwrap_or_else(fallback),
    }
}

/// Names made unique: an Azure role at several scopes gets ` at SCOPE`, then the policy id, then
/// a number.
fn name_apart(roles: &mut [RoleSettings]) {
    let taken = |roles: &[RoleSettings], i: usize| {
        roles
            .iter()
            .enumerate()
            .any(|(j, r)| j != i && r.name == roles[i].name)
    };
    for i in 0..roles.len() {
        if !taken(roles, i) {
            continue;
        }
        if let RoleTarget::AzureRole { scope } = &roles[i].target {
            let name = format!("{} at {scope}", roles[i].name);
            roles[i].name = name;
        }
    }
    for i in 0..roles.len() {
        if taken(roles, i)
            && let Some(policy) = &roles[i].policy_id
        {
            let name = format!("{} ({})", roles[i].name, policy.node);
            roles[i].name = name;
        }
    }
    for i in 0..roles.len() {
        let mut n = 2;
        let base = roles[i].name.clone();
        while taken(roles, i) {
            roles[i].name = format!("{base} ({n})");
            n += 1;
        }
    }
}

/// Names and ids are one line of plain text: a control character (a CR, a NUL, …) has no place
/// in them, and some cannot be written in a `.pimrules` string at all; a bidirectional control
/// or an invisible character would make the settings file read as another name.
fn one_line(s: &ast::StringLit) -> Result<String, PolicyError> {
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
