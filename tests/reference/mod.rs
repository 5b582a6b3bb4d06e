//! The reference semantics of rules, written directly from the language's definition (a walk
//! over rules and their conditions, no table), shared by the differential and lint-witness tests.
#![allow(dead_code)]

use pimrules::eval::Send;
use pimrules::ruleset::{EventId, FactId, FactValues, RuleId, RuleSet, ScopeId, TemplateId};

/// Whether one rule fires for an event: it lists the scope and the event, and its condition holds.
pub fn fires(
    rules: &RuleSet,
    rule: RuleId,
    scope: ScopeId,
    event: EventId,
    facts: &FactValues,
) -> bool {
    rules.rules.get(rule.0).is_some_and(|r| {
        r.events.contains(&event)
            && r.scopes.contains(&scope)
            && r.condition
                .as_ref()
                .is_none_or(|condition| condition.holds(&rules.vocabulary, facts))
    })
}

/// The template a rule sends for an event it lists.
pub fn template_of(rules: &RuleSet, rule: RuleId, event: EventId) -> Option<TemplateId> {
    let r = rules.rules.get(rule.0)?;
    let position = r.events.iter().position(|e| *e == event)?;
    r.templates.get(position).copied()
}

/// Every matching rule adds its classes; a class counts once, for the first rule.
pub fn interpret(rules: &RuleSet, scope: ScopeId, event: EventId, facts: &FactValues) -> Vec<Send> {
    let mut sends: Vec<Send> = Vec::new();
    for (index, rule) in rules.rules.iter().enumerate() {
        let id = RuleId(index);
        if !fires(rules, id, scope, event, facts) {
            continue;
        }
        let Some(template) = template_of(rules, id, event) else {
            continue;
        };
        for class in &rule.notify {
            if !sends.iter().any(|s| s.class == *class) {
                sends.push(Send {
                    class: *class,
                    rule: id,
                    template,
                });
            }
        }
    }
    sends.sort_by_key(|s| s.class);
    sends
}

/// Every combination of fact values of a rule set.
pub fn all_facts(rules: &RuleSet) -> Vec<FactValues> {
    let mut all = vec![FactValues::defaults(&rules.vocabulary)];
    for (f, fact) in rules.vocabulary.facts.iter().enumerate() {
        all = all
            .into_iter()
            .flat_map(|facts| {
                (0..fact.values().len()).map(move |v| {
                    let mut next = facts.clone();
                    next.set(FactId(f), v);
                    next
                })
            })
            .collect();
    }
    all
}
