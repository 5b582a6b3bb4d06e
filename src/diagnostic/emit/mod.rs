//! Output formats of diagnostics, one [`Emitter`] per format (as ruff does): rich text,
//! versioned JSON, SARIF 2.1.0 and GitHub Actions workflow commands. `check` and `lint` use them all.

mod github;
mod json;
pub mod sarif;
mod text;

use super::Diagnostic;
use crate::source::{Sources, Span};
pub use github::GithubEmitter;
pub use json::JsonEmitter;
pub use sarif::{SarifEmitter, SourceRoot};
pub use text::TextEmitter;

/// Turns a run's diagnostics (errors and findings alike) into the text of one output format.
pub trait Emitter {
    fn emit(&self, diagnostics: &[Diagnostic], sources: &Sources) -> String;
}

/// A span as 1-based lines and columns (columns in characters), for the machine formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Location {
    pub fn of(span: Span, sources: &Sources) -> Location {
        let start = sources.line_column(span.file, span.start);
        let end = sources.line_column(span.file, span.end.max(span.start));
        Location {
            file: sources.name(span.file).to_owned(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

/// The message of a diagnostic for a format without notes: each help and its witness on a line
/// of their own.
fn message_with_notes(diagnostic: &Diagnostic) -> String {
    let mut message = diagnostic.message.clone();
    for help in &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    if let Some(witness) = diagnostic.witness() {
        message.push_str(&format!("\nwitness: {}", witness.text));
    }
    message
}
