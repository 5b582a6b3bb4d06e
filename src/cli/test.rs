//! `pimrules test`: run the `test` blocks of rule sets, print one line per test, the details of
//! each failure (expected vs. actual, and why), and a summary `N passed, M failed`.

use super::build::build_rules;
use super::eval::explanations_text;
use super::{Exit, RuleArgs, output};
use crate::diagnostic::ColorMode;
use crate::ruleset::{ClassId, Test};
use crate::source::Sources;
use crate::table::DecisionTable;
use crate::testing::{self, TestOutcome};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct TestArgs {
    /// .pimrules files or folders whose tests to run (as well as any --rules)
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
}

pub fn test(args: &TestArgs, color: ColorMode) -> Exit {
    let build = match build_rules(&args.rules.rules, &args.paths, color) {
        Ok(build) => build,
        Err(exit) => return exit,
    };
    let sources = &build.loaded.sources;
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut text = String::new();
    let mut details = String::new();
    for compiled in &build.compiled {
        let table = &compiled.table;
        let tests = &compiled.rule_set.tests;
        text.push_str(&format!(
            "running {} test{} of {} ({})\n",
            tests.len(),
            if tests.len() == 1 { "" } else { "s" },
            table.vocabulary.header.name,
            crate::neutral::file_name(sources.name(compiled.program.root))
        ));
        let settings = &compiled.rule_set.settings;
        let load_policy = |test: &Test| match test.role.and_then(|index| settings.get(index)) {
            Some(role) => Ok(Some(role.policy.clone())),
            None => testing::test_policy(test, &build.loaded),
        };
        for result in testing::run_tests(&compiled.rule_set, table, &load_policy) {
            match result {
                Ok(outcome) if outcome.passed() => {
                    passed += 1;
                    text.push_str(&format!("test {} ... ok\n", quoted(&outcome.name)));
                }
                Ok(outcome) => {
                    failed += 1;
                    text.push_str(&format!("test {} ... FAILED\n", quoted(&outcome.name)));
                    details.push_str(&failure_text(&outcome, table, sources));
                }
                Err(error) => {
                    failed += 1;
                    text.push_str(&format!("test {} ... FAILED\n", quoted(&error.name)));
                    details.push_str(&format!(
                        "\n--- {} ({})\n  {}\n",
                        quoted(&error.name),
                        sources.locate(error.span),
                        error.message
                    ));
                }
            }
        }
    }
    if !details.is_empty() {
        text.push_str("\nfailures:\n");
        text.push_str(&details);
        text.push('\n');
    }
    text.push_str(&format!("{passed} passed, {failed} failed\n"));
    if let Err(exit) = output::print_text(&text) {
        return exit;
    }
    if failed > 0 {
        Exit::Findings
    } else {
        Exit::Success
    }
}

fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

/// Expected vs. actual for each failed expectation, and why the classes involved are or are
/// not notified.
fn failure_text(outcome: &TestOutcome, table: &DecisionTable, sources: &Sources) -> String {
    let v = &table.vocabulary;
    let names = |classes: &[ClassId]| {
        classes
            .iter()
            .map(|c| v.class_name(*c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let actual: Vec<ClassId> = outcome.actual.iter().collect();
    let mut text = format!(
        "\n--- {} ({})\n",
        quoted(&outcome.name),
        sources.locate(outcome.span)
    );
    for failure in &outcome.failures {
        text.push_str(&format!(
            "  expectation at {}\n",
            sources.locate(failure.span)
        ));
        if !failure.missing.is_empty() {
            text.push_str(&format!("    missing:    {}\n", names(&failure.missing)));
        }
        if !failure.unexpected.is_empty() {
            text.push_str(&format!("    unexpected: {}\n", names(&failure.unexpected)));
        }
    }
    let notified = if actual.is_empty() {
        "nobody".to_owned()
    } else {
        names(&actual)
    };
    text.push_str(&format!("  notified: {notified}\n"));
    for line in explanations_text(table, &outcome.explanations).lines() {
        text.push_str(&format!("  {line}\n"));
    }
    text
}
