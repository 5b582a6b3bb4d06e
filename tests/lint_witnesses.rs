//! Every witness `lint` reports is re-checked with the plain interpreter (`tests/reference`), on
//! generated programs and the shipped rule sets; on small programs the findings are also checked
//! to be complete (every gap, conflict and dead rule found) and redundant rules jointly deletable.

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

use pimrules::analysis::declarations::Kind;
use pimrules::analysis::{self, Finding, Subject, Witness};
use pimrules::pipeline::{self, Build};
use pimrules::ruleset::{
    ClassId, Condition, EventId, FactId, FactValues, RuleId, RuleSet, ScopeId, TemplateId,
};
use proptest::prelude::*;
use reference::{all_facts, fires, interpret, template_of};
use std::collections::BTreeSet;

fn occurs(rules: &RuleSet, scope: ScopeId, event: EventId) -> bool {
    rules
        .vocabulary
        .events
        .get(event.0)
        .is_some_and(|e| e.occurs_in.is_empty() || e.occurs_in.contains(&scope))
}

/// Every (scope, event) where the event can happen.
fn occurring_pairs(rules: &RuleSet) -> Vec<(ScopeId, EventId)> {
    let v = &rules.vocabulary;
    (0..v.scopes.len())
        .flat_map(|s| (0..v.events.len()).map(move |e| (ScopeId(s), EventId(e))))
        .filter(|(s, e)| occurs(rules, *s, *e))
        .collect()
}

fn witness_of(finding: &Finding) -> Result<&Witness, String> {
    finding
        .witness
        .as_ref()
        .ok_or_else(|| format!("{} has no witness", finding.code))
}

/// For W008/W009: an additional address of the flagged line that some event delivers to under
/// the role's settings (the finding says none ever is), by evaluating every event.
fn delivered_unreachable(rules: &RuleSet, role: usize, finding: &Finding) -> Option<String> {
    let settings = &rules.settings[role];
    let line = settings
        .lines
        .iter()
        .find(|line| line.span == finding.primary.span)?;
    let addresses = settings.policy.get(line.section, line.row).additional;
    let table = pimrules::table::compile(rules, &pimrules::source::Sources::new()).ok()?;
    let evaluator = pimrules::eval::Evaluator::new(&table);
    let v = &rules.vocabulary;
    for scope in (0..v.scopes.len()).map(ScopeId) {
        for event in (0..v.events.len()).map(EventId) {
            for facts in all_facts(rules) {
                let decision = evaluator.evaluate(scope, event, &facts, Some(&settings.policy));
                for notification in &decision.notifications {
                    if let Some(hit) = notification
                        .addresses
                        .iter()
                        .find(|a| addresses.contains(a))
                    {
                        return Some(hit.clone());
                    }
                }
            }
        }
    }
    None
}

