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

mod documents;
mod roles;
mod rules;

pub use roles::RoleNames;

use crate::policy::PolicyError;
use crate::policy::json;
use crate::ruleset::RoleSettings;
use crate::ruleset::tenant::NotificationPolicy;
use crate::source::FileId;
use documents::{no_notification_rules, policies};
use roles::{name_apart, role_settings};
use rules::read_rules;

/// Every role's settings in a tenant document, and what the reader should know.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub roles: Vec<RoleSettings>,
    /// what was read but not kept (rules of other kinds), said once per document
    pub notes: Vec<String>,
}

/// Read a tenant document (`file` is the id its spans point into).
pub fn read_tenant(file: FileId, text: &str, names: &RoleNames) -> Result<Tenant, PolicyError> {
    let root = json::parse(text)?;
    let found = policies(&root, true)?;
    let mut notes = Vec::new();
    let mut roles = Vec::new();
    for policy in &found {
        let rules = read_rules(&policy.rules, &policy.rules_request(), true)?;
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
        let rules = read_rules(&policy.rules, &policy.rules_request(), false)?;
        let mut settings = NotificationPolicy::default();
        for line in rules.lines {
            settings
                .settings
                .insert((line.section, line.row), line.setting);
        }
        Ok(settings)
    }
}
