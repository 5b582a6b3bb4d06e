//! Whose settings they are: the display names of roles and groups, each policy's role named
//! by them (or its id), and names made unique across a tenant.

use super::documents::{Found, Located, listed, one_line};
use super::rules::{Rules, most_common_shape};
use crate::policy::PolicyError;
use crate::policy::json::{self, member, string_member, wrong_type};
use crate::ruleset::shape::{RuleShape, Service};
use crate::ruleset::tenant::NotificationPolicy;
use crate::ruleset::{RoleSettings, RoleTarget, SettingLine, Spanned};
use crate::source::{FileId, Span};
use jsonc_parser::ast::Value as Node;
use std::collections::BTreeMap;

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

/// One role's settings from what its document gave, its spans in `file`.
pub(super) fn role_settings(
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
pub(super) fn name_apart(roles: &mut [RoleSettings]) {
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
