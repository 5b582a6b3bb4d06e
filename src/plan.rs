//! `plan`: a tenant's live notification settings against the desired ones — who gains or loses
//! which email, in which region of facts — and the minimal requests that make live desired.
//!
//! Each desired role is matched to a live one (by policy id, then by role, group or scope and
//! role id, then by name). The desired settings change only what they state: a rule a desired
//! block does not write keeps its live value. A stated rule whose settings differ from the
//! live ones is one request (Graph) or one rule of the policy's request (ARM), written with the
//! live rule's shape, so nothing but the stated settings changes in the tenant.
//!
//! The people are compared by evaluating both, with the same overlay as `eval --role`: for every
//! event of a policy section, in the scope the role's settings govern, over every combination of
//! the facts that event's rules and section test (the others at their defaults). Each change is
//! printed as the region of those combinations where it holds, as `diff` prints its regions.

use crate::eval::Evaluator;
use crate::matrix::describe_region;
use crate::policy::{ExportError, Request, requests};
use crate::ruleset::*;
use crate::table::DecisionTable;
use crate::table::cube::{self, Cube};
use std::collections::BTreeMap;

/// Most fact combinations compared for one (scope, event) of one role: past it the event is
/// reported as not compared rather than compared in part.
pub const MAX_COMBINATIONS: usize = 1 << 14;

/// What a plan says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub roles: Vec<RolePlan>,
    /// the requests, in role order
    pub requests: Vec<Request>,
}

impl Plan {
    /// Whether applying the desired settings would change nothing.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty() && self.roles.iter().all(|r| r.changes.is_empty())
    }
}

/// One desired role against its live counterpart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolePlan {
    pub role: String,
    /// the live role it was matched with
    pub live: String,
    /// the stated rules whose settings change, in the order written
    pub rules: Vec<(PolicySection, PolicyRow)>,
    pub changes: Vec<PeopleChange>,
    /// events whose fact combinations were too many to compare
    pub not_compared: Vec<String>,
}

/// Who gains or loses one email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleChange {
    pub scope: String,
    pub event: String,
    pub recipient: String,
    /// for the class of additional recipients: the address that gains or loses the email
    pub address: Option<String>,
    pub gained: bool,
    /// the region, as a condition (`always` for every combination compared)
    pub when: String,
    /// one combination in the region (the constrained facts only)
    pub witness: Vec<(String, String)>,
}

/// The plan from `live` to `desired` under the rule set of `table`. A desired role with no
/// live counterpart, or whose requests cannot be addressed, is an error at its settings.
pub fn plan(
    table: &DecisionTable,
    live: &[RoleSettings],
    desired: &[RoleSettings],
) -> Result<Plan, Vec<ExportError>> {
    let evaluator = Evaluator::new(table);
    let mut errors = Vec::new();
    let mut roles = Vec::new();
    let mut patched_roles = Vec::new();
    let mut changed: Vec<Vec<(PolicySection, PolicyRow)>> = Vec::new();
    for wanted in desired {
        let Some(current) = counterpart(live, wanted) else {
            errors.push(ExportError {
                message: format!(
                    "no role of the live settings is \"{}\" (by policy id, role id or name)",
                    wanted.name
                ),
                span: wanted.span,
                help: "plan changes roles the tenant has; give its export as LIVE".to_owned(),
            });
            continue;
        };
        let (patched, rules) = patch(current, wanted);
        let mut role_plan = RolePlan {
            role: wanted.name.clone(),
            live: current.name.clone(),
            rules: rules.clone(),
            changes: Vec::new(),
            not_compared: Vec::new(),
        };
        compare_people(&evaluator, current, &patched, &mut role_plan);
        roles.push(role_plan);
        patched_roles.push(patched);
        changed.push(rules);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let select = |role: &RoleSettings, line: &SettingLine| {
        patched_roles
            .iter()
            .position(|r| std::ptr::eq(r, role))
            .is_some_and(|i| changed[i].contains(&(line.section, line.row)))
    };
    let requests = requests(&patched_roles, &select)?;
    Ok(Plan { roles, requests })
}

/// The live role a desired one stands for.
fn counterpart<'l>(live: &'l [RoleSettings], wanted: &RoleSettings) -> Option<&'l RoleSettings> {
    let same = |a: &Option<Spanned<String>>, b: &Option<Spanned<String>>| match (a, b) {
        (Some(a), Some(b)) => a.node.eq_ignore_ascii_case(&b.node),
        _ => false,
    };
    let strategies: [&dyn Fn(&RoleSettings) -> bool; 3] = [
        &|r| same(&r.policy_id, &wanted.policy_id),
        &|r| match (&r.target, &wanted.target) {
            (RoleTarget::EntraRole, RoleTarget::EntraRole) => same(&r.role_id, &wanted.role_id),
            (RoleTarget::Group { member: a }, RoleTarget::Group { member: b }) => {
                a == b && same(&r.group_id, &wanted.group_id)
            }
            (RoleTarget::AzureRole { scope: a }, RoleTarget::AzureRole { scope: b }) => {
                a.eq_ignore_ascii_case(b) && same(&r.role_id, &wanted.role_id)
            }
            _ => false,
        },
        &|r| r.name == wanted.name,
    ];
    strategies.iter().find_map(|matches| {
        let mut found = live.iter().filter(|r| matches(r));
        match (found.next(), found.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    })
}

