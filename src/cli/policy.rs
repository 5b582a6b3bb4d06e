//! `pimrules policy import` (Graph JSON → a `.pimrules` settings file) and `pimrules policy
//! export` (settings → Graph policy JSON or Terraform `notification_rules` blocks).

use super::{Exit, output};
use crate::check;
use crate::diagnostic::{Code, ColorMode, Diagnostic};
use crate::load::{self, RuleSource};
use crate::policy;
use crate::source::{Origin, Sources, Span};
use clap::{Args, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Turn Microsoft Graph JSON (a rules response, an array of rules, or policies) into a
    /// .pimrules settings file; skipped rules are reported; nothing is written on error
    Import {
        /// The Graph JSON file (`-` for standard input)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Write the settings to OUT (atomically) instead of standard output
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Write the `settings` of .pimrules files as Graph policy JSON (the PATCH bodies of the
    /// nine notification rules of each role) or as Terraform `notification_rules` blocks
    Export {
        /// A .pimrules file or folder with `settings` blocks
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The target format
        #[arg(long, value_enum)]
        to: ExportFormat,
        /// Write to OUT (atomically) instead of standard output
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Graph,
    Terraform,
}

pub fn policy(args: &PolicyArgs, color: ColorMode) -> Exit {
    let result = match &args.command {
        PolicyCommand::Import { file, output } => import(file, output.as_deref(), color),
        PolicyCommand::Export { file, to, output } => export(file, *to, output.as_deref(), color),
    };
    result.err().unwrap_or(Exit::Success)
}

fn import(file: &Path, out: Option<&Path>, color: ColorMode) -> Result<(), Exit> {
    let text = read_input(file)?;
    let imported = policy::import_graph(&text).map_err(|problem| {
        let mut sources = Sources::new();
        let name = file.display().to_string();
        let id = sources.add(name.clone(), text.clone(), Origin::Memory(name));
        let mut diagnostic =
            Diagnostic::error(Code::E016, problem.message.clone()).with_help(problem.help.clone());
        if let Some(offset) = problem.offset {
            diagnostic = diagnostic.at(Span::new(id, offset..offset + problem.length), "here");
        }
        output::diagnostics(&[diagnostic], &sources, color);
        Exit::Findings
    })?;
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    output::deliver(&imported.text, out)
}

fn export(file: &Path, to: ExportFormat, out: Option<&Path>, color: ColorMode) -> Result<(), Exit> {
    let loaded = load::load(&[RuleSource::Path(file.to_path_buf())]).map_err(|e| {
        output::error(e);
        Exit::Usage
    })?;
    let mut diagnostics = loaded.diagnostics.clone();
    let mut settings = Vec::new();
    if diagnostics.iter().all(|d| !d.is_error()) {
        for program in &loaded.programs {
            match check::check_settings(&loaded, program) {
                Ok(found) => settings.extend(found),
                Err(errors) => diagnostics.extend(errors),
            }
        }
    }
    output::diagnostics(&diagnostics, &loaded.sources, color);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Exit::Findings);
    }
    if settings.is_empty() {
        output::error(format_args!("`{}` declares no `settings`", file.display()));
        return Err(Exit::Findings);
    }
    let text = match to {
        ExportFormat::Graph => {
            format!(
                "{}\n",
                serde_json::to_string_pretty(&policy::export_graph(&settings)).unwrap_or_default()
            )
        }
        ExportFormat::Terraform => {
            let (text, notes) = policy::export_terraform(&settings);
            for note in notes {
                eprintln!("note: {note}");
            }
            text
        }
    };
    output::deliver(&text, out)
}

fn read_input(file: &Path) -> Result<String, Exit> {
    use crate::bounded::{read_file_text, read_text};
    use crate::load::MAX_FILE_BYTES;
    let read = if file == Path::new("-") {
        read_text(std::io::stdin(), MAX_FILE_BYTES)
    } else {
        read_file_text(file, MAX_FILE_BYTES)
    };
    read.map_err(|e| {
        output::error(format_args!("cannot read `{}`: {e}", file.display()));
        Exit::Usage
    })
}
