//! The front half of the pipeline in one call: load → parse → check → compile, for every rule
//! set of a run, keeping every diagnostic. The CLI, tests and benchmarks all start here.

use crate::check;
use crate::diagnostic::{Collected, Diagnostic};
use crate::load::{self, LoadError, Loaded, Program, RuleSource};
use crate::ruleset::RuleSet;
use crate::table::{self, DecisionTable};
use std::path::PathBuf;

/// One rule set, checked and compiled.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub program: Program,
    pub rule_set: RuleSet,
    pub table: DecisionTable,
}

/// Everything a run read and built.
pub struct Build {
    pub loaded: Loaded,
    /// the rule sets that compiled, in the order given
    pub compiled: Vec<Compiled>,
    /// every diagnostic of every stage, in order
    pub diagnostics: Vec<Diagnostic>,
}

impl Build {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Build the rule sets of the given sources (the default rule set when there are none).
pub fn build(sources: &[RuleSource]) -> Result<Build, LoadError> {
    build_allowing(sources, &[])
}

/// [`build`], with folders outside the project the rule sets may read from.
pub fn build_allowing(sources: &[RuleSource], allowed: &[PathBuf]) -> Result<Build, LoadError> {
    Ok(build_loaded(load::load_allowing(sources, allowed)?))
}

/// Build one rule set from text in memory.
pub fn build_text(name: &str, text: &str) -> Build {
    build_loaded(load::load_text(name, text))
}

fn build_loaded(mut loaded: Loaded) -> Build {
    let mut diagnostics: Collected = std::mem::take(&mut loaded.diagnostics)
        .into_iter()
        .collect();
    let mut compiled = Vec::new();
    for program in &loaded.programs {
        let syntax_broken = diagnostics.iter().any(|d| {
            d.is_error()
                && d.primary
                    .as_ref()
                    .is_some_and(|label| program.files.contains(&label.span.file))
        });
        if syntax_broken {
            // names declared in a broken item would be reported as unknown: stop at syntax
            continue;
        }
        match check::check_collected(&loaded, program) {
            Err(errors) => diagnostics.absorb(errors),
            Ok(rule_set) => match table::compile(&rule_set, &loaded.sources) {
                Ok(table) => compiled.push(Compiled {
                    program: program.clone(),
                    rule_set,
                    table,
                }),
                Err(errors) => diagnostics.extend(errors),
            },
        }
    }
    Build {
        loaded,
        compiled,
        diagnostics: diagnostics.into_vec(),
    }
}