/// The live role with the desired role's stated settings, and the rules that change.
fn patch(
    current: &RoleSettings,
    wanted: &RoleSettings,
) -> (RoleSettings, Vec<(PolicySection, PolicyRow)>) {
    let mut patched = current.clone();
    let mut rules = Vec::new();
    for line in &wanted.lines {
        let key = (line.section, line.row);
        let setting = wanted.policy.get(line.section, line.row);
        if current.policy.get(line.section, line.row) == setting {
            continue;
        }
        rules.push(key);
        patched.policy.settings.insert(key, setting);
        if !patched.lines.iter().any(|l| (l.section, l.row) == key) {
            // a rule the live settings do not state: written in the live role's shape when it
            // has one, else in the desired line's own
            let shape = match (&current.shape, &line.shape, &wanted.shape) {
                (Some(_), _, _) => None,
                (None, Some(own), _) => Some(own.clone()),
                (None, None, block) => block.clone(),
            };
            patched.lines.push(SettingLine {
                section: line.section,
                row: line.row,
                span: line.span,
                shape,
            });
        }
    }
    (patched, rules)
}

/// The scope a role's settings govern, by the scope names of the shipped rule sets; every
/// scope when the rule set has no scope of that name.
fn scopes_of(target: &RoleTarget, vocabulary: &Vocabulary) -> Vec<ScopeId> {
    let name = match target {
        RoleTarget::EntraRole => "entra-role",
        RoleTarget::Group { .. } => "group",
        RoleTarget::AzureRole { .. } => "azure-resource",
    };
    match vocabulary.scope(name) {
        Some(scope) => vec![scope],
        None => (0..vocabulary.scopes.len()).map(ScopeId).collect(),
    }
}

/// A class or address, gained or lost.
type ChangeKey = (ClassId, Option<String>, bool);

