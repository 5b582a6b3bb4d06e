//! Shared by every command that reads rules: turn `--rules` and positional paths into a build,
//! print its diagnostics, and pick the one rule set a command such as `eval` needs.

use super::{Exit, output};
use crate::diagnostic::ColorMode;
use crate::load::RuleSource;
use crate::pipeline::{self, Build, Compiled};
use std::path::PathBuf;
use std::sync::OnceLock;

/// `--allow-outside`: folders outside the project the rule sets of this run may read from.
static ALLOWED_OUTSIDE: OnceLock<Vec<PathBuf>> = OnceLock::new();

/// Record `--allow-outside` for the run (the first call counts).
pub fn allow_outside(folders: Vec<PathBuf>) {
    let _ = ALLOWED_OUTSIDE.set(folders);
}

/// The folders outside the project this run may read rule-set files from.
pub fn allowed_outside() -> &'static [PathBuf] {
    ALLOWED_OUTSIDE.get().map_or(&[], Vec::as_slice)
}

/// Build the rule sets named by `--rules` and `paths`; diagnostics are printed on stderr.
/// Errors in the rules end the command with [`Exit::Findings`].
pub fn build_rules(rules: &[String], paths: &[PathBuf], color: ColorMode) -> Result<Build, Exit> {
    let build = build_unprinted(rules, paths)?;
    output::diagnostics(&build.diagnostics, &build.loaded.sources, color);
    if build.has_errors() {
        return Err(Exit::Findings);
    }
    Ok(build)
}

/// Build the rule sets named by `--rules` and `paths`, errors in the rules and all, for a command
/// that prints the diagnostics in a format of its own. A source that cannot be read is exit 2.
pub fn build_unprinted(rules: &[String], paths: &[PathBuf]) -> Result<Build, Exit> {
    let sources: Vec<RuleSource> = rules
        .iter()
        .map(|r| RuleSource::from_arg(r, &crate::files::Disk))
        .chain(paths.iter().map(|p| RuleSource::Path(p.clone())))
        .collect();
    pipeline::build_allowing(&sources, allowed_outside()).map_err(|e| {
        output::error(e);
        Exit::Usage
    })
}

/// The only rule set of a build; several are a usage error.
pub fn single(build: &Build) -> Result<&Compiled, Exit> {
    match build.compiled.as_slice() {
        [one] => Ok(one),
        [] => {
            output::error("no rule set was given");
            Err(Exit::Usage)
        }
        several => {
            let names: Vec<&str> = several
                .iter()
                .map(|c| c.table.vocabulary.header.name.as_str())
                .collect();
            output::error(format_args!(
                "{} rule sets were given ({}); choose one with --rules",
                several.len(),
                names.join(", ")
            ));
            Err(Exit::Usage)
        }
    }
}

/// Look up a name given on the command line; an unknown one is a usage error that lists or
/// suggests the valid names.
pub fn lookup<T>(
    kind: &str,
    name: &str,
    names: &[&str],
    make: impl Fn(usize) -> T,
) -> Result<T, Exit> {
    if let Some(index) = names.iter().position(|n| *n == name) {
        return Ok(make(index));
    }
    let hint = crate::diagnostic::did_you_mean(name, names.iter().copied())
        .unwrap_or_else(|| format!("the {kind}s are {}", crate::check::backticked_all(names)));
    output::error(format_args!("unknown {kind} `{name}`; {hint}"));
    Err(Exit::Usage)
}
