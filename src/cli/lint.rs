//! `pimrules lint`: the analysis findings of each rule set, levels from `pimrules.toml` and
//! inline allows applied, in one of four formats (errors in the rules too); `--explain CODE`.

use super::build::{allowed_outside, build_unprinted};
use super::report::{self, Format};
use super::{Exit, RuleArgs, output};
use crate::analysis;
use crate::analysis::config::{Allows, Config, ConfigError};
use crate::diagnostic::{ColorMode, Diagnostic, Severity};
use crate::source::Origin;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct LintArgs {
    /// .pimrules files or folders to lint (as well as any --rules)
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Output format (errors in the rules too: `text` shows them on standard error)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 when a finding at or above this level is reported
    #[arg(long, value_enum, default_value_t = FailLevel::Error, value_name = "LEVEL")]
    pub fail_level: FailLevel,
    /// Print the documentation of a code (e.g. W003 or E004) and exit
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailLevel {
    Warning,
    Error,
}

impl FailLevel {
    fn threshold(self) -> Severity {
        match self {
            FailLevel::Warning => Severity::Warning,
            FailLevel::Error => Severity::Error,
        }
    }
}

pub fn lint(args: &LintArgs, color: ColorMode) -> Exit {
    if let Some(code) = &args.explain {
        return report::explain(code);
    }
    let run = || -> Result<Exit, Exit> {
        let build = build_unprinted(&args.rules.rules, &args.paths)?;
        let sources = &build.loaded.sources;
        if build.has_errors() {
            report::errors(args.format, &build.diagnostics, sources, color)?;
            return Ok(Exit::Findings);
        }
        let roots: Vec<PathBuf> = build
            .compiled
            .iter()
            .filter_map(|c| match sources.origin(c.program.root) {
                // as the user named it, so messages about the configuration read as typed
                Some(Origin::Disk(_)) => build.loaded.named.get(&c.program.root).cloned(),
                _ => None,
            })
            .collect();
        // relative, so that the file is named as the user would type it
        let config = Config::find(
            &build.loaded.confinement,
            Path::new("."),
            &roots,
            allowed_outside(),
        )
        .map_err(|e| {
            report_config_error(e, color);
            Exit::Usage
        })?;
        let allows = Allows::read(sources);
        let findings: Vec<Diagnostic> = build
            .compiled
            .iter()
            .flat_map(|compiled| config.apply(analysis::lint(&build.loaded, compiled), &allows))
            .map(Diagnostic::from)
            .collect();
        report::print(args.format, &findings, sources, color)?;
        let threshold = args.fail_level.threshold();
        Ok(if findings.iter().any(|f| f.severity >= threshold) {
            Exit::Findings
        } else {
            Exit::Success
        })
    };
    run().unwrap_or_else(|exit| exit)
}

/// A `pimrules.toml` that cannot be used: located in the file when it was read.
fn report_config_error(error: ConfigError, color: ColorMode) {
    match error {
        ConfigError::Unreadable(message) => output::error(message),
        ConfigError::Invalid {
            path,
            text,
            problem,
        } => output::located_error(path.display().to_string(), text, &problem, color),
    }
}
