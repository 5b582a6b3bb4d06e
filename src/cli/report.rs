//! What `check` and `lint` share: `--format text|json|sarif|github` for their diagnostics
//! (errors and findings alike), the repository root SARIF names files from, and `--explain CODE`.

use super::{Exit, output};
use crate::diagnostic::emit::{
    Emitter, GithubEmitter, JsonEmitter, SarifEmitter, SourceRoot, TextEmitter,
};
use crate::diagnostic::{Code, ColorMode, Diagnostic};
use crate::source::Sources;
use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

/// Print errors in `format`: the text format on standard error, as every command prints them, the
/// others on standard output, as the format's whole output.
pub fn errors(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &Sources,
    color: ColorMode,
) -> Result<(), Exit> {
    match format {
        Format::Text => {
            output::diagnostics(diagnostics, sources, color);
            Ok(())
        }
        _ => print(format, diagnostics, sources, color),
    }
}

/// Print `diagnostics` in `format` on standard output (the text format coloured for a terminal).
pub fn print(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &Sources,
    color: ColorMode,
) -> Result<(), Exit> {
    let emitter: Box<dyn Emitter> = match format {
        Format::Text => Box::new(TextEmitter {
            color: output::colors_stdout(color),
        }),
        Format::Json => Box::new(JsonEmitter),
        Format::Sarif => Box::new(SarifEmitter {
            root: source_root(),
        }),
        Format::Github => Box::new(GithubEmitter),
    };
    output::print(&emitter.emit(diagnostics, sources))
}

/// The repository root: the nearest folder from the current one up with `.git` (a folder, or the
/// file of a worktree), else the current folder. `None` when the current folder is unknown.
fn source_root() -> Option<SourceRoot> {
    let current = std::env::current_dir().ok()?;
    let root = current
        .ancestors()
        .find(|folder| folder.join(".git").exists())
        .unwrap_or(&current)
        .to_path_buf();
    Some(SourceRoot { root, current })
}

/// `--explain CODE`: the registry's documentation of an error or lint code (or a lint code's name).
pub fn explain(code: &str) -> Exit {
    let Some(code) = Code::parse(code) else {
        let range = |codes: &mut dyn Iterator<Item = Code>| {
            let first = codes.next().map_or("", Code::as_str);
            format!("{first} to {}", codes.last().map_or(first, Code::as_str))
        };
        let (lints, errors): (Vec<Code>, Vec<Code>) =
            Code::ALL.into_iter().partition(|c| c.is_lint());
        output::error(format_args!(
            "unknown code `{code}`; the codes are {} and {}, or a lint code's name",
            range(&mut errors.into_iter()),
            range(&mut lints.into_iter())
        ));
        return Exit::Usage;
    };
    output::print(&code.explain())
        .err()
        .unwrap_or(Exit::Success)
}
