//! Semantic diff: a rule set never differs from itself, and every change `diff` reports is
//! confirmed by evaluating both rule sets at the change's witness.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

mod generate;

use pimrules::diff::{self, Change, ChangeKind};
use pimrules::eval::{Evaluator, parse_settings};
use pimrules::table::DecisionTable;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn compile(text: &str) -> DecisionTable {
    let build = pimrules::pipeline::build_text("generated.pimrules", text);
    assert!(build.diagnostics.is_empty(), "{:?}", build.diagnostics);
    build.compiled[0].table.clone()
}

/// The class's template at the witness, or `None` when the class is not notified (or the
/// witness names a value this rule set does not declare).
fn template_at(table: &DecisionTable, change: &Change) -> Option<Option<String>> {
    let v = &table.vocabulary;
    let settings = change
        .witness
        .iter()
        .map(|(f, value)| (f.as_str(), value.as_str()));
    let facts = parse_settings(v, settings).ok()?;
    let (Some(scope), Some(event)) = (v.scope(&change.scope), v.event(&change.event)) else {
        return Some(None);
    };
    let Some(class) = v.class(&change.recipient) else {
        return Some(None);
    };
    let outcome = Evaluator::new(table)
        .decide(scope, event, &facts)
        .into_owned();
    Some(
        outcome
            .sends
            .iter()
            .find(|s| s.class == class)
            .map(|s| v.template_name(s.template).to_owned()),
    )
}

/// Whether evaluating both rule sets at the witness shows the change (`None`: not checkable).
fn confirmed(old: &DecisionTable, new: &DecisionTable, change: &Change) -> Option<bool> {
    let before = template_at(old, change)?;
    let after = template_at(new, change)?;
    Some(match &change.kind {
        ChangeKind::Added => before.is_none() && after.is_some(),
        ChangeKind::Removed => before.is_some() && after.is_none(),
        ChangeKind::Template { old, new } => {
            before.as_ref() == Some(old) && after.as_ref() == Some(new)
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/diff.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_rule_set_equals_itself((text, _) in generate::valid_program()) {
        let table = compile(&text);
        let difference = diff::diff(&table, &table);
        prop_assert!(difference.as_ref().is_ok_and(|d| d.is_empty()), "{difference:?}");
    }

    #[test]
    fn every_change_is_confirmed_at_its_witness(
        (old_text, _) in generate::valid_program(),
        (new_text, _) in generate::valid_program(),
    ) {
        let old = compile(&old_text);
        let new = compile(&new_text);
        let difference = diff::diff(&old, &new);
        prop_assert!(difference.is_ok(), "{difference:?}");
        for change in difference.map(|d| d.changes).unwrap_or_default() {
            prop_assert_ne!(confirmed(&old, &new, &change), Some(false), "{:?}\n{}\n{}", change, old_text, new_text);
        }
    }
}

const OLD: &str = r#"ruleset "r"
sender "S" <s@contoso.com>
subject-prefix ""
max-recipients 5
scope s "S"
event e "E"
recipient c "C"
fact f: a | b = a
template e
rule r {
  on e in s
  notify c
  when f == a
}
"#;

/// The witness check notices a witness outside the changed region.
#[test]
fn a_wrong_witness_is_caught() {
    let old = compile(OLD);
    let new = compile(&OLD.replace("when f == a", "when f == b"));
    let changes = diff::diff(&old, &new).expect("a small diff").changes;
    assert_eq!(changes.len(), 2, "{changes:?}");
    for change in &changes {
        assert_eq!(confirmed(&old, &new, change), Some(true));
        let mut wrong = change.clone();
        wrong.witness = vec![(
            "f".to_owned(),
            if change.witness[0].1 == "a" { "b" } else { "a" }.to_owned(),
        )];
        assert_eq!(confirmed(&old, &new, &wrong), Some(false));
    }
}
