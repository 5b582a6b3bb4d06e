//! Output formats of `pimrules lint`, one [`Emitter`] per format (as ruff does): rich text,
//! versioned JSON, SARIF 2.1.0 and GitHub Actions workflow commands.

mod github;
mod json;
pub mod sarif;
mod text;

use super::Finding;
use crate::diagnostic::Severity;
use crate::source::{Sources, Span};
pub use github::GithubEmitter;
pub use json::JsonEmitter;
pub use sarif::SarifEmitter;
pub use text::TextEmitter;

/// Turns a run's findings into the text of one output format.
pub trait Emitter {
    fn emit(&self, findings: &[Finding], sources: &Sources) -> String;
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

/// `2 errors, 1 warning`: the closing line of the text format.
pub fn summary(findings: &[Finding]) -> Option<String> {
    let errors = findings
        .iter()
        .filter(|f| f.level == Severity::Error)
        .count();
    crate::diagnostic::count_summary(errors, findings.len() - errors)
}