/// Whether the interpreter confirms what a finding claims at its witness (or, for findings
/// about no event, over every combination of facts).
fn check_finding(rules: &RuleSet, finding: &Finding) -> Result<(), String> {
    let fails = |why: String| Err(format!("{}: {} — {why}", finding.code, finding.message));
    match &finding.subject {
        Subject::DeadRule { rule } => {
            for (scope, event) in occurring_pairs(rules) {
                if let Some(facts) = all_facts(rules)
                    .into_iter()
                    .find(|facts| fires(rules, *rule, scope, event, facts))
                {
                    return fails(format!("fires at {scope:?} {event:?} {facts:?}"));
                }
            }
        }
        Subject::AlwaysTrue { rule } => {
            let condition = rules.rules[rule.0].condition.as_ref();
            if let Some(facts) = all_facts(rules)
                .into_iter()
                .find(|facts| condition.is_some_and(|c| !c.holds(&rules.vocabulary, facts)))
            {
                return fails(format!("false at {facts:?}"));
            }
        }
        Subject::RedundantRule { rule, covered_by } => {
            let w = witness_of(finding)?;
            if !fires(rules, *rule, w.scope, w.event, &w.facts) {
                return fails("the rule does not fire at its witness".into());
            }
            let template = template_of(rules, *rule, w.event);
            for class in &rules.rules[rule.0].notify {
                let covered = covered_by.iter().any(|other| {
                    other != rule
                        && fires(rules, *other, w.scope, w.event, &w.facts)
                        && rules.rules[other.0].notify.contains(class)
                        && template_of(rules, *other, w.event) == template
                });
                if !covered {
                    return fails(format!("{class:?} is not covered at the witness"));
                }
            }
        }
        Subject::ConflictingTemplates {
            first,
            second,
            class,
        } => {
            let w = witness_of(finding)?;
            let sends = |rule: &RuleId| -> Option<TemplateId> {
                (fires(rules, *rule, w.scope, w.event, &w.facts)
                    && rules.rules[rule.0].notify.contains(class))
                .then(|| template_of(rules, *rule, w.event))
                .flatten()
            };
            match (sends(first), sends(second)) {
                (Some(a), Some(b)) if a != b => {}
                other => return fails(format!("at the witness the rules send {other:?}")),
            }
        }
        Subject::Gap {
            scope,
            event,
            regions,
        } => {
            let w = witness_of(finding)?;
            if (w.scope, w.event) != (*scope, *event) {
                return fails("the witness is another event".into());
            }
            if !regions.iter().any(|cube| cube.contains(&w.facts)) {
                return fails("the witness lies outside the reported regions".into());
            }
            let sends = interpret(rules, w.scope, w.event, &w.facts);
            if !sends.is_empty() {
                return fails(format!("the witness notifies {sends:?}"));
            }
        }
        Subject::Settings { role } => {
            let settings = rules.settings.get(*role).ok_or("no such settings")?;
            if finding.code.as_str() == "W009" {
                // an event of a role without approval never asks its approvers: no evaluation
                // shows that, so the claim is checked as stated
                let approver_extras = settings.lines.iter().any(
                    |pimrules::ruleset::SettingLine {
                         section: s, row: r, ..
                     }| {
                        *r == pimrules::ruleset::PolicyRow::Approver
                            && !settings.policy.get(*s, *r).additional.is_empty()
                    },
                );
                if settings.approval_required != Some(false) || !approver_extras {
                    return fails(
                        "the role needs approval, or its approvers have no extra recipients".into(),
                    );
                }
            } else if finding.code.as_str() == "W010" {
                let duplicated = settings.policy.settings.values().any(|row| {
                    let lower: Vec<String> =
                        row.additional.iter().map(|a| a.to_lowercase()).collect();
                    lower
                        .iter()
                        .enumerate()
                        .any(|(i, a)| lower[..i].contains(a))
                });
                if !duplicated {
                    return fails("no address is listed twice".into());
                }
            } else if let Some(address) = delivered_unreachable(rules, *role, finding) {
                return fails(format!("`{address}` does receive an email"));
            }
        }
        // about text, not about events: the corpus case shows it (tests/inputs/lint)
        Subject::Character { .. } | Subject::Unanswered => {}
        Subject::UnusedDeclaration { kind, name } => {
            let v = &rules.vocabulary;
            let mentioned = rules.rules.iter().any(|rule| match kind {
                Kind::Scope => rule.scopes.iter().any(|s| v.scope_name(*s) == name),
                Kind::Event => rule.events.iter().any(|e| v.event_name(*e) == name),
                Kind::Class => rule.notify.iter().any(|c| v.class_name(*c) == name),
                Kind::Template => rule.templates.iter().any(|t| v.template_name(*t) == name),
                Kind::Fact => v.fact(name).is_some_and(|fact| {
                    rule.condition.as_ref().is_some_and(|c| tests_fact(c, fact))
                }),
            });
            if mentioned {
                return fails("a rule uses it".into());
            }
        }
    }
    Ok(())
}

fn tests_fact(condition: &Condition, fact: FactId) -> bool {
    match condition {
        Condition::Any(parts) | Condition::All(parts) => parts.iter().any(|p| tests_fact(p, fact)),
        Condition::Not(inner) => tests_fact(inner, fact),
        Condition::Atom(atom) => atom.fact == fact,
    }
}

fn lint_all(build: &Build) -> Vec<(usize, Finding)> {
    build
        .compiled
        .iter()
        .enumerate()
        .flat_map(|(i, compiled)| {
            analysis::lint(&build.loaded, compiled)
                .into_iter()
                .map(move |f| (i, f))
        })
        .collect()
}

fn check_all(build: &Build) -> Vec<String> {
    lint_all(build)
        .iter()
        .filter_map(|(i, finding)| check_finding(&build.compiled[*i].rule_set, finding).err())
        .collect()
}

/// What every event sends, as (class, template) pairs: the observable emails.
fn emails(
    rules: &RuleSet,
    scope: ScopeId,
    event: EventId,
    facts: &FactValues,
) -> Vec<(ClassId, TemplateId)> {
    interpret(rules, scope, event, facts)
        .into_iter()
        .map(|send| (send.class, send.template))
        .collect()
}

