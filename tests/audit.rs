//! `pimrules::audit` on tenants built from settings text: each way a SCuBA policy passes or
//! fails, decided by evaluating with the shipped rule sets (level, additional recipients, the
//! rows the rule set reaches, roles the tenant lacks), and the three output formats.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use pimrules::audit::{self, Audit, PolicyResult, Reason, report, scuba};
use pimrules::load::RuleSource;
use pimrules::ruleset::tenant::Level;
use pimrules::ruleset::{PolicyRow, PolicySection, RoleSettings, RoleTarget};
use pimrules::source::Sources;
use pimrules::table::DecisionTable;
use serde_json::Value;
use std::sync::OnceLock;

const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";
const EXCHANGE_ADMINISTRATOR: &str = "29232cdf-9323-42fd-ade2-1d097af3e4de";

/// `LINE: level LEVEL, default-recipients DEFAULTS, additional {"secops@contoso.com"}`
fn copying(line: &str, level: &str, defaults: &str) -> String {
    let additional = r#"additional {"secops@contoso.com"}"#;
    format!("{line}: level {level}, default-recipients {defaults}, {additional}")
}

/// A shipped rule set, compiled once.
fn shipped(name: &str) -> &'static DecisionTable {
    static TABLES: OnceLock<Vec<(String, DecisionTable)>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        ["entra-pim", "entra-pim-2018", "account-provisioning"]
            .into_iter()
            .map(|name| {
                let build = pimrules::pipeline::build(&[RuleSource::Shipped(name.to_owned())])
                    .expect("shipped rule sets load");
                assert!(build.diagnostics.is_empty(), "{:?}", build.diagnostics);
                (name.to_owned(), build.compiled[0].table.clone())
            })
            .collect()
    });
    &tables
        .iter()
        .find(|(n, _)| n == name)
        .expect("a shipped rule set")
        .1
}

/// A small rule set: a header, scope `entra-role`, an admin-row class `admin` and the `from
/// policy` class `additional`, then `body`.
fn rule_set(body: &str) -> DecisionTable {
    let header = r#"ruleset "small" version "1"
sender "PIM" <pim@contoso.com>
subject-prefix "PIM: "
max-recipients 10
scope entra-role "Entra roles"
recipient admin "Admin" row admin
recipient additional "Additional" from policy
"#;
    let build = pimrules::pipeline::build_text("small.pimrules", &format!("{header}{body}"));
    assert!(!build.has_errors(), "{:?}", build.diagnostics);
    build.compiled[0].table.clone()
}

/// The two events the baseline checks, `activation-completed` declared `critical` or not, an
/// assignee class, and `rules`.
fn events(activation_critical: &str, rules: &str) -> String {
    format!(
        r#"
recipient assignee "Assignee" row requestor
fact assignment: eligible | active = eligible
event role-assigned "Assigned"
  section by assignment {{ eligible -> eligible-assignment, active -> active-assignment }}
event activation-completed "Activated" {activation_critical}
  section activation
template role-assigned "Assigned"
template activation-completed "Activated"
{rules}
"#
    )
}

/// The settings of `text` (as `tenant.pimrules`), checked, and the sources their spans point into.
fn tenant(text: &str) -> (Sources, Vec<RoleSettings>) {
    let loaded = pimrules::load::load_text("tenant.pimrules", text);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let settings = loaded
        .programs
        .iter()
        .flat_map(|p| pimrules::check::check_settings(&loaded, p).expect("the settings check"))
        .collect();
    (loaded.sources, settings)
}

/// One role's settings block with the given lines.
fn role(name: &str, id: &str, lines: &[String]) -> String {
    let mut text = format!("settings \"{name}\" for entra-role {{\n  role-id \"{id}\"\n");
    text.push_str(&format!("  policy-id \"DirectoryRole_84a5_{id}\"\n"));
    for line in lines {
        text.push_str(&format!("  {line}\n"));
    }
    text.push_str("}\n");
    text
}

/// The lines with which a role alerts under entra-pim for every policy: CISA's instructions,
/// the admin rows ("Role assignment alert", "Role activation alert").
fn alerting() -> Vec<String> {
    [
        "eligible-assignment admin",
        "active-assignment admin",
        "activation admin",
    ]
    .iter()
    .map(|line| copying(line, "all", "on"))
    .collect()
}

