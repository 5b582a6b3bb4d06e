//! `pimrules policy import` (a tenant's Graph or ARM document → a `.pimrules` settings file) and
//! `pimrules policy export` (settings → the requests that write them, or Terraform), and the
//! reading of tenant settings from either kind of file that `plan` and `audit` share.

use super::{Exit, output};
use crate::check;
use crate::diagnostic::{ColorMode, Diagnostic};
use crate::load::{self, RuleSource};
use crate::policy::{self, RoleNames};
use crate::ruleset::RoleSettings;
use crate::source::{Origin, Sources};
use clap::{Args, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Turn a tenant's Graph or ARM document (rules, policies or policy assignments with their
    /// rules) into a .pimrules settings file stating exactly its notification rules; nothing is
    /// written on error
    Import {
        /// The Graph or ARM JSON file (`-` for standard input)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Write the settings to OUT (atomically) instead of standard output
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        #[command(flatten)]
        names: NamesArgs,
    },
    /// Write the stated notification rules of .pimrules settings as the requests that set them
    /// (Graph PATCH per rule, ARM PATCH per Azure policy) or as Terraform
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

/// `--role-definitions FILE`: what names the roles of a tenant document.
#[derive(Args, Debug, Clone, Default)]
pub struct NamesArgs {
    /// A list of role definitions (`GET /roleManagement/directory/roleDefinitions`, Azure's role
    /// definitions list, or `GET /groups`) whose display names name the roles; repeatable.
    /// Without one, a role is named by its id
    #[arg(long = "role-definitions", value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// `{"version": 1, "requests": [{"method", "url", "role", "rules", "body"}]}`
    Graph,
    /// azuread, azurerm and msgraph resources
    Terraform,
}

pub fn policy(args: &PolicyArgs, color: ColorMode) -> Exit {
    let result = match &args.command {
        PolicyCommand::Import {
            file,
            output,
            names,
        } => import(file, output.as_deref(), names, color),
        PolicyCommand::Export { file, to, output } => export(file, *to, output.as_deref(), color),
    };
    result.err().unwrap_or(Exit::Success)
}

fn import(
    file: &Path,
    out: Option<&Path>,
    names: &NamesArgs,
    color: ColorMode,
) -> Result<(), Exit> {
    let names = read_names(names, color)?;
    let text = read_input(file)?;
    let imported = policy::import_tenant(&text, &names).map_err(|problem| {
        let mut sources = Sources::new();
        let id = document(&mut sources, file, text.clone());
        output::diagnostics(&[problem.diagnostic(id)], &sources, color);
        Exit::Findings
    })?;
    for note in &imported.notes {
        output::note(note);
    }
    output::deliver(&imported.text, out)
}

fn export(file: &Path, to: ExportFormat, out: Option<&Path>, color: ColorMode) -> Result<(), Exit> {
    let (sources, settings) = settings_file(file, color)?;
    if settings.is_empty() {
        output::error(format_args!("`{}` declares no `settings`", file.display()));
        return Err(Exit::Findings);
    }
    let failed = |errors: Vec<policy::ExportError>| {
        let diagnostics: Vec<Diagnostic> = errors.iter().map(|e| e.diagnostic()).collect();
        output::diagnostics(&diagnostics, &sources, color);
        Exit::Findings
    };
    let text = match to {
        ExportFormat::Graph => {
            let requests = policy::requests(&settings, &|_, _| true).map_err(failed)?;
            format!(
                "{}\n",
                serde_json::to_string_pretty(&policy::requests_json(&requests)).unwrap_or_default()
            )
        }
        ExportFormat::Terraform => {
            let (text, notes) = policy::export_terraform(&settings).map_err(failed)?;
            for note in notes {
                output::note(note);
            }
            text
        }
    };
    output::deliver(&text, out)
}

/// The `settings` of a `.pimrules` file or folder, checked; problems are reported.
pub(super) fn settings_file(
    file: &Path,
    color: ColorMode,
) -> Result<(Sources, Vec<RoleSettings>), Exit> {
    let sources = [RuleSource::Path(file.to_path_buf())];
    let loaded = load::load_allowing(&sources, super::build::allowed_outside()).map_err(|e| {
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
    Ok((loaded.sources, settings))
}

/// A tenant's settings from a Graph or ARM document (JSON) or a `.pimrules` settings file,
/// told apart by the first character that is not white space.
pub(super) fn tenant_settings(
    file: &Path,
    names: &NamesArgs,
    color: ColorMode,
) -> Result<(Sources, Vec<RoleSettings>), Exit> {
    if file.is_dir() {
        return settings_file(file, color);
    }
    let text = read_input(file)?;
    if !text.trim_start().starts_with(['{', '[']) {
        return settings_file(file, color);
    }
    let names = read_names(names, color)?;
    let mut sources = Sources::new();
    let id = document(&mut sources, file, text.clone());
    match policy::read_tenant(id, &text, &names) {
        Ok(tenant) => Ok((sources, tenant.roles)),
        Err(problem) => {
            output::diagnostics(&[problem.diagnostic(id)], &sources, color);
            Err(Exit::Findings)
        }
    }
}

fn read_names(args: &NamesArgs, color: ColorMode) -> Result<RoleNames, Exit> {
    let mut names = RoleNames::default();
    for file in &args.files {
        let text = read_input(file)?;
        match RoleNames::read(&text) {
            Ok(found) => names.extend(found),
            Err(problem) => {
                let mut sources = Sources::new();
                let id = document(&mut sources, file, text);
                output::diagnostics(&[problem.diagnostic(id)], &sources, color);
                return Err(Exit::Findings);
            }
        }
    }
    Ok(names)
}

fn document(sources: &mut Sources, file: &Path, text: String) -> crate::source::FileId {
    let name = file.display().to_string();
    sources.add(name.clone(), text, Origin::Memory(name))
}

fn read_input(file: &Path) -> Result<String, Exit> {
    use crate::bounded::read_text;
    use crate::files::Disk;
    use crate::load::MAX_FILE_BYTES;
    let read = if file == Path::new("-") {
        read_text(std::io::stdin(), MAX_FILE_BYTES)
    } else {
        Disk::read_text(file, MAX_FILE_BYTES)
    };
    // Windows PowerShell 5.1 writes UTF-8 with a byte-order mark; it is not part of the JSON
    read.map(|text| match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
    .map_err(|e| {
        output::error(format_args!("cannot read `{}`: {e}", file.display()));
        Exit::Usage
    })
}
