//! Differential testing: a plain interpreter of the checked rules (a walk over rules and their
//! conditions, no table) against the compiled `DecisionTable`, on generated rule sets: the same
//! recipients, attributed to the same rules and templates, for every event and fact combination.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

mod generate;
mod reference;

use pimrules::eval::Evaluator;
use pimrules::ruleset::{ClassId, EventId, RuleSet, ScopeId};
use proptest::prelude::*;
use reference::{all_facts, interpret};

/// Every question on which the evaluator and the interpreter differ.
fn differences(rules: &RuleSet, evaluator: &Evaluator) -> Vec<String> {
    let v = &rules.vocabulary;
    let mut found = Vec::new();
    for facts in all_facts(rules) {
        for scope in (0..v.scopes.len()).map(ScopeId) {
            for event in (0..v.events.len()).map(EventId) {
                let expected = interpret(rules, scope, event, &facts);
                let actual = evaluator.decide(scope, event, &facts);
                if actual.sends != expected {
                    found.push(format!(
                        "{scope:?} {event:?} {facts:?}: table {:?}, interpreter {expected:?}",
                        actual.sends
                    ));
                }
                let classes: Vec<ClassId> = actual.classes.iter().collect();
                let sent: Vec<ClassId> = actual.sends.iter().map(|s| s.class).collect();
                if classes != sent {
                    found.push(format!(
                        "class set {classes:?} disagrees with attributions {sent:?}"
                    ));
                }
            }
        }
    }
    found
}

proptest! {
    #![proptest_config(generate::persisted("proptest-regressions/differential.txt"))]
    #[test]
    fn the_table_agrees_with_the_interpreter((text, _shape) in generate::valid_program()) {
        let build = generate::build_generated(&text)?;
        let compiled = &build.compiled[0];
        let evaluator = Evaluator::new(&compiled.table);
        let found = differences(&compiled.rule_set, &evaluator);
        prop_assert!(found.is_empty(), "{}\n{text}", found.join("\n"));
    }
}

const SAMPLE: &str = r#"ruleset "sample"
sender "S" <s@contoso.com>
subject-prefix "S: "
max-recipients 10
scope s0 "S0"
event e0 "E0"
recipient c0 "C0"
recipient c1 "C1"
fact f0: v0 | v1 | v2 = v0
fact f1: bool = false
template e0
rule first {
  on e0 in s0
  notify c0
  when f0 in {v0, v1} and not f1
}
rule second {
  on e0 in s0
  notify c0, c1
  when f0 != v1 or f1
}
"#;

#[test]
fn the_sample_agrees() {
    let build = pimrules::pipeline::build_text("sample.pimrules", SAMPLE);
    let compiled = &build.compiled[0];
    assert!(differences(&compiled.rule_set, &Evaluator::new(&compiled.table)).is_empty());
}

/// The comparison notices a table with one row dropped.
#[test]
fn a_dropped_row_is_caught() {
    let build = pimrules::pipeline::build_text("sample.pimrules", SAMPLE);
    let compiled = &build.compiled[0];
    let mut table = compiled.table.clone();
    table.cells[0].rows.remove(0);
    assert!(!differences(&compiled.rule_set, &Evaluator::new(&table)).is_empty());
}

/// The comparison notices rows in the wrong order (the wrong rule credited).
#[test]
fn a_misattribution_is_caught() {
    let build = pimrules::pipeline::build_text("sample.pimrules", SAMPLE);
    let compiled = &build.compiled[0];
    let mut table = compiled.table.clone();
    table.cells[0].rows.reverse();
    assert!(!differences(&compiled.rule_set, &Evaluator::new(&table)).is_empty());
}
