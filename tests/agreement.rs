//! The shipped rule sets, compiled, agree with the independent oracle of `tests/oracle/`
//! wherever the documents speak: exhaustively without a policy, and by proptest with policies.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

mod oracle;

use oracle::{GraphNotificationRule, Question, Verdict};
use pimrules::eval::{Evaluator, parse_settings};
use pimrules::load::RuleSource;
use pimrules::ruleset::tenant::NotificationPolicy;
use pimrules::table::DecisionTable;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The compiled table of each shipped rule set, built once.
fn shipped_table(ruleset: &str) -> &'static DecisionTable {
    static TABLES: OnceLock<Vec<(String, DecisionTable)>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        oracle::RULESETS
            .iter()
            .map(|name| {
                let build = pimrules::pipeline::build(&[RuleSource::Shipped((*name).to_owned())])
                    .expect("shipped rule sets load");
                assert!(
                    build.diagnostics.is_empty(),
                    "{name}: {:?}",
                    build.diagnostics
                );
                ((*name).to_owned(), build.compiled[0].table.clone())
            })
            .collect()
    });
    &tables
        .iter()
        .find(|(name, _)| name == ruleset)
        .expect("a shipped rule set")
        .1
}

/// Graph JSON for the oracle's policy rules (so the policy parser is exercised too).
fn policy_json(rules: &[GraphNotificationRule]) -> String {
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
                "id": r.id,
                "notificationType": "Email",
                // `Notification_{Row}_{Section}`: Graph writes the row again as recipientType
                "recipientType": r.id.split('_').nth(1),
                "notificationLevel": r.level,
                "isDefaultRecipientsEnabled": r.default_recipients,
                "notificationRecipients": r.additional,
            })
        })
        .collect();
    serde_json::json!({ "value": rules }).to_string()
}

/// The classes the compiled table notifies for an oracle question.
fn pimrules_answer(evaluator: &Evaluator, q: &Question) -> Vec<String> {
    let v = &evaluator.table().vocabulary;
    let (Some(scope), Some(event)) = (v.scope(q.scope), v.event(q.event)) else {
        return Vec::new();
    };
    let settings = v.facts.iter().filter_map(|fact| {
        q.facts
            .get(&fact.name)
            .map(|value| (fact.name.as_str(), value.as_str()))
    });
    let facts = parse_settings(v, settings).expect("oracle facts fit the rule set's domains");
    let policy = q.policy.map(|rules| {
        NotificationPolicy::from_graph_json(&policy_json(rules)).expect("valid policy")
    });
    let decision = evaluator.evaluate(scope, event, &facts, policy.as_ref());
    decision
        .notifications
        .iter()
        .map(|n| v.class_name(n.class).to_owned())
        .collect()
}

/// Every way the table's answer differs from what the documents say.
fn disagreements(evaluator: &Evaluator, q: &Question) -> Vec<String> {
    wrong_in(&pimrules_answer(evaluator, q), q)
}

/// The property's check: every way `answer` (the classes notified) differs from what the
/// documents say for `q`.
fn wrong_in(answer: &[String], q: &Question) -> Vec<String> {
    let mut problems = Vec::new();
    for class in answer {
        if !oracle::CLASSES.contains(&class.as_str()) {
            problems.push(format!(
                "notifies `{class}`, a class the documents do not know"
            ));
        }
    }
    for (class, verdict) in oracle::verdicts(q) {
        let notified = answer.iter().any(|c| c == class);
        match verdict {
            Verdict::Sent if !notified => {
                problems.push(format!("documented recipient `{class}` missing"))
            }
            Verdict::NotSent if notified => {
                problems.push(format!("documented exclusion `{class}` notified"))
            }
            _ => {}
        }
    }
    problems
}

fn question<'a>(
    ruleset: &'a str,
    scope: &'a str,
    event: &'a str,
    facts: &'a BTreeMap<String, String>,
    policy: Option<&'a [GraphNotificationRule]>,
) -> Question<'a> {
    Question {
        ruleset,
        scope,
        event,
        facts,
        policy,
    }
}