fn compare_people(
    evaluator: &Evaluator,
    current: &RoleSettings,
    patched: &RoleSettings,
    plan: &mut RolePlan,
) {
    let table = evaluator.table();
    let v = &table.vocabulary;
    for scope in scopes_of(&current.target, v) {
        for (index, event) in v.events.iter().enumerate() {
            if matches!(event.section, EventSection::None) {
                continue;
            }
            let event_id = EventId(index);
            let facts = tested_facts(table, scope, event_id);
            let combinations = facts
                .iter()
                .try_fold(1usize, |n, f| n.checked_mul(v.facts[f.0].values().len()));
            if combinations.is_none_or(|n| n > MAX_COMBINATIONS) {
                plan.not_compared
                    .push(format!("{} in {}", event.name, v.scope_name(scope)));
                continue;
            }
            let mut regions: BTreeMap<ChangeKey, Vec<Cube>> = BTreeMap::new();
            for values in combinations_of(&facts, v) {
                let mut given = FactValues::defaults(v);
                let mut point = Cube::full(v);
                for (fact, value) in facts.iter().zip(&values) {
                    given.set(*fact, *value);
                    point.masks[fact.0] = 1 << value;
                }
                let before = evaluator.evaluate(scope, event_id, &given, Some(&current.policy));
                let after = evaluator.evaluate(scope, event_id, &given, Some(&patched.policy));
                for key in changes(&before, &after) {
                    regions.entry(key).or_default().push(point.clone());
                }
            }
            for ((class, address, gained), region) in regions {
                let region = cube::simplify(region);
                let witness = region.first().map_or_else(Vec::new, |c| {
                    c.constraints(v)
                        .into_iter()
                        .map(|(fact, values)| {
                            (
                                fact.name.clone(),
                                values.first().copied().unwrap_or_default().to_owned(),
                            )
                        })
                        .collect()
                });
                plan.changes.push(PeopleChange {
                    scope: v.scope_name(scope).to_owned(),
                    event: event.name.clone(),
                    recipient: v.class_name(class).to_owned(),
                    address,
                    gained,
                    when: describe_region(&region, v),
                    witness,
                });
            }
        }
    }
}

/// The facts the rows of a cell test, and the fact its event's section is chosen by.
fn tested_facts(table: &DecisionTable, scope: ScopeId, event: EventId) -> Vec<FactId> {
    let v = &table.vocabulary;
    let mut facts: Vec<FactId> = (0..v.facts.len())
        .filter(|f| {
            table
                .cell(scope, event)
                .rows
                .iter()
                .any(|row| !row.cube.is_free(*f, v))
        })
        .map(FactId)
        .collect();
    if let Some(EventSection::ByFact { fact, .. }) = v.events.get(event.0).map(|e| &e.section)
        && !facts.contains(fact)
    {
        facts.push(*fact);
        facts.sort();
    }
    facts
}

/// Every combination of values of `facts`, in order.
fn combinations_of(facts: &[FactId], v: &Vocabulary) -> Vec<Vec<usize>> {
    let mut all = vec![Vec::new()];
    for fact in facts {
        let count = v.facts[fact.0].values().len();
        all = all
            .into_iter()
            .flat_map(|prefix| {
                (0..count).map(move |value| {
                    let mut next = prefix.clone();
                    next.push(value);
                    next
                })
            })
            .collect();
    }
    all
}

/// Classes notified by one decision and not the other, and (for additional recipients)
/// addresses, compared case-insensitively and named as the gaining side writes them.
fn changes(before: &crate::eval::Decision, after: &crate::eval::Decision) -> Vec<ChangeKey> {
    let addresses = |d: &crate::eval::Decision, class: ClassId| -> Vec<String> {
        d.notifications
            .iter()
            .filter(|n| n.class == class)
            .flat_map(|n| n.addresses.iter().cloned())
            .collect()
    };
    let lacks =
        |list: &[String], address: &str| !list.iter().any(|a| a.eq_ignore_ascii_case(address));
    let mut found = Vec::new();
    let mut seen = Vec::new();
    for class in before
        .notifications
        .iter()
        .chain(&after.notifications)
        .map(|n| n.class)
    {
        if seen.contains(&class) {
            continue;
        }
        seen.push(class);
        let had = before.notifications.iter().any(|n| n.class == class);
        let has = after.notifications.iter().any(|n| n.class == class);
        let (old, new) = (addresses(before, class), addresses(after, class));
        if old.is_empty() && new.is_empty() {
            if had != has {
                found.push((class, None, has));
            }
            continue;
        }
        for address in new.iter().filter(|a| lacks(&old, a)) {
            found.push((class, Some(address.clone()), true));
        }
        for address in old.iter().filter(|a| lacks(&new, a)) {
            found.push((class, Some(address.clone()), false));
        }
    }
    found
}
