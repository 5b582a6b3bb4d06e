//! The `github` format: one GitHub Actions workflow command per diagnostic,
//! `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=W003::message`.

use super::{Emitter, Location, message_with_notes};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Sources;

pub struct GithubEmitter;

impl Emitter for GithubEmitter {
    fn emit(&self, diagnostics: &[Diagnostic], sources: &Sources) -> String {
        let mut out = String::new();
        for diagnostic in diagnostics {
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut properties = String::new();
            if let Some(primary) = &diagnostic.primary {
                let at = Location::of(primary.span, sources);
                properties = format!(
                    "file={},line={},col={},endLine={},endColumn={},",
                    escape_property(&at.file),
                    at.line,
                    at.column,
                    at.end_line,
                    at.end_column,
                );
            }
            out.push_str(&format!(
                "::{command} {properties}title={}::{}\n",
                escape_property(diagnostic.code.as_str()),
                escape_data(&message_with_notes(diagnostic)),
            ));
        }
        out
    }
}

/// The message of a workflow command: `%`, CR and LF escaped, and nothing a terminal would act
/// on (escape sequences, bidi marks) left as is.
fn escape_data(text: &str) -> String {
    crate::neutral::escape(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property of a workflow command: as data, and `:` and `,` too.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