/// Without a tenant policy, every (rule set, scope, event, fact combination) is checked.
#[test]
fn shipped_rules_agree_with_the_documents_exhaustively() {
    let combinations = oracle::fact_combinations();
    let mut failures = Vec::new();
    for ruleset in oracle::RULESETS {
        let evaluator = Evaluator::new(shipped_table(ruleset));
        for scope in oracle::SCOPES {
            for event in oracle::EVENTS {
                for facts in &combinations {
                    let q = question(ruleset, scope, event, facts, None);
                    for problem in disagreements(&evaluator, &q) {
                        if failures.len() < 20 {
                            failures
                                .push(format!("{ruleset} {event} in {scope} {facts:?}: {problem}"));
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
}

/// The three Entra administrators × the matrix's three events: every cell is documented, so the
/// table must match the oracle exactly (not just where it speaks).
#[test]
fn the_entra_admin_matrix_is_exact() {
    let evaluator = Evaluator::new(shipped_table("entra-pim"));
    for facts in oracle::fact_combinations() {
        for event in ["approval-pending", "activation-completed", "pim-enabled"] {
            let q = question("entra-pim", "entra-role", event, &facts, None);
            let answer = pimrules_answer(&evaluator, &q);
            for class in oracle::ENTRA_ADMINS {
                let verdict = oracle::verdict(&q, class);
                assert_ne!(
                    verdict,
                    Verdict::Unspecified,
                    "the matrix documents every cell"
                );
                assert_eq!(
                    answer.iter().any(|c| c == class),
                    verdict == Verdict::Sent,
                    "{class} for {event} with {facts:?}"
                );
            }
        }
    }
}

#[test]
fn headers_match_the_documents() {
    for ruleset in oracle::RULESETS {
        let header = &shipped_table(ruleset).vocabulary.header;
        if let Some((name, address)) = oracle::sender(ruleset) {
            assert_eq!(
                (
                    header.sender.display_name.as_str(),
                    header.sender.address.as_str()
                ),
                (name, address)
            );
        }
        if let Some(prefix) = oracle::subject_prefix(ruleset) {
            assert_eq!(header.subject_prefix, prefix, "{ruleset}");
        }
        if let Some(cap) = oracle::max_recipients(ruleset) {
            assert_eq!(header.max_recipients, Some(cap as u32), "{ruleset}");
        }
    }
}

#[test]
fn criticality_matches_the_documents() {
    for ruleset in ["entra-pim", "entra-pim-2018"] {
        let v = &shipped_table(ruleset).vocabulary;
        for event in &v.events {
            assert_eq!(
                event.critical,
                oracle::is_critical(&event.name),
                "{ruleset} {}",
                event.name
            );
        }
    }
}

// ----- generated questions with tenant policies -----

const LEVELS: &[&str] = &["None", "Critical", "All"];
const ADDRESSES: &[&str] = &[
    "secops@contoso.com",
    "pim-audit@contoso.com",
    "teams-channel@contoso.onmicrosoft.com",
];

fn policy_rule() -> impl Strategy<Value = GraphNotificationRule> {
    let ids: Vec<String> = ["Admin", "Requestor", "Approver"]
        .iter()
        .flat_map(|row| {
            [
                "Admin_Eligibility",
                "Admin_Assignment",
                "EndUser_Assignment",
            ]
            .iter()
            .map(move |section| format!("Notification_{row}_{section}"))
        })
        .collect();
    (
        proptest::sample::select(ids),
        proptest::sample::select(LEVELS),
        any::<bool>(),
        proptest::sample::subsequence(ADDRESSES, 0..=2),
    )
        .prop_map(|(id, level, defaults, additional)| {
            GraphNotificationRule::new(&id, level, defaults, &additional)
        })
}

fn policy() -> impl Strategy<Value = Vec<GraphNotificationRule>> {
    proptest::collection::vec(policy_rule(), 0..=9).prop_map(|mut rules| {
        // one rule per id, as in Graph
        let mut seen = Vec::new();
        rules.retain(|r| {
            let fresh = !seen.contains(&r.id);
            seen.push(r.id.clone());
            fresh
        });
        rules
    })
}

fn facts() -> impl Strategy<Value = BTreeMap<String, String>> {
    let per_fact: Vec<_> = oracle::FACTS
        .iter()
        .map(|(name, values, _)| {
            proptest::sample::select(*values).prop_map(move |v| ((*name).to_owned(), v.to_owned()))
        })
        .collect();
    per_fact.prop_map(|pairs| pairs.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/agreement.txt"))),
        ..ProptestConfig::default()
    })]

    /// With a random tenant policy, `entra-pim` agrees with the oracle wherever it speaks.
    #[test]
    fn shipped_rules_agree_with_the_documents_under_policies(
        scope in proptest::sample::select(oracle::SCOPES),
        event in proptest::sample::select(oracle::EVENTS),
        facts in facts(),
        policy in proptest::option::of(policy()),
    ) {
        let q = question("entra-pim", scope, event, &facts, policy.as_deref());
        let problems = disagreements(&Evaluator::new(shipped_table("entra-pim")), &q);
        prop_assert!(problems.is_empty(), "{event} in {scope}, {facts:?}, {policy:?}: {problems:?}");
    }
}

// ----- the properties catch planted bugs -----

/// A copy of the `entra-pim` table with one rule's rows removed.
fn without_rule(rule: &str) -> DecisionTable {
    let mut table = shipped_table("entra-pim").clone();
    let id = table
        .rules
        .iter()
        .position(|r| r.name == rule)
        .expect("the rule exists");
    for cell in &mut table.cells {
        cell.rows.retain(|row| row.rule.0 != id);
    }
    table
}

#[test]
fn a_dropped_row_is_caught() {
    let table = without_rule("entra-activation-completed");
    let facts = oracle::default_facts();
    let q = question(
        "entra-pim",
        "entra-role",
        "activation-completed",
        &facts,
        None,
    );
    let problems = disagreements(&Evaluator::new(&table), &q);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("security-administrator")),
        "dropping the matrix's completed-activation row must be noticed: {problems:?}"
    );
}

#[test]
fn a_widened_condition_is_caught() {
    // send pending approvals to the privileged role administrator even with explicit approvers
    let mut table = shipped_table("entra-pim").clone();
    let id = table
        .rules
        .iter()
        .position(|r| r.name == "entra-approval-pending")
        .expect("rule");
    let full = pimrules::table::Cube::full(&table.vocabulary);
    for cell in &mut table.cells {
        for row in cell.rows.iter_mut().filter(|row| row.rule.0 == id) {
            row.cube = full.clone();
        }
    }
    let facts = oracle::facts_with(&[("explicit-approvers", "true")]);
    let q = question("entra-pim", "entra-role", "approval-pending", &facts, None);
    assert!(!disagreements(&Evaluator::new(&table), &q).is_empty());
}

/// An evaluator that ignores the tenant's policy (its answer to the same question without the
/// policy) is caught by the property's check.
#[test]
fn a_policy_bug_is_caught() {
    // a policy whose Admin activation rule is None: the administrators must be silenced
    let silence = vec![GraphNotificationRule::new(
        "Notification_Admin_EndUser_Assignment",
        "None",
        true,
        &[],
    )];
    let facts = oracle::default_facts();
    let q = question(
        "entra-pim",
        "entra-role",
        "activation-completed",
        &facts,
        Some(&silence),
    );
    let evaluator = Evaluator::new(shipped_table("entra-pim"));
    assert_eq!(disagreements(&evaluator, &q), Vec::<String>::new());
    let policy_ignored = pimrules_answer(&evaluator, &Question { policy: None, ..q });
    let problems = wrong_in(&policy_ignored, &q);
    assert!(
        problems
            .iter()
            .any(|p| p == "documented exclusion `security-administrator` notified"),
        "ignoring the policy must be noticed: {problems:?}"
    );
}
