//! `pimrules check` (diagnostics only, silent on success) and `pimrules compile` (the decision
//! table as versioned JSON, to stdout or atomically to a file).

use super::build::{build_rules, build_unprinted, single};
use super::report::{self, Format};
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
    /// Output format: `text` on standard error, the others on standard output
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print the documentation of a code (e.g. E004 or W003) and exit
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
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

/// Check the rules, then, when they have no errors, each rule set's message catalogues (E017).
pub fn check(args: &CheckArgs, color: ColorMode) -> Exit {
    if let Some(code) = &args.explain {
        return report::explain(code);
    }
    let mut build = match build_unprinted(&args.rules.rules, &args.paths) {
        Ok(build) => build,
        Err(exit) => return exit,
    };
    let mut problems = build.diagnostics.clone();
    if !build.has_errors() {
        let compiled = build.compiled.clone();
        problems.extend(
            compiled
                .iter()
                .flat_map(|c| Catalogues::load_checked(&mut build.loaded, c).1),
        );
    }
    if let Err(exit) = report::errors(args.format, &problems, &build.loaded.sources, color) {
        return exit;
    }
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
