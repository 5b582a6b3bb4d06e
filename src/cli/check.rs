//! `pimrules check` (diagnostics only, silent on success) and `pimrules compile` (the decision
//! table as versioned JSON, to stdout or atomically to a file).

use super::build::{build_rules, single};
use super::{Exit, RuleArgs, output};
use crate::diagnostic::{ColorMode, Diagnostic};
use crate::render::locale::Catalogues;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// .pimrules files or folders to check (as well as any --rules)
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Args, Debug)]
pub struct CompileArgs {
    /// .pimrules files or folders of the rule set (as well as any --rules)
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Write the table to FILE (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Check the rules, then each rule set's message catalogues (E017).
pub fn check(args: &CheckArgs, color: ColorMode) -> Exit {
    let mut build = match build_rules(&args.rules.rules, &args.paths, color) {
        Ok(build) => build,
        Err(exit) => return exit,
    };
    let compiled = build.compiled.clone();
    let problems: Vec<Diagnostic> = compiled
        .iter()
        .flat_map(|c| Catalogues::load_checked(&mut build.loaded, c).1)
        .collect();
    output::diagnostics(&problems, &build.loaded.sources, color);
    if problems.iter().any(Diagnostic::is_error) {
        Exit::Findings
    } else {
        Exit::Success
    }
}

pub fn compile(args: &CompileArgs, color: ColorMode) -> Exit {
    let run = || -> Result<(), Exit> {
        let build = build_rules(&args.rules.rules, &args.paths, color)?;
        let compiled = single(&build)?;
        output::deliver(&compiled.table.to_json_text(), args.output.as_deref())
    };
    run().err().unwrap_or(Exit::Success)
}
