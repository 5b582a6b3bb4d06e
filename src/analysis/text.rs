//! W011: bidirectional controls and invisible characters in a rule set's source (Trojan
//! Source): text that reads differently from what the compiler sees, reported where it is.

use super::{Code, Context, Finding, Subject};
use crate::diagnostic::Label;
use crate::load::{Loaded, Program};
use crate::neutral;
use crate::source::Span;

/// Most characters reported per file; one more finding says how many more there are.
const MAX_PER_FILE: usize = 10;

pub(super) fn check(cx: &Context, loaded: &Loaded, program: &Program) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (file, module) in loaded.modules_of(program) {
        let text = loaded.sources.text(file);
        let found: Vec<(usize, char)> = text
            .char_indices()
            // a byte-order mark that starts the file is how some editors say UTF-8
            .filter(|(at, c)| {
                (neutral::is_bidi(*c) || neutral::is_invisible(*c))
                    && !(*at == 0 && *c == '\u{feff}')
            })
            .collect();
        for (at, c) in found.iter().take(MAX_PER_FILE) {
            let span = Span::new(file, *at..at + c.len_utf8());
            let what = if neutral::is_bidi(*c) {
                "bidirectional control"
            } else {
                "invisible character"
            };
            let mut finding = cx.finding(
                Code::W011,
                format!("{what} U+{:04X} in the source", *c as u32),
                Label {
                    span,
                    message: "the text may not read as it is".to_owned(),
                },
                Subject::Character { at: span },
            );
            finding.items = module
                .items
                .iter()
                .filter(|item| item.span.start <= *at && *at < item.span.end)
                .map(|item| item.span)
                .collect();
            findings.push(finding);
        }
        if let Some((at, _)) = found.get(MAX_PER_FILE) {
            let span = Span::new(file, *at..*at);
            findings.push(cx.finding(
                Code::W011,
                format!(
                    "{} more bidirectional controls or invisible characters in this file",
                    found.len() - MAX_PER_FILE
                ),
                Label {
                    span,
                    message: "the next one".to_owned(),
                },
                Subject::Character { at: span },
            ));
        }
    }
    findings
}
