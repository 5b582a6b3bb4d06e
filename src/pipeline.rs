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

/// [`build_allowing`], reading `files` (the disk, or a project held in memory).
pub fn build_on(
    files: std::sync::Arc<dyn crate::files::Files>,
    sources: &[RuleSource],
    allowed: &[PathBuf],
) -> Result<Build, LoadError> {
    Ok(build_loaded(load::load_on(files, sources, allowed)?))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::files::Memory;
    use std::sync::Arc;

    const ROOT: &str = "ruleset \"memory\" version \"1\"\nsender \"PIM\" <pim@contoso.com>\n\
                        subject-prefix \"PIM: \"\nmax-recipients 10\nuse \"vocabulary.pimrules\"\n\
                        rule r { on e in s notify c }\n";

    fn project(vocabulary: &str) -> Arc<Memory> {
        Arc::new(
            Memory::new()
                .with("/project/.git/HEAD", "")
                .with("/project/rules/main.pimrules", ROOT)
                .with("/project/rules/vocabulary.pimrules", vocabulary)
                .with("/secret.pimrules", "scope leaked \"L\"\n"),
        )
    }

    #[test]
    fn a_project_in_memory_follows_its_uses() {
        let files = project("scope s \"S\"\nrecipient c \"C\"\nevent e \"E\"\ntemplate e \"E\"\n");
        let build = build_on(files, &[RuleSource::Path("/project/rules".into())], &[]);
        let build = build.map_err(|e| e.0);
        assert_eq!(
            build.as_ref().map(|b| b.diagnostics.clone()),
            Ok(Vec::new())
        );
        let compiled = build.map(|b| b.compiled.len());
        assert_eq!(compiled, Ok(1));
    }

    #[test]
    fn a_project_in_memory_is_confined_too() {
        let files = project("use \"../../secret.pimrules\"\n");
        let build = build_on(
            files,
            &[RuleSource::Path("/project/rules/main.pimrules".into())],
            &[],
        );
        let codes: Vec<Code> = build
            .map(|b| b.diagnostics.iter().map(|d| d.code).collect())
            .unwrap_or_default();
        assert!(codes.contains(&Code::E013), "{codes:?}");
    }
}
