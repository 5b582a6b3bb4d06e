//! Baseline audits: a tenant's PIM notification settings checked against a shipped baseline —
//! today the CISA SCuBA Microsoft Entra ID baseline's MS.AAD.7.7v1–7.9v1 ([`scuba`]) — by
//! *evaluating* the tenant's settings with a rule set, not by reading one field of them.
//!
//! Semantics (the README's "Baseline audit" section says the same):
//! - An event **alerts** when its decision — [`Evaluator::evaluate`] with the role's
//!   [`NotificationPolicy`], the overlay `eval --role` uses — includes the rule set's
//!   `from policy` class ([`crate::ruleset::Vocabulary::policy_class`]) with at least one
//!   address: it reaches an additional recipient. Level `None`, level `Critical` for an event
//!   that is not critical, and a row without additional recipients all leave it without one.
//! - A policy holds for a role when each of its [`Check`]s alerts: an event in the policy's scope
//!   with the facts the check sets, every other fact at its default.
//! - A role is the tenant's [`RoleTarget::EntraRole`] settings whose `role_id` is the role's
//!   template id (case aside). A role the tenant does not list has Graph's defaults
//!   ([`NotificationPolicy::default`]: level `All`, defaults on, nobody additional), so it fails.
//! - A failure names the setting to change: the (section, row) line governing the event — the
//!   section is the event's ([`crate::ruleset::EventSection::resolve`] over the check's facts), the
//!   row is the admin row when the rule set sends the event to an admin-row class. Additional
//!   recipients get a copy of what their row receives, so when the rule set sends the event to
//!   no admin-row class (shipped `entra-pim`: `role-assigned` in `entra-role` goes only to the
//!   assignee), the admin row cannot carry an alert and the first row that receives the event is
//!   named instead, with a note. It is located at the stated line, else at the role's settings,
//!   else nowhere (the role is not in the tenant).
//!
//! ScubaGear's own Rego (`AADConfig.rego`) passes 7.7–7.9 when `notificationRecipients` of the
//! `Notification_Admin_…` rule is not empty, whatever its level; here the level, the rule set's
//! recipients and the overlay decide.

pub mod report;
pub mod scuba;

use crate::eval::Evaluator;
use crate::ruleset::tenant::{Level, NotificationPolicy, RowSetting};
use crate::ruleset::{
    ClassId, EventId, FactValues, PolicyRow, PolicySection, RoleSettings, RoleTarget, ScopeId,
    Vocabulary,
};
use crate::source::Span;
use crate::table::DecisionTable;

/// How strongly a baseline asks for a policy (the baseline's own capitals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    Shall,
    Should,
}

impl Requirement {
    pub fn keyword(self) -> &'static str {
        match self {
            Requirement::Shall => "SHALL",
            Requirement::Should => "SHOULD",
        }
    }
}

/// A role a baseline is about, by its built-in role template id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    /// the display name the baseline uses
    pub name: &'static str,
    pub template_id: &'static str,
}

impl Role {
    pub const fn new(name: &'static str, template_id: &'static str) -> Role {
        Role { name, template_id }
    }
}

/// One event a policy requires to alert: its name and the facts set (by name), the others at
/// their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub event: &'static str,
    pub facts: &'static [(&'static str, &'static str)],
}

/// The roles of a baseline a policy applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Roles {
    All,
    /// only the role of this template id
    Only(&'static str),
    /// every role but the one of this template id
    AllBut(&'static str),
}

impl Roles {
    pub fn includes(self, role: &Role) -> bool {
        match self {
            Roles::All => true,
            Roles::Only(id) => role.template_id == id,
            Roles::AllBut(id) => role.template_id != id,
        }
    }
}

/// A baseline policy: every check must alert for every role it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// e.g. `MS.AAD.7.7v1`
    pub id: &'static str,
    pub requirement: Requirement,
    /// the policy's statement, quoted
    pub statement: &'static str,
    /// the scope its events occur in, by name
    pub scope: &'static str,
    pub checks: &'static [Check],
    pub roles: Roles,
}

/// A shipped baseline: its roles and policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Baseline {
    /// what `--baseline` calls it
    pub name: &'static str,
    pub title: &'static str,
    /// where it is published
    pub help_uri: &'static str,
    pub roles: &'static [Role],
    pub policies: &'static [Policy],
}

/// A rule set that lacks what a baseline's checks name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditError(pub String);

impl std::fmt::Display for AuditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A baseline checked against a tenant.
#[derive(Debug, Clone)]
pub struct Audit<'b> {
    pub baseline: &'b Baseline,
    /// the rule set that decided, by name (`entra-pim`), and its version
    pub ruleset: String,
    pub ruleset_version: Option<String>,
    /// one per (policy, role), in the baseline's order
    pub results: Vec<PolicyResult<'b>>,
}

impl Audit<'_> {
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.passed()).count()
    }

    /// The failed results of a requirement.
    pub fn failed(&self, requirement: Requirement) -> usize {
        self.results
            .iter()
            .filter(|r| !r.passed() && r.policy.requirement == requirement)
            .count()
    }
}

