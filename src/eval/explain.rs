//! Explanations: for each recipient class, the rules that sent an event to it, or for each rule
//! that would have, the first part of its condition that failed with the fact's actual value.

use super::overlay::DropReason;
use super::{Decision, Source};
use crate::ruleset::*;
use crate::table::DecisionTable;

/// Why one class is, or is not, notified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassExplanation {
    pub class: ClassId,
    pub notified: bool,
    /// rules whose conditions held (all of them, not only the first)
    pub fired: Vec<RuleId>,
    /// rules that send this event to the class but whose condition failed, with the reason
    pub failed: Vec<(RuleId, String)>,
    /// what the tenant policy did, if anything
    pub policy: Option<String>,
}

impl ClassExplanation {
    /// Whether any rule sends this event in this scope to the class at all.
    pub fn has_rules(&self) -> bool {
        !self.fired.is_empty() || !self.failed.is_empty() || self.policy.is_some()
    }
}

/// Explain a decision class by class, in declaration order.
pub fn explain(
    table: &DecisionTable,
    decision: &Decision,
    facts: &FactValues,
) -> Vec<ClassExplanation> {
    let vocabulary = &table.vocabulary;
    let cell = table.cell(decision.scope, decision.event);
    (0..vocabulary.recipients.len())
        .map(ClassId)
        .map(|class| {
            let mut fired = Vec::new();
            let mut targeting = Vec::new();
            for row in cell.rows.iter().filter(|row| row.classes.contains(class)) {
                if !targeting.contains(&row.rule) {
                    targeting.push(row.rule);
                }
                if row.cube.contains(facts) && !fired.contains(&row.rule) {
                    fired.push(row.rule);
                }
            }
            let failed = targeting
                .into_iter()
                .filter(|rule| !fired.contains(rule))
                .map(|rule| {
                    let reason = table
                        .rules
                        .get(rule.0)
                        .and_then(|r| r.condition.as_ref())
                        .map(|c| why_false(c, vocabulary, facts))
                        .unwrap_or_else(|| "its condition does not hold".to_owned());
                    (rule, reason)
                })
                .collect();
            let notification = decision.notifications.iter().find(|n| n.class == class);
            let policy_note = policy_note(vocabulary, decision, class, notification);
            ClassExplanation {
                class,
                notified: notification.is_some(),
                fired,
                failed,
                policy: policy_note,
            }
        })
        .collect()
}

/// What the policy did to a class: added it, or dropped it (and by which rule and setting).
fn policy_note(
    vocabulary: &Vocabulary,
    decision: &Decision,
    class: ClassId,
    notification: Option<&super::Notification>,
) -> Option<String> {
    if let Some(super::Notification {
        source: Source::Policy(id),
        addresses,
        ..
    }) = notification
    {
        return Some(format!(
            "added by the tenant policy's `{id}`: {}",
            addresses.join(", ")
        ));
    }
    let dropped = decision.dropped.iter().find(|d| d.class == class)?;
    let id = &dropped.rule_id;
    Some(match dropped.why {
        DropReason::LevelNone => format!("dropped: the tenant policy's `{id}` has level `None`"),
        DropReason::NotCritical => format!(
            "dropped: the tenant policy's `{id}` has level `Critical` and `{}` is not critical",
            vocabulary
                .events
                .get(decision.event.0)
                .map_or("", |e| e.name.as_str())
        ),
        DropReason::DefaultRecipientsOff => {
            format!("dropped: the tenant policy's `{id}` turns default recipients off")
        }
    })
}

/// Why a condition does not hold, naming the facts' actual values.
pub fn why_false(condition: &Condition, vocabulary: &Vocabulary, facts: &FactValues) -> String {
    match condition {
        Condition::Atom(atom) => format!(
            "`{}` does not hold: {}",
            condition.display(vocabulary),
            actual(atom, vocabulary, facts)
        ),
        Condition::All(parts) => parts
            .iter()
            .find(|p| !p.holds(vocabulary, facts))
            .map(|p| why_false(p, vocabulary, facts))
            .unwrap_or_default(),
        Condition::Any(parts) => parts
            .iter()
            .map(|p| why_false(p, vocabulary, facts))
            .collect::<Vec<_>>()
            .join("; and "),
        Condition::Not(inner) => format!(
            "`{}` does not hold: {}",
            condition.display(vocabulary),
            why_true(inner, vocabulary, facts)
        ),
    }
}

/// Why a condition holds, naming the facts' actual values.
fn why_true(condition: &Condition, vocabulary: &Vocabulary, facts: &FactValues) -> String {
    match condition {
        Condition::Atom(atom) => actual(atom, vocabulary, facts),
        Condition::Any(parts) => parts
            .iter()
            .find(|p| p.holds(vocabulary, facts))
            .map(|p| why_true(p, vocabulary, facts))
            .unwrap_or_default(),
        Condition::All(parts) => parts
            .iter()
            .map(|p| why_true(p, vocabulary, facts))
            .collect::<Vec<_>>()
            .join(" and "),
        Condition::Not(inner) => why_false(inner, vocabulary, facts),
    }
}

fn actual(atom: &Atom, vocabulary: &Vocabulary, facts: &FactValues) -> String {
    match vocabulary.facts.get(atom.fact.0) {
        Some(fact) => format!(
            "`{}` is `{}`",
            fact.name,
            fact.value_name(facts.get(atom.fact))
        ),
        None => "an unknown fact".to_owned(),
    }
}
