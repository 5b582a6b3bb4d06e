//! `plan`: a tenant planned against itself changes nothing; a plan against changed settings
//! names exactly the changed rules, requests nothing else, and every change of people it reports
//! is confirmed by evaluating the live and the desired settings at its witness.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use pimrules::eval::{Evaluator, parse_settings};
use pimrules::load::{RuleSource, load_text};
use pimrules::plan::{PeopleChange, Plan, plan};
use pimrules::ruleset::RoleSettings;
use pimrules::table::DecisionTable;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::collections::BTreeSet;

const SECTIONS: &[&str] = &["eligible-assignment", "active-assignment", "activation"];
const ROWS: &[&str] = &["admin", "requestor", "approver"];
const LEVELS: &[&str] = &["all", "critical", "none"];
const ADDRESSES: &[&str] = &["secops@contoso.com", "pim@contoso.com"];

fn shipped() -> DecisionTable {
    let build = pimrules::pipeline::build(&[RuleSource::Shipped("entra-pim".into())])
        .expect("the shipped rule set loads");
    build.compiled[0].table.clone()
}

/// One line's settings: level, default recipients, additional recipients.
type Line = (&'static str, bool, Vec<&'static str>);

fn line() -> impl Strategy<Value = Line> {
    (
        prop::sample::select(LEVELS),
        any::<bool>(),
        prop::sample::subsequence(ADDRESSES, 0..=2),
    )
}

/// Settings for Global Administrator stating all nine rules, as an import writes them.
fn settings_text(lines: &[Line]) -> String {
    let mut text = String::from(
        "settings \"Global Administrator\" for entra-role {\n  role-id \"62e90394-69f5-4237-9190-012177145e10\"\n  policy-id \"DirectoryRole_cab01047-8ad9-4792-8e42-569340767f1b_70c808b5-0d35-4863-a0ba-07888e99d448\"\n",
    );
    let mut cells = SECTIONS
        .iter()
        .flat_map(|s| ROWS.iter().map(move |r| (s, r)));
    for (level, defaults, additional) in lines {
        let Some((section, row)) = cells.next() else {
            break;
        };
        text.push_str(&format!(
            "  {section} {row}: level {level}, default-recipients {}",
            if *defaults { "on" } else { "off" }
        ));
        if !additional.is_empty() {
            let quoted: Vec<String> = additional.iter().map(|a| format!("\"{a}\"")).collect();
            text.push_str(&format!(", additional {{{}}}", quoted.join(", ")));
        }
        text.push('\n');
    }
    text.push_str("}\n");
    text
}

fn settings(text: &str) -> Vec<RoleSettings> {
    let loaded = load_text("settings.pimrules", text);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    pimrules::check::check_settings(&loaded, &loaded.programs[0]).expect("valid settings")
}

/// The `Notification_…` ids of the lines whose settings differ.
fn changed_rules(live: &[Line], desired: &[Line]) -> BTreeSet<String> {
    let graph_section = [
        "Admin_Eligibility",
        "Admin_Assignment",
        "EndUser_Assignment",
    ];
    let graph_row = ["Admin", "Requestor", "Approver"];
    live.iter()
        .zip(desired)
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| format!("Notification_{}_{}", graph_row[i % 3], graph_section[i / 3]))
        .collect()
}

/// The property's check: the plan names and requests exactly `expected`, and each change of
/// people holds at its witness.
fn plan_is_exact(
    table: &DecisionTable,
    live: &RoleSettings,
    desired: &RoleSettings,
    plan: &Plan,
    expected: &BTreeSet<String>,
) -> Result<(), String> {
    let named: BTreeSet<String> = plan
        .roles
        .iter()
        .flat_map(|r| {
            r.rules
                .iter()
                .map(|(s, w)| pimrules::ruleset::tenant::rule_id(*s, *w))
        })
        .collect();
    let requested: BTreeSet<String> = plan.requests.iter().flat_map(|r| r.rules.clone()).collect();
    if &named != expected || &requested != expected {
        return Err(format!(
            "expected {expected:?}, plan names {named:?}, requests {requested:?}"
        ));
    }
    for change in plan.roles.iter().flat_map(|r| &r.changes) {
        confirmed(table, live, desired, change)?;
    }
    Ok(())
}

