//! Running the `test` blocks of a rule set: each test's event is decided by the compiled table
//! (under the test's tenant policy, if any) and compared with its expectations.

use crate::eval::Evaluator;
use crate::eval::explain::{self, ClassExplanation};
use crate::load::Loaded;
use crate::ruleset::tenant::NotificationPolicy;
use crate::ruleset::{ClassId, Expectation, RuleSet, Test};
use crate::source::Span;
use crate::table::{ClassSet, DecisionTable};

/// The result of one test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestOutcome {
    pub name: String,
    pub span: Span,
    /// the failed expectations; empty when the test passed
    pub failures: Vec<Failure>,
    /// the classes notified
    pub actual: ClassSet,
    /// why each class of a failed expectation is or is not notified
    pub explanations: Vec<ClassExplanation>,
}

impl TestOutcome {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub span: Span,
    /// expected but not notified
    pub missing: Vec<ClassId>,
    /// notified but expected absent (or not in an `exactly` list)
    pub unexpected: Vec<ClassId>,
}

/// A test that could not run (its policy file could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestError {
    pub name: String,
    pub span: Span,
    pub message: String,
}

/// Where a test's `policy` file comes from: a loader that the caller provides (files are found
/// relative to the test's file), returning the policy or a message.
pub type PolicyLoader<'a> = dyn Fn(&Test) -> Result<Option<NotificationPolicy>, String> + 'a;

/// Run every test of a rule set against its compiled table.
pub fn run_tests(
    rule_set: &RuleSet,
    table: &DecisionTable,
    load_policy: &PolicyLoader,
) -> Vec<Result<TestOutcome, TestError>> {
    let evaluator = Evaluator::new(table);
    rule_set
        .tests
        .iter()
        .map(|test| {
            let policy = load_policy(test).map_err(|message| TestError {
                name: test.name.clone(),
                span: test.span,
                message,
            })?;
            Ok(run_test(&evaluator, test, policy.as_ref()))
        })
        .collect()
}

fn run_test(
    evaluator: &Evaluator,
    test: &Test,
    policy: Option<&NotificationPolicy>,
) -> TestOutcome {
    let decision = evaluator.evaluate(test.scope, test.event, &test.facts, policy);
    let actual = decision.classes();
    let failures: Vec<Failure> = test
        .expectations
        .iter()
        .filter_map(|(span, expectation)| {
            let (missing, unexpected): (Vec<ClassId>, Vec<ClassId>) = match expectation {
                Expectation::Present(classes) => (
                    classes
                        .iter()
                        .copied()
                        .filter(|c| !actual.contains(*c))
                        .collect(),
                    Vec::new(),
                ),
                Expectation::Absent(classes) => (
                    Vec::new(),
                    classes
                        .iter()
                        .copied()
                        .filter(|c| actual.contains(*c))
                        .collect(),
                ),
                Expectation::Exactly(classes) => {
                    let expected: ClassSet = classes.iter().copied().collect();
                    (
                        classes
                            .iter()
                            .copied()
                            .filter(|c| !actual.contains(*c))
                            .collect(),
                        actual.iter().filter(|c| !expected.contains(*c)).collect(),
                    )
                }
            };
            (!missing.is_empty() || !unexpected.is_empty()).then_some(Failure {
                span: *span,
                missing,
                unexpected,
            })
        })
        .collect();
    let involved: Vec<ClassId> = failures
        .iter()
        .flat_map(|f| f.missing.iter().chain(&f.unexpected).copied())
        .collect();
    let explanations = if involved.is_empty() {
        Vec::new()
    } else {
        explain::explain(evaluator.table(), &decision, &test.facts)
            .into_iter()
            .filter(|e| involved.contains(&e.class))
            .collect()
    };
    TestOutcome {
        name: test.name.clone(),
        span: test.span,
        failures,
        actual,
        explanations,
    }
}

/// A test's `policy "file.json"`, read relative to the file the test is in, inside the project.
pub fn test_policy(test: &Test, loaded: &Loaded) -> Result<Option<NotificationPolicy>, String> {
    let Some((path, span)) = &test.policy else {
        return Ok(None);
    };
    let Some(file) = loaded.named.get(&span.file) else {
        return Err(format!(
            "policy `{}`: only a rule file on disk can read policy files",
            path.escape_debug()
        ));
    };
    let base = file.parent().unwrap_or(std::path::Path::new(""));
    let (full, _) = loaded
        .confinement
        .resolve(base, path)
        .map_err(|refusal| format!("policy not read: {}", refusal.describe(path)))?;
    let text = loaded
        .confinement
        .read(&full, crate::load::MAX_FILE_BYTES)
        .map_err(|e| format!("cannot read policy `{}`: {e}", full.display()))?;
    NotificationPolicy::from_graph_json(&text)
        .map(Some)
        .map_err(|problem| {
            let at = problem.range.map(|range| {
                let line = text[..range.start.min(text.len())].matches('\n').count() + 1;
                format!(" (line {line})")
            });
            format!(
                "policy `{}`: {}{}",
                full.display(),
                problem.message,
                at.unwrap_or_default()
            )
        })
}
