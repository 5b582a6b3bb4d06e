//! W005: scopes, events, recipient classes, facts and templates declared in the root file that
//! no rule uses (a scope also counts as used by an `occurs in`). Declarations in files reached through `use` are a library and are exempt.

use super::declarations::Kind;
use super::{Code, Context, Finding, Subject};
use crate::diagnostic::Label;
use crate::ruleset::*;
use std::collections::HashSet;

pub(super) fn check(cx: &Context) -> Vec<Finding> {
    let used = Used::of(cx.rule_set);
    let vocabulary = cx.vocabulary();
    cx.declarations
        .in_root()
        .filter(|declared| {
            let name = declared.name.as_str();
            let index = match declared.kind {
                Kind::Scope => vocabulary.scope(name).map(|id| id.0),
                Kind::Event => vocabulary.event(name).map(|id| id.0),
                Kind::Class => vocabulary.class(name).map(|id| id.0),
                Kind::Fact => vocabulary.fact(name).map(|id| id.0),
                Kind::Template => vocabulary.templates.iter().position(|t| t.name == name),
            };
            index.is_some_and(|i| !used.contains(declared.kind, i))
        })
        .map(|declared| {
            let mut finding = cx.finding(
                Code::W005,
                format!(
                    "{} `{}` is declared but no rule uses it",
                    declared.kind.word(),
                    declared.name
                ),
                Label {
                    span: declared.name_span,
                    message: "never used".to_owned(),
                },
                Subject::UnusedDeclaration {
                    kind: declared.kind,
                    name: declared.name.clone(),
                },
            );
            finding.items.push(declared.item);
            finding
        })
        .collect()
}

/// What the rules (and the vocabulary's own links) use, by kind and index.
struct Used(HashSet<(Kind, usize)>);

impl Used {
    fn of(rule_set: &RuleSet) -> Used {
        let mut used = HashSet::new();
        for rule in &rule_set.rules {
            used.extend(rule.scopes.iter().map(|s| (Kind::Scope, s.0)));
            used.extend(rule.events.iter().map(|e| (Kind::Event, e.0)));
            used.extend(rule.notify.iter().map(|c| (Kind::Class, c.0)));
            used.extend(rule.templates.iter().map(|t| (Kind::Template, t.0)));
            if let Some(condition) = &rule.condition {
                facts_of(condition, &mut |fact| {
                    used.insert((Kind::Fact, fact.0));
                });
            }
        }
        let vocabulary = &rule_set.vocabulary;
        for event in &vocabulary.events {
            // an `occurs in` declares where gaps matter, which is a use of the scope
            used.extend(event.occurs_in.iter().map(|s| (Kind::Scope, s.0)));
            if let EventSection::ByFact { fact, .. } = &event.section {
                used.insert((Kind::Fact, fact.0));
            }
        }
        used.extend(vocabulary.policy_class().map(|c| (Kind::Class, c.0)));
        Used(used)
    }

    fn contains(&self, kind: Kind, index: usize) -> bool {
        self.0.contains(&(kind, index))
    }
}

fn facts_of(condition: &Condition, found: &mut impl FnMut(FactId)) {
    match condition {
        Condition::Any(parts) | Condition::All(parts) => {
            parts.iter().for_each(|part| facts_of(part, found))
        }
        Condition::Not(inner) => facts_of(inner, found),
        Condition::Atom(atom) => found(atom.fact),
    }
}