/// Whether the class (or address) is notified at the change's witness under each settings.
fn confirmed(
    table: &DecisionTable,
    live: &RoleSettings,
    desired: &RoleSettings,
    change: &PeopleChange,
) -> Result<(), String> {
    let v = &table.vocabulary;
    let facts = parse_settings(
        v,
        change.witness.iter().map(|(f, x)| (f.as_str(), x.as_str())),
    )
    .map_err(|e| format!("{e:?}"))?;
    let (Some(scope), Some(event), Some(class)) = (
        v.scope(&change.scope),
        v.event(&change.event),
        v.class(&change.recipient),
    ) else {
        return Err(format!("{change:?} names what the rule set lacks"));
    };
    let evaluator = Evaluator::new(table);
    let notified = |policy: &RoleSettings| {
        evaluator
            .evaluate(scope, event, &facts, Some(&policy.policy))
            .notifications
            .iter()
            .any(|n| {
                n.class == class
                    && change
                        .address
                        .as_ref()
                        .is_none_or(|a| n.addresses.iter().any(|x| x.eq_ignore_ascii_case(a)))
            })
    };
    // the desired side is the live role with the desired lines: here every line is stated
    let (before, after) = (notified(live), notified(desired));
    if before != change.gained && after == change.gained {
        Ok(())
    } else {
        Err(format!(
            "{change:?} does not hold at its witness ({before} → {after})"
        ))
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/plan.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_tenant_against_itself_changes_nothing(lines in prop::collection::vec(line(), 9)) {
        let table = shipped();
        let live = settings(&settings_text(&lines));
        let planned = plan(&table, &live, &live).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert!(planned.is_empty(), "{planned:?}");
    }

    #[test]
    fn a_plan_names_exactly_the_changed_rules(
        live_lines in prop::collection::vec(line(), 9),
        desired_lines in prop::collection::vec(line(), 9),
        keep in prop::collection::vec(any::<bool>(), 9),
    ) {
        let desired_lines: Vec<Line> = live_lines
            .iter()
            .zip(desired_lines)
            .zip(keep)
            .map(|((live, new), keep)| if keep { live.clone() } else { new })
            .collect();
        let table = shipped();
        let live = settings(&settings_text(&live_lines));
        let desired = settings(&settings_text(&desired_lines));
        let planned = plan(&table, &live, &desired).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let expected = changed_rules(&live_lines, &desired_lines);
        plan_is_exact(&table, &live[0], &desired[0], &planned, &expected).map_err(TestCaseError::fail)?;
    }
}

/// The property's check catches a plan that requests a rule that did not change, and a change
/// of people that does not hold.
#[test]
fn a_wrong_plan_is_caught() {
    let table = shipped();
    let live_lines: Vec<Line> = vec![("all", true, vec![]); 9];
    let mut desired_lines = live_lines.clone();
    desired_lines[6] = ("all", false, vec!["secops@contoso.com"]);
    let live = settings(&settings_text(&live_lines));
    let desired = settings(&settings_text(&desired_lines));
    let planned = plan(&table, &live, &desired).expect("a plan");
    let expected = changed_rules(&live_lines, &desired_lines);
    assert_eq!(
        expected,
        BTreeSet::from(["Notification_Admin_EndUser_Assignment".to_owned()])
    );
    assert_eq!(
        plan_is_exact(&table, &live[0], &desired[0], &planned, &expected),
        Ok(())
    );
    assert!(!planned.roles[0].changes.is_empty());

    let mut extra = planned.clone();
    extra.requests.push(extra.requests[0].clone());
    extra.requests[1].rules = vec!["Notification_Admin_Admin_Eligibility".into()];
    assert!(plan_is_exact(&table, &live[0], &desired[0], &extra, &expected).is_err());

    let mut inverted = planned.clone();
    let change = &mut inverted.roles[0].changes[0];
    change.gained = !change.gained;
    assert!(plan_is_exact(&table, &live[0], &desired[0], &inverted, &expected).is_err());
}