/// Exhaustive checks that the findings of a small program are complete and exact.
fn completeness(rules: &RuleSet, findings: &[Finding]) -> Vec<String> {
    let mut problems = Vec::new();
    let combos = all_facts(rules);
    let pairs = occurring_pairs(rules);
    // gaps: exactly the combinations where a declared-relevant event notifies no one
    for (scope, event) in &pairs {
        if rules.vocabulary.events[event.0].occurs_in.is_empty() {
            continue;
        }
        let regions: Vec<_> = findings
            .iter()
            .filter_map(|f| match &f.subject {
                Subject::Gap {
                    scope: s,
                    event: e,
                    regions,
                } if (s, e) == (scope, event) => Some(regions.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        for facts in &combos {
            let nobody = interpret(rules, *scope, *event, facts).is_empty();
            let reported = regions.iter().any(|c| c.contains(facts));
            if nobody != reported {
                problems.push(format!(
                    "gap of {scope:?} {event:?} at {facts:?}: nobody {nobody}, reported {reported}"
                ));
            }
        }
    }
    // conflicts: every rule that sends a class with another template than an earlier rule firing
    // with it is reported (once, against the first such rule)
    let reported: BTreeSet<RuleId> = findings
        .iter()
        .filter_map(|f| match f.subject {
            Subject::ConflictingTemplates { second, .. } => Some(second),
            _ => None,
        })
        .collect();
    for (scope, event) in &pairs {
        for facts in &combos {
            let firing: Vec<RuleId> = (0..rules.rules.len())
                .map(RuleId)
                .filter(|r| fires(rules, *r, *scope, *event, facts))
                .collect();
            for (i, a) in firing.iter().enumerate() {
                for b in &firing[i + 1..] {
                    let shared = rules.rules[a.0]
                        .notify
                        .iter()
                        .any(|c| rules.rules[b.0].notify.contains(c));
                    if shared
                        && template_of(rules, *a, *event) != template_of(rules, *b, *event)
                        && !reported.contains(b)
                    {
                        problems.push(format!("unreported conflict of {a:?} and {b:?}"));
                    }
                }
            }
        }
    }
    // dead rules: every rule that never fires where its events occur is reported
    for (index, _) in rules.rules.iter().enumerate() {
        let rule = RuleId(index);
        let never = pairs.iter().all(|(s, e)| {
            combos
                .iter()
                .all(|facts| !fires(rules, rule, *s, *e, facts))
        });
        let dead = findings
            .iter()
            .any(|f| f.subject == Subject::DeadRule { rule });
        if never != dead {
            problems.push(format!(
                "{rule:?}: never fires {never}, reported dead {dead}"
            ));
        }
    }
    // redundant rules: deleting all of them together changes no email where events occur
    let redundant: BTreeSet<usize> = findings
        .iter()
        .filter_map(|f| match f.subject {
            Subject::RedundantRule { rule, .. } => Some(rule.0),
            _ => None,
        })
        .collect();
    let mut pruned = rules.clone();
    pruned.rules = rules
        .rules
        .iter()
        .enumerate()
        .filter(|(i, _)| !redundant.contains(i))
        .map(|(_, r)| r.clone())
        .collect();
    for (scope, event) in &pairs {
        for facts in &combos {
            // a conflict makes the surviving template depend on rule order; only compare classes there
            let before = emails(rules, *scope, *event, facts);
            let after = emails(&pruned, *scope, *event, facts);
            let classes =
                |e: &[(ClassId, TemplateId)]| e.iter().map(|(c, _)| *c).collect::<Vec<_>>();
            if (reported.is_empty() && before != after) || classes(&before) != classes(&after) {
                problems.push(format!(
                    "deleting the redundant rules changes {scope:?} {event:?} {facts:?}: {before:?} → {after:?}"
                ));
            }
        }
    }
    problems
}

proptest! {
    #![proptest_config(generate::persisted("proptest-regressions/lint_witnesses.txt"))]
    #[test]
    fn every_witness_holds_and_the_findings_are_complete((text, _shape) in generate::valid_program()) {
        let build = generate::build_generated(&text)?;
        let wrong = check_all(&build);
        prop_assert!(wrong.is_empty(), "{}\n{text}", wrong.join("\n"));
        let findings: Vec<Finding> = lint_all(&build).into_iter().map(|(_, f)| f).collect();
        let problems = completeness(&build.compiled[0].rule_set, &findings);
        prop_assert!(problems.is_empty(), "{}\n{text}", problems.join("\n"));
    }
}

#[test]
fn the_shipped_rule_sets_witnesses_hold() {
    for name in pimrules::shipped::RULE_SETS {
        let source = pimrules::load::RuleSource::Shipped((*name).to_owned());
        let build = pipeline::build(&[source]).expect("shipped rule sets load");
        let findings = lint_all(&build);
        assert!(
            !findings.is_empty(),
            "{name}: lint reports its documented gaps"
        );
        let wrong = check_all(&build);
        assert!(wrong.is_empty(), "{name}: {}", wrong.join("\n"));
        let all: Vec<Finding> = findings.into_iter().map(|(_, f)| f).collect();
        let problems = completeness(&build.compiled[0].rule_set, &all);
        assert!(problems.is_empty(), "{name}: {}", problems.join("\n"));
    }
}

const SAMPLE: &str = r#"ruleset "approvals"
sender "Contoso PIM" <pim@contoso.com>
subject-prefix "PIM: "
max-recipients 50

scope entra-role "Microsoft Entra roles"
recipient approver "Approver"
recipient privileged-role-administrator "Privileged Role Administrator"
event approval-pending "Pending approval" critical occurs in entra-role
fact cloud: public | government | china = public
fact explicit-approvers: bool = false
template approval-pending
template reminder "A reminder"

rule approvers {
  on approval-pending in entra-role
  notify approver
  when cloud in {public, government} and not explicit-approvers
}

rule reminders {
  on approval-pending in entra-role
  notify approver, privileged-role-administrator
  when cloud == public
  template reminder
}

rule public-approvers {
  on approval-pending in entra-role
  notify approver
  when cloud == public and not explicit-approvers
}
"#;

fn sample() -> (Build, Vec<Finding>) {
    let build = pipeline::build_text("sample.pimrules", SAMPLE);
    assert!(build.diagnostics.is_empty(), "{:?}", build.diagnostics);
    let findings = analysis::lint(&build.loaded, &build.compiled[0]);
    (build, findings)
}

/// The sample has a gap of a critical event, two conflicts and a redundant rule; all hold.
#[test]
fn the_sample_findings_hold() {
    let (build, findings) = sample();
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["W004", "W003", "W002", "W003"], "{findings:#?}");
    let rules = &build.compiled[0].rule_set;
    for finding in &findings {
        check_finding(rules, finding).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// A wrong witness planted in each finding is caught by the re-check.
#[test]
fn a_planted_wrong_witness_is_caught() {
    let (build, findings) = sample();
    let rules = &build.compiled[0].rule_set;
    let vocabulary = &rules.vocabulary;
    for finding in findings {
        let witness = finding
            .witness
            .clone()
            .expect("these findings have witnesses");
        let wrong_facts = all_facts(rules)
            .into_iter()
            .filter(|facts| *facts != witness.facts)
            .find(|facts| {
                let mut planted = finding.clone();
                planted.witness = Some(Witness::new(
                    witness.scope,
                    witness.event,
                    facts.clone(),
                    vocabulary,
                ));
                check_finding(rules, &planted).is_err()
            });
        assert!(
            wrong_facts.is_some(),
            "no planted witness of {} was caught",
            finding.code
        );
        // the default event notifies both classes: as the gap's witness it must be refused
        if let Subject::Gap { .. } = finding.subject {
            let mut planted = finding.clone();
            planted.witness = Some(Witness::new(
                witness.scope,
                witness.event,
                FactValues::defaults(vocabulary),
                vocabulary,
            ));
            assert!(check_finding(rules, &planted).is_err());
        }
    }
}

/// A rule reported dead that does fire is caught by the exhaustive re-check.
#[test]
fn a_planted_dead_rule_is_caught() {
    let (build, findings) = sample();
    let rules = &build.compiled[0].rule_set;
    let mut planted = findings[0].clone();
    planted.subject = Subject::DeadRule { rule: RuleId(0) };
    planted.witness = None;
    assert!(check_finding(rules, &planted).is_err());
    assert!(!completeness(rules, &[planted]).is_empty());
}

/// Settings findings (W008–W010) on the corpus's settings file, re-checked by evaluating every
/// event under the role's settings; and a planted false W008 is caught.
#[test]
fn settings_findings_are_confirmed() {
    use pimrules::load::RuleSource;
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/inputs/lint/settings.pimrules");
    let build = pipeline::build(&[
        RuleSource::Shipped("entra-pim".into()),
        RuleSource::Path(corpus),
    ])
    .expect("loads");
    let findings: Vec<(usize, Finding)> = lint_all(&build)
        .into_iter()
        .filter(|(_, f)| matches!(f.subject, Subject::Settings { .. }))
        .collect();
    let codes: BTreeSet<&str> = findings.iter().map(|(_, f)| f.code.as_str()).collect();
    assert_eq!(codes, BTreeSet::from(["W008", "W009", "W010"]));
    let rules = &build.compiled[0].rule_set;
    for (_, finding) in &findings {
        assert_eq!(check_finding(rules, finding), Ok(()));
    }
    // a W008 on a line whose addresses do receive email must fail the re-check
    let (_, w008) = findings
        .iter()
        .find(|(_, f)| f.code.as_str() == "W008")
        .expect("a W008");
    let mut planted = w008.clone();
    let approver_line = rules.settings[0]
        .lines
        .iter()
        .find(|line| line.row == pimrules::ruleset::PolicyRow::Approver)
        .expect("the approver line");
    planted.primary.span = approver_line.span;
    assert!(check_finding(rules, &planted).is_err());
}
