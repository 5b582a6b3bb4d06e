//! `pimrules lint`: the analysis findings of each rule set, levels from `pimrules.toml` and
//! inline allows applied, in one of four formats; `--explain CODE` documents a code.

use super::build::{allowed_outside, build_rules};
use super::{Exit, RuleArgs, output};
use crate::analysis::config::{Allows, Config, ConfigError};
use crate::analysis::emit::{Emitter, GithubEmitter, JsonEmitter, SarifEmitter, TextEmitter};
use crate::analysis::{self, LintCode};
use crate::diagnostic::{ColorMode, Severity};
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
    /// Output format
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
    /// Exit 1 when a finding at or above this level is reported
    #[arg(long, value_enum, default_value_t = FailLevel::Error, value_name = "LEVEL")]
    pub fail_level: FailLevel,
    /// Print the documentation of a lint code (e.g. W003) and exit
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    Sarif,
    Github,
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
        return explain(code);
    }
    let run = || -> Result<Exit, Exit> {
        let build = build_rules(&args.rules.rules, &args.paths, color)?;
        let sources = &build.loaded.sources;
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
        let findings: Vec<_> = build
            .compiled
            .iter()
            .flat_map(|compiled| config.apply(analysis::lint(&build.loaded, compiled), &allows))
            .collect();
        let emitter: Box<dyn Emitter> = match args.format {
            LintFormat::Text => Box::new(TextEmitter {
                color: output::colors_stdout(color),
            }),
            LintFormat::Json => Box::new(JsonEmitter),
            LintFormat::Sarif => Box::new(SarifEmitter),
            LintFormat::Github => Box::new(GithubEmitter),
        };
        output::print(&emitter.emit(&findings, sources))?;
        let threshold = args.fail_level.threshold();
        Ok(if findings.iter().any(|f| f.level >= threshold) {
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

/// `--explain W003`: the code's title, default level and paragraph.
fn explain(code: &str) -> Exit {
    let Some(code) = LintCode::parse(code) else {
        let codes: Vec<&str> = LintCode::ALL.iter().map(|c| c.as_str()).collect();
        output::error(format_args!(
            "unknown lint code `{code}`; the codes are {}",
            codes.join(", ")
        ));
        return Exit::Usage;
    };
    let level = match code.default_level() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let text = format!(
        "{code} ({}): {}\ndefault level: {level}\n\n{}\n",
        code.name(),
        code.title(),
        code.explanation()
    );
    match output::print(&text) {
        Ok(()) => Exit::Success,
        Err(exit) => exit,
    }
}