/// One policy for one role.
#[derive(Debug, Clone)]
pub struct PolicyResult<'b> {
    pub policy: &'b Policy,
    pub role: &'b Role,
    /// the tenant's name for the role; the baseline's when the tenant has none (or only an id)
    pub role_name: String,
    /// whether the tenant has settings for the role
    pub in_tenant: bool,
    /// one per check of the policy
    pub checks: Vec<CheckResult<'b>>,
}

impl PolicyResult<'_> {
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.alert)
    }

    pub fn failures(&self) -> impl Iterator<Item = &Failure> {
        self.checks.iter().filter_map(|c| c.failure.as_ref())
    }
}

/// One event evaluated under the role's settings.
#[derive(Debug, Clone)]
pub struct CheckResult<'b> {
    pub check: &'b Check,
    /// the additional addresses the event reaches
    pub addresses: Vec<String>,
    pub alert: bool,
    /// why it does not alert, and what to change
    pub failure: Option<Failure>,
}

/// What keeps an event from alerting, and the setting to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub event: String,
    /// whether the event is critical (a level `Critical` lets it through)
    pub critical: bool,
    pub section: PolicySection,
    pub row: PolicyRow,
    /// that line's settings in the tenant (Graph's defaults when not stated)
    pub current: RowSetting,
    pub reason: Reason,
    /// the admin row's additional recipients when the rule set sends the event to no admin-row
    /// class, so they get no copy (and another row is named); empty otherwise
    pub admin_uncopied: Vec<String>,
    /// the stated line, else the role's settings; `None` when the role is not in the tenant
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// the line's level is `None`
    LevelNone,
    /// the line's level is `Critical` and the event is not critical
    LevelCritical,
    /// the line adds nobody
    NoAdditional,
    /// the rule set sends the event to no class of any policy row: no setting adds a recipient
    NoRowReached,
    /// the line lets the event through with additional recipients, yet they get no copy
    NotCopied,
}

impl Failure {
    /// `activation admin`
    pub fn setting(&self) -> String {
        format!("{} {}", self.section.keyword(), self.row.keyword())
    }

    /// Why, in a few words: `no additional recipients`.
    pub fn reason_text(&self, ruleset: &str) -> String {
        let mut text = match self.reason {
            Reason::LevelNone => "level none".to_owned(),
            Reason::LevelCritical => format!("level critical, and {} is not critical", self.event),
            Reason::NoAdditional => "no additional recipients".to_owned(),
            Reason::NoRowReached => format!(
                "{ruleset} sends {} to no class of a policy row, so no setting adds a recipient",
                self.event
            ),
            Reason::NotCopied => "additional recipients that get no copy".to_owned(),
        };
        if !self.admin_uncopied.is_empty() {
            text.push_str(&format!(
                "; {} admin adds recipients, but {ruleset} sends {} to no admin-row class, so \
                 they get no copy",
                self.section.keyword(),
                self.event
            ));
        }
        text
    }

    /// The line that makes the event alert: its addresses, else those the admin row adds in
    /// vain, else `"…"` to fill in; `None` when no setting can.
    pub fn fix(&self) -> Option<String> {
        if self.reason == Reason::NoRowReached {
            return None;
        }
        let level = if self.current.level.lets_through(self.critical) {
            self.current.level
        } else {
            Level::All
        };
        let additional: Vec<String> = [&self.current.additional, &self.admin_uncopied]
            .into_iter()
            .find(|addresses| !addresses.is_empty())
            .map_or_else(
                || vec!["\"…\"".to_owned()],
                |addresses| addresses.iter().map(|a| format!("\"{a}\"")).collect(),
            );
        Some(format!(
            "{}: level {}, default-recipients {}, additional {{{}}}",
            self.setting(),
            level.keyword(),
            if self.current.default_recipients {
                "on"
            } else {
                "off"
            },
            additional.join(", ")
        ))
    }
}

/// A check with its names resolved against the rule set.
struct Resolved {
    event: EventId,
    critical: bool,
    facts: FactValues,
    section: PolicySection,
}

