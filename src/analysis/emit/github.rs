//! The `github` format: one GitHub Actions workflow command per finding,
//! `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=W003::message`.

use super::{Emitter, Location};
use crate::analysis::Finding;
use crate::diagnostic::Severity;
use crate::source::Sources;

pub struct GithubEmitter;

impl Emitter for GithubEmitter {
    fn emit(&self, findings: &[Finding], sources: &Sources) -> String {
        let mut out = String::new();
        for finding in findings {
            let command = match finding.level {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let at = Location::of(finding.primary.span, sources);
            let mut message = finding.message.clone();
            if let Some(witness) = &finding.witness {
                message.push_str(&format!("\nwitness: {}", witness.text));
            }
            out.push_str(&format!(
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&at.file),
                at.line,
                at.column,
                at.end_line,
                at.end_column,
                escape_property(finding.code.as_str()),
                escape_data(&message),
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
