//! The `text` format: codespan-reporting diagnostics, as `check` prints them, with the witness
//! event in a note, and a closing count.

use super::{Emitter, summary};
use crate::analysis::Finding;
use crate::diagnostic::{NeutralFiles, Severity};
use crate::neutral;
use crate::source::Sources;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::Buffer;

pub struct TextEmitter {
    pub color: bool,
}

impl Emitter for TextEmitter {
    fn emit(&self, findings: &[Finding], sources: &Sources) -> String {
        let mut buffer = if self.color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        };
        let config = term::Config::default();
        // several rule sets may share a library file: then say which rule set each finding is of
        let several = findings.iter().any(|f| f.rule_set != findings[0].rule_set);
        let spans = findings
            .iter()
            .flat_map(|f| std::iter::once(&f.primary).chain(&f.related))
            .map(|label| label.span);
        let files = NeutralFiles::of(spans, sources);
        for finding in findings {
            let rich = to_codespan(finding, Some(&files), several);
            if term::emit_to_write_style(&mut buffer, &config, files.files(), &rich).is_err() {
                // a label outside its file: still say what was found, without the snippet
                let plain = to_codespan(finding, None, several);
                let _ = term::emit_to_write_style(&mut buffer, &config, files.files(), &plain);
            }
        }
        let mut text = String::from_utf8_lossy(buffer.as_slice()).into_owned();
        if let Some(summary) = summary(findings) {
            text.push_str(&format!("{summary} found\n"));
        }
        text
    }
}

/// The finding for codespan, with its labels over `files` when given.
fn to_codespan(
    finding: &Finding,
    files: Option<&NeutralFiles>,
    name_rule_set: bool,
) -> cs::Diagnostic<usize> {
    let severity = match finding.level {
        Severity::Warning => cs::Severity::Warning,
        Severity::Error => cs::Severity::Error,
    };
    let mut labels = Vec::new();
    if let Some(files) = files {
        let primary = &finding.primary;
        labels.push(files.label(cs::LabelStyle::Primary, primary.span, &primary.message));
        labels.extend(
            finding
                .related
                .iter()
                .map(|label| files.label(cs::LabelStyle::Secondary, label.span, &label.message)),
        );
    }
    let mut notes: Vec<String> = finding
        .witness
        .iter()
        .map(|w| format!("witness: {}", neutral::escape(&w.text)))
        .collect();
    if name_rule_set {
        notes.push(format!(
            "in rule set `{}`",
            neutral::escape(&finding.rule_set)
        ));
    }
    cs::Diagnostic::new(severity)
        .with_code(finding.code.as_str())
        .with_message(neutral::escape(&finding.message))
        .with_labels(labels)
        .with_notes(notes)
}