/// Check every policy of `baseline` for every role it applies to, evaluating the tenant's
/// settings with `table`'s rules.
pub fn audit<'b>(
    table: &DecisionTable,
    baseline: &'b Baseline,
    tenant: &[RoleSettings],
) -> Result<Audit<'b>, AuditError> {
    let v = &table.vocabulary;
    let class = v.policy_class().ok_or_else(|| {
        AuditError(format!(
            "rule set `{}` declares no `from policy` recipient class, so nothing can alert",
            v.header.name
        ))
    })?;
    let evaluator = Evaluator::new(table);
    let graph_defaults = NotificationPolicy::default();
    let mut results = Vec::new();
    for policy in baseline.policies {
        let scope = v.scope(policy.scope).ok_or_else(|| {
            AuditError(format!(
                "rule set `{}` has no scope `{}`, which {} is about",
                v.header.name, policy.scope, policy.id
            ))
        })?;
        let resolved: Vec<Resolved> = policy
            .checks
            .iter()
            .map(|check| resolve(v, policy, check))
            .collect::<Result<_, _>>()?;
        for role in baseline.roles.iter().filter(|r| policy.roles.includes(r)) {
            let settings = tenant.iter().find(|s| {
                s.target == RoleTarget::EntraRole
                    && s.role_id
                        .as_ref()
                        .is_some_and(|id| id.node.eq_ignore_ascii_case(role.template_id))
            });
            let role_policy = settings.map_or(&graph_defaults, |s| &s.policy);
            let checks = policy
                .checks
                .iter()
                .zip(&resolved)
                .map(|(check, r)| {
                    let decision = evaluator.evaluate(scope, r.event, &r.facts, Some(role_policy));
                    let addresses: Vec<String> = decision
                        .notifications
                        .iter()
                        .filter(|n| n.class == class)
                        .flat_map(|n| n.addresses.iter().cloned())
                        .collect();
                    let alert = !addresses.is_empty();
                    let failure = (!alert).then(|| {
                        failure(
                            &evaluator,
                            scope,
                            r,
                            settings,
                            role_policy,
                            check.event,
                            class,
                        )
                    });
                    CheckResult {
                        check,
                        addresses,
                        alert,
                        failure,
                    }
                })
                .collect();
            let role_name = match settings {
                Some(s) if !s.name.eq_ignore_ascii_case(role.template_id) => s.name.clone(),
                _ => role.name.to_owned(),
            };
            results.push(PolicyResult {
                policy,
                role,
                role_name,
                in_tenant: settings.is_some(),
                checks,
            });
        }
    }
    Ok(Audit {
        baseline,
        ruleset: v.header.name.clone(),
        ruleset_version: v.header.version.clone(),
        results,
    })
}

/// The event, facts and section of a check, or what the rule set lacks.
fn resolve(v: &Vocabulary, policy: &Policy, check: &Check) -> Result<Resolved, AuditError> {
    let lacks = |what: String| {
        AuditError(format!(
            "rule set `{}` has no {what}, which {} checks",
            v.header.name, policy.id
        ))
    };
    let event = v
        .event(check.event)
        .ok_or_else(|| lacks(format!("event `{}`", check.event)))?;
    let mut facts = FactValues::defaults(v);
    for (name, value) in check.facts {
        let fact = v
            .fact(name)
            .ok_or_else(|| lacks(format!("fact `{name}`")))?;
        let index = v.facts[fact.0]
            .value_index(value)
            .ok_or_else(|| lacks(format!("value `{value}` of fact `{name}`")))?;
        facts.set(fact, index);
    }
    let declared = &v.events[event.0];
    let section = declared.section.resolve(&facts).ok_or_else(|| {
        AuditError(format!(
            "in rule set `{}`, event `{}` is outside the tenant notification settings, so {} \
             cannot be checked",
            v.header.name, check.event, policy.id
        ))
    })?;
    Ok(Resolved {
        event,
        critical: declared.critical,
        facts,
        section,
    })
}

/// Why a check's event does not alert: the governing line and what is wrong with it.
fn failure(
    evaluator: &Evaluator,
    scope: ScopeId,
    check: &Resolved,
    settings: Option<&RoleSettings>,
    policy: &NotificationPolicy,
    event: &str,
    policy_class: ClassId,
) -> Failure {
    let v = &evaluator.table().vocabulary;
    // who the rule set alone notifies: additional recipients get a copy of what their row receives
    let before = evaluator.evaluate(scope, check.event, &check.facts, None);
    let reached: Vec<PolicyRow> = before
        .notifications
        .iter()
        .filter(|n| n.class != policy_class)
        .filter_map(|n| v.recipients.get(n.class.0).and_then(|c| c.row))
        .collect();
    let receiving = PolicyRow::ALL.into_iter().find(|r| reached.contains(r));
    let row = receiving.unwrap_or(PolicyRow::Admin);
    let current = policy.get(check.section, row);
    let reason = if receiving.is_none() {
        Reason::NoRowReached
    } else if !current.level.lets_through(check.critical) {
        match current.level {
            Level::None => Reason::LevelNone,
            _ => Reason::LevelCritical,
        }
    } else if current.additional.is_empty() {
        Reason::NoAdditional
    } else {
        Reason::NotCopied
    };
    let span = settings.map(|s| {
        s.lines
            .iter()
            .find(|l| l.section == check.section && l.row == row)
            .map_or(s.span, |l| l.span)
    });
    Failure {
        event: event.to_owned(),
        critical: check.critical,
        section: check.section,
        row,
        current,
        reason,
        admin_uncopied: if reached.contains(&PolicyRow::Admin) {
            Vec::new()
        } else {
            policy.get(check.section, PolicyRow::Admin).additional
        },
        span,
    }
}
