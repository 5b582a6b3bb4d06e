//! The `text` format: codespan-reporting diagnostics, as `check` prints them, with the witness
//! event in a note, and a closing count.

use super::{Emitter, summary};
use crate::analysis::Finding;
use crate::diagnostic::Severity;
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
        for finding in findings {
            let rich = to_codespan(finding, true, several);
            if term::emit_to_write_style(&mut buffer, &config, sources.codespan_files(), &rich)
                .is_err()
            {
                // a label outside its file: still say what was found, without the snippet
                let plain = to_codespan(finding, false, several);
                let _ = term::emit_to_write_style(
                    &mut buffer,
                    &config,
                    sources.codespan_files(),
                    &plain,
                );
            }
        }
        let mut text = String::from_utf8_lossy(buffer.as_slice()).into_owned();
        if let Some(summary) = summary(findings) {
            text.push_str(&format!("{summary} found\n"));
        }
        text
    }
}

fn to_codespan(finding: &Finding, with_labels: bool, name_rule_set: bool) -> cs::Diagnostic<usize> {
    let severity = match finding.level {
        Severity::Warning => cs::Severity::Warning,
        Severity::Error => cs::Severity::Error,
    };
    let mut labels = Vec::new();
    if with_labels {
        let primary = &finding.primary;
        labels.push(
            cs::Label::primary(primary.span.file.0, primary.span.range())
                .with_message(&primary.message),
        );
        labels.extend(finding.related.iter().map(|label| {
            cs::Label::secondary(label.span.file.0, label.span.range()).with_message(&label.message)
        }));
    }
    let mut notes: Vec<String> = finding
        .witness
        .iter()
        .map(|w| format!("witness: {}", w.text))
        .collect();
    if name_rule_set {
        notes.push(format!("in rule set `{}`", finding.rule_set));
    }
    cs::Diagnostic::new(severity)
        .with_code(finding.code.as_str())
        .with_message(&finding.message)
        .with_labels(labels)
        .with_notes(notes)
}
