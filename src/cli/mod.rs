//! The command line: clap definitions, dispatch to one module per command, exit codes.
//! Commands only wire library stages together; they never parse rules themselves.

mod audit;
mod build;
mod check;
mod diff;
mod eval;
mod fmt;
mod lint;
mod output;
mod plan;
mod policy;
mod render;
mod report;
mod simulate;
mod table;
mod temporary;
mod test;

use crate::diagnostic::ColorMode;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

/// How a run ended. `0` success, `1` findings, `2` usage or I/O error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// everything worked and nothing was found
    Success = 0,
    /// errors in rules, failing tests, an `--expect` mismatch, invalid input files
    Findings = 1,
    /// a bad command line, an unreadable file, a value that names nothing
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

const LONG_ABOUT: &str = "\
Notification rules as code for Microsoft Entra Privileged Identity Management (PIM).

A `.pimrules` file says who is emailed when a privileged-access event happens. pimrules checks \
such files, compiles them to a decision table, and answers \"who gets this email, and why?\".

Without --rules or paths, every command uses the embedded `entra-pim` rule set (the behaviour \
Microsoft documented on 2025-01-07). Shipped rule sets: entra-pim, entra-pim-2018, \
account-provisioning.

Exit codes: 0 success, 1 findings (errors in rules, an --expect mismatch, invalid input \
files), 2 usage or I/O error.";

#[derive(Parser, Debug)]
#[command(name = "pimrules", version, about = "Notification rules as code: who is emailed when a privileged-access event happens", long_about = LONG_ABOUT)]
pub struct Cli {
    /// When to colour diagnostics: `auto` colours a terminal unless NO_COLOR is set
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,

    /// A folder outside the project that rule sets may read files from (`use`, catalogues,
    /// test policies); repeatable. Without it, a rule set reads only inside the project: the
    /// folders of the paths given, or the nearest folders above them with `pimrules.toml` or
    /// `.git`
    #[arg(long = "allow-outside", global = true, value_name = "FOLDER")]
    pub allow_outside: Vec<std::path::PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

impl From<ColorArg> for ColorMode {
    fn from(arg: ColorArg) -> Self {
        match arg {
            ColorArg::Auto => ColorMode::Auto,
            ColorArg::Always => ColorMode::Always,
            ColorArg::Never => ColorMode::Never,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse, resolve and type-check rule files; print diagnostics, nothing on success
    Check(check::CheckArgs),
    /// Print the compiled decision table as versioned JSON
    Compile(check::CompileArgs),
    /// Print who gets which email, as in Microsoft's documentation
    Table(table::TableArgs),
    /// Which recipient classes one event notifies
    Eval(eval::EvalArgs),
    /// Why each recipient class is or is not notified of one event
    Explain(eval::ExplainArgs),
    /// Rewrite .pimrules files in the canonical layout (or --check that they are)
    Fmt(fmt::FmtArgs),
    /// Run the `test` blocks of rule sets; a summary line `N passed, M failed`
    Test(test::TestArgs),
    /// What changes, for whom and when, between two rule sets (files, folders or shipped names)
    Diff(diff::DiffArgs),
    /// Tenant notification settings: import a Graph or ARM export, export them as requests or
    /// Terraform
    Policy(policy::PolicyArgs),
    /// Who gains or loses which email if desired tenant settings replace the live ones, and the
    /// requests that make the change
    Plan(plan::PlanArgs),
    /// Check a tenant's PIM notification settings against a baseline (CISA SCuBA
    /// MS.AAD.7.7v1–7.9v1) by evaluating them with the rules; exit 1 when a SHALL policy fails
    Audit(audit::AuditArgs),
    /// Find dead, redundant and conflicting rules, gaps and unused declarations, with witnesses
    Lint(lint::LintArgs),
    /// The emails an event sends: recipients, localised subjects and bodies, MIME
    Render(render::RenderArgs),
    /// Replay a log of events over time: which emails are sent, and when (approval delay,
    /// expiry reminders, weekly digest, daily provisioning limit)
    #[command(after_long_help = simulate::AFTER_HELP)]
    Simulate(simulate::SimulateArgs),
}

/// Where rules come from: `--rules` (repeatable); the embedded default when none.
#[derive(Args, Debug, Clone, Default)]
pub struct RuleArgs {
    /// A .pimrules file, a folder of them, or a shipped rule set's name [default: entra-pim]
    #[arg(long = "rules", value_name = "PATH|NAME")]
    pub rules: Vec<String>,
}

/// Parse the command line and run the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Success.into()
            };
        }
    };
    let color = ColorMode::from(cli.color);
    build::allow_outside(cli.allow_outside.clone());
    let exit = match cli.command {
        Command::Check(args) => check::check(&args, color),
        Command::Compile(args) => check::compile(&args, color),
        Command::Table(args) => table::table(&args, color),
        Command::Eval(args) => eval::eval(&args, color),
        Command::Explain(args) => eval::explain(&args, color),
        Command::Fmt(args) => fmt::fmt(&args, color),
        Command::Test(args) => test::test(&args, color),
        Command::Diff(args) => diff::diff(&args, color),
        Command::Policy(args) => policy::policy(&args, color),
        Command::Plan(args) => plan::plan(&args, color),
        Command::Audit(args) => audit::audit(&args, color),
        Command::Lint(args) => lint::lint(&args, color),
        Command::Render(args) => render::render(&args, color),
        Command::Simulate(args) => simulate::simulate(&args, color),
    };
    exit.into()
}