/// Every highly privileged role with `lines`, except `replaced` (template id) with `instead`.
fn every_role(replaced: &str, instead: &[String]) -> String {
    scuba::ROLES
        .iter()
        .map(|r| {
            let lines = if r.template_id == replaced {
                instead.to_vec()
            } else {
                alerting()
            };
            role(r.name, r.template_id, &lines)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn run(table: &str, settings: &[RoleSettings]) -> Audit<'static> {
    audit::audit(shipped(table), &scuba::BASELINE, settings).expect("the rule set has the events")
}

fn result<'a>(audit: &'a Audit<'static>, policy: &str, role_id: &str) -> &'a PolicyResult<'static> {
    audit
        .results
        .iter()
        .find(|r| r.policy.id == policy && r.role.template_id == role_id)
        .unwrap_or_else(|| panic!("a result for {policy} and {role_id}"))
}

/// The line of a span in `tenant.pimrules`.
fn line_of(sources: &Sources, result: &PolicyResult) -> Option<usize> {
    let span = result.failures().next()?.span?;
    Some(sources.line_column(span.file, span.start).line)
}

#[test]
fn the_baseline_is_scubagears_three_policies_over_its_eight_roles() {
    let ids: Vec<&str> = scuba::POLICIES.iter().map(|p| p.id).collect();
    assert_eq!(ids, ["MS.AAD.7.7v1", "MS.AAD.7.8v1", "MS.AAD.7.9v1"]);
    let (_, settings) = tenant("");
    let audit = run("entra-pim", &settings);
    // 7.7 for all eight roles, 7.8 for Global Administrator, 7.9 for the seven others
    assert_eq!(audit.results.len(), 8 + 1 + 7);
    assert!(audit.results.iter().all(|r| !r.in_tenant && !r.passed()));
    assert_eq!(audit.failed(audit::Requirement::Shall), 9);
    assert_eq!(audit.failed(audit::Requirement::Should), 7);
}

#[test]
fn a_tenant_that_copies_every_alert_passes_everything() {
    let (_, settings) = tenant(&every_role("", &[]));
    let audit = run("entra-pim", &settings);
    assert_eq!(audit.passed(), 16, "{:#?}", audit.results);
    for result in &audit.results {
        assert!(result.in_tenant);
        for check in &result.checks {
            assert_eq!(check.addresses, ["secops@contoso.com"]);
        }
    }
}

#[test]
fn a_role_the_tenant_lacks_has_graphs_defaults_and_fails_unlocated() {
    let (_, settings) = tenant(&every_role(EXCHANGE_ADMINISTRATOR, &[]).replace(
        &role("Exchange Administrator", EXCHANGE_ADMINISTRATOR, &[]),
        "",
    ));
    assert_eq!(settings.len(), 7);
    let audit = run("entra-pim", &settings);
    let assignments = result(&audit, "MS.AAD.7.7v1", EXCHANGE_ADMINISTRATOR);
    assert!(!assignments.in_tenant && !assignments.passed());
    assert_eq!(assignments.role_name, "Exchange Administrator");
    let failures: Vec<_> = assignments.failures().collect();
    assert_eq!(failures.len(), 2);
    assert!(
        failures
            .iter()
            .all(|f| f.reason == Reason::NoAdditional && f.span.is_none())
    );
    let activation = result(&audit, "MS.AAD.7.9v1", EXCHANGE_ADMINISTRATOR);
    let failure = activation.failures().next().expect("a failure");
    assert_eq!(failure.setting(), "activation admin");
    assert_eq!(audit.passed(), 14);
}

#[test]
fn level_none_fails_even_with_additional_recipients() {
    // would pass if the audit looked at the recipients alone, as ScubaGear's Rego does
    let mut lines = alerting();
    lines[2] = copying("activation admin", "none", "on");
    let (sources, settings) = tenant(&every_role(GLOBAL_ADMINISTRATOR, &lines));
    let audit = run("entra-pim", &settings);
    let activation = result(&audit, "MS.AAD.7.8v1", GLOBAL_ADMINISTRATOR);
    assert!(!activation.passed());
    let failure = activation.failures().next().expect("a failure");
    assert_eq!(failure.reason, Reason::LevelNone);
    assert_eq!(
        (failure.section, failure.row),
        (PolicySection::Activation, PolicyRow::Admin)
    );
    // located at the stated line (the block starts at line 1; the activation admin line is 6)
    assert_eq!(line_of(&sources, activation), Some(6));
    assert_eq!(
        failure.fix(),
        Some(copying("activation admin", "all", "on"))
    );
    // a SHALL failure; nothing else fails
    assert_eq!(audit.failed(audit::Requirement::Shall), 1);
    assert_eq!(audit.passed(), 15);
}

#[test]
fn level_critical_fails_for_events_that_are_not_critical() {
    let mut lines = alerting();
    lines[2] = copying("activation admin", "critical", "on");
    lines[1] = copying("active-assignment admin", "critical", "off");
    let (_, settings) = tenant(&every_role(GLOBAL_ADMINISTRATOR, &lines));
    let audit = run("entra-pim", &settings);
    let activation = result(&audit, "MS.AAD.7.8v1", GLOBAL_ADMINISTRATOR);
    let failure = activation.failures().next().expect("a failure");
    assert_eq!(failure.reason, Reason::LevelCritical);
    assert!(
        failure
            .reason_text("entra-pim")
            .contains("activation-completed is not critical")
    );
    let assignments = result(&audit, "MS.AAD.7.7v1", GLOBAL_ADMINISTRATOR);
    let failures: Vec<_> = assignments.failures().collect();
    assert_eq!(failures.len(), 1, "only the active assignment fails");
    assert_eq!(
        (failures[0].section, failures[0].row, failures[0].reason),
        (
            PolicySection::ActiveAssignment,
            PolicyRow::Admin,
            Reason::LevelCritical
        )
    );
    assert_eq!(failures[0].current.level, Level::Critical);
    // the fix keeps the row's default recipients and addresses, and lifts the level
    assert_eq!(
        failures[0].fix(),
        Some(copying("active-assignment admin", "all", "off"))
    );
}

#[test]
fn level_critical_passes_an_event_the_rule_set_calls_critical() {
    // the level is compared with the event's criticality in the rule set, not assumed
    let table = &rule_set(&events(
        "critical",
        "rule admins { on role-assigned, activation-completed in entra-role notify admin }",
    ));
    let lines = [
        copying("eligible-assignment admin", "critical", "on"),
        copying("activation admin", "critical", "on"),
        copying("active-assignment admin", "all", "on"),
    ];
    let (_, settings) = tenant(&role("GA", GLOBAL_ADMINISTRATOR, &lines));
    let audit = audit::audit(table, &scuba::BASELINE, &settings).expect("the events exist");
    assert!(result(&audit, "MS.AAD.7.8v1", GLOBAL_ADMINISTRATOR).passed());
    let assignments = result(&audit, "MS.AAD.7.7v1", GLOBAL_ADMINISTRATOR);
    let failures: Vec<_> = assignments.failures().collect();
    assert_eq!(failures.len(), 1);
    assert_eq!(
        (failures[0].section, failures[0].row, failures[0].reason),
        (
            PolicySection::EligibleAssignment,
            PolicyRow::Admin,
            Reason::LevelCritical
        )
    );
}

#[test]
fn no_additional_recipients_fails_at_the_stated_line_or_the_block() {
    let lines = vec![
        "activation admin: level all, default-recipients on".to_owned(),
        copying("eligible-assignment admin", "all", "on"),
    ];
    let (sources, settings) = tenant(&role("GA", GLOBAL_ADMINISTRATOR, &lines));
    let audit = run("entra-pim", &settings);
    let activation = result(&audit, "MS.AAD.7.8v1", GLOBAL_ADMINISTRATOR);
    assert_eq!(
        activation.failures().next().map(|f| f.reason),
        Some(Reason::NoAdditional)
    );
    assert_eq!(line_of(&sources, activation), Some(4));
    // the active assignment line is not stated: located at the role's settings
    let assignments = result(&audit, "MS.AAD.7.7v1", GLOBAL_ADMINISTRATOR);
    assert_eq!(assignments.role_name, "GA");
    assert_eq!(line_of(&sources, assignments), Some(1));
    let failure = assignments.failures().next().expect("a failure");
    assert_eq!(failure.setting(), "active-assignment admin");
    assert_eq!(
        failure.fix().as_deref(),
        Some(r#"active-assignment admin: level all, default-recipients on, additional {"…"}"#)
    );
}

#[test]
fn the_rule_set_decides_which_row_can_alert() {
    // CISA's instructions: the admin rows copy the security mailbox. A rule set that sends
    // role-assigned to no admin-row class never lets those copies leave, and the audit names
    // the row that does receive it; entra-pim sends it to the administrators, so they leave.
    let table = &rule_set(&events(
        "",
        "rule assignee { on role-assigned in entra-role notify assignee }\n\
         rule admins { on activation-completed in entra-role notify admin }",
    ));
    let admin_rows: Vec<String> = ["eligible-assignment admin", "active-assignment admin"]
        .iter()
        .map(|l| copying(l, "all", "on"))
        .collect();
    let (_, settings) = tenant(&role("GA", GLOBAL_ADMINISTRATOR, &admin_rows));
    let audit = audit::audit(table, &scuba::BASELINE, &settings).expect("the events exist");
    let assignments = result(&audit, "MS.AAD.7.7v1", GLOBAL_ADMINISTRATOR);
    assert!(!assignments.passed());
    for failure in assignments.failures() {
        assert_eq!(failure.row, PolicyRow::Requestor);
        assert_eq!(failure.admin_uncopied, ["secops@contoso.com"]);
        assert!(
            failure
                .fix()
                .is_some_and(|fix| fix.contains("secops@contoso.com"))
        );
    }
    let shipped = run("entra-pim", &settings);
    assert!(result(&shipped, "MS.AAD.7.7v1", GLOBAL_ADMINISTRATOR).passed());
}

#[test]
fn roles_are_found_by_template_id_without_regard_to_case_among_entra_roles_only() {
    let (_, mut settings) = tenant(&role(
        "Company Admin",
        &GLOBAL_ADMINISTRATOR.to_uppercase(),
        &alerting(),
    ));
    let audit = run("entra-pim", &settings);
    let activation = result(&audit, "MS.AAD.7.8v1", GLOBAL_ADMINISTRATOR);
    assert!(activation.in_tenant && activation.passed());
    assert_eq!(activation.role_name, "Company Admin");
    // the same settings for a group's member role are not the directory role's
    settings[0].target = RoleTarget::Group { member: Some(true) };
    let audit = run("entra-pim", &settings);
    let activation = result(&audit, "MS.AAD.7.8v1", GLOBAL_ADMINISTRATOR);
    assert!(!activation.in_tenant && !activation.passed());
    assert_eq!(activation.role_name, "Global Administrator");
}

#[test]
fn a_rule_set_without_the_vocabulary_is_an_error() {
    let (_, settings) = tenant("");
    let error = audit::audit(shipped("account-provisioning"), &scuba::BASELINE, &settings)
        .expect_err("no `from policy` class");
    assert!(error.0.contains("from policy"), "{error}");
    let without_assignments = rule_set(
        r#"
event activation-completed "Activated"
  section activation
template activation-completed "Activated"
rule admins { on activation-completed in entra-role notify admin }
"#,
    );
    let error = audit::audit(&without_assignments, &scuba::BASELINE, &settings)
        .expect_err("no role-assigned");
    assert!(
        error.0.contains("event `role-assigned`") && error.0.contains("MS.AAD.7.7v1"),
        "{error}"
    );
}

#[test]
fn the_formats_report_each_failure_with_its_location() {
    let mut lines = alerting();
    lines[2] = "activation admin: level none, default-recipients on".to_owned();
    let (sources, settings) = tenant(&every_role(GLOBAL_ADMINISTRATOR, &lines));
    let audit = run("entra-pim", &settings);

    let text = report::text(&audit, &sources);
    let line = "FAIL  MS.AAD.7.8v1  SHALL   Global Administrator: activation admin has level \
                none — set `activation admin: level all, default-recipients on, additional \
                {\"…\"}` (tenant.pimrules:6:3)\n";
    assert!(text.contains(line), "{text}");
    assert!(text.contains("pass  MS.AAD.7.9v1  SHOULD  Privileged Role Administrator\n"));
    assert!(
        text.ends_with("15 passed, 1 failed, of which 1 SHALL\n"),
        "{text}"
    );

    let json: Value = serde_json::from_str(&report::json(&audit, &sources)).expect("JSON");
    assert_eq!(json["version"], 1);
    assert_eq!(json["baseline"], "scuba");
    let results = json["results"].as_array().expect("results");
    assert_eq!(results.len(), 16);
    let failed: Vec<&Value> = results.iter().filter(|r| r["result"] == "fail").collect();
    assert_eq!(failed.len(), 1);
    let failed = failed[0];
    assert_eq!(failed["policy"], "MS.AAD.7.8v1");
    assert_eq!(failed["requirement"], "SHALL");
    assert_eq!(
        failed["statement"],
        "User activation of the Global Administrator role SHALL trigger an alert."
    );
    assert_eq!(failed["role_id"], GLOBAL_ADMINISTRATOR);
    assert_eq!(failed["setting"], "activation admin");
    assert_eq!(failed["reason"], "level none");
    assert_eq!(
        failed["location"],
        serde_json::json!({"file": "tenant.pimrules", "line": 6, "column": 3})
    );
    assert_eq!(failed["checks"][0]["event"], "activation-completed");
    assert_eq!(failed["checks"][0]["alert"], false);
    let passed = &results[0];
    assert_eq!(passed["checks"][0]["facts"]["assignment"], "eligible");
    assert_eq!(passed["checks"][1]["facts"]["assignment"], "active");
    assert!(passed["location"].is_null() && passed["setting"].is_null());

    let sarif: Value = serde_json::from_str(&report::sarif(&audit, &sources)).expect("SARIF");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 3);
    assert_eq!(
        rules[0]["shortDescription"]["text"],
        "Eligible and active highly privileged role assignments SHALL trigger an alert."
    );
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "warning");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "MS.AAD.7.8v1");
    assert_eq!(results[0]["ruleIndex"], 1);
    assert_eq!(results[0]["level"], "error");
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (&region["startLine"], &region["startColumn"]),
        (&6.into(), &3.into())
    );
}
