//! Checking the rule-set header: `ruleset`, `sender`, `subject-prefix` and `max-recipients`
//! each given exactly once, with a valid sender address and no control characters.

use super::Checker;
use crate::address;
use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::{Header, Sender};
use crate::source::Span;
use crate::syntax::ast::{self, Item, Spanned};

impl Checker {
    /// The header fields, each given once.
    pub(super) fn header(&mut self, items: &[&Spanned<Item>]) -> Option<Header> {
        let mut ruleset: Option<(&ast::RuleSetDecl, Span)> = None;
        let mut sender: Option<(&ast::SenderDecl, Span)> = None;
        let mut prefix: Option<(&Spanned<String>, Span)> = None;
        let mut cap: Option<(&Spanned<Option<u32>>, Span)> = None;
        for item in items {
            let (field, first) = match &item.node {
                Item::RuleSet(d) => ("ruleset", once(&mut ruleset, d, item.span)),
                Item::Sender(d) => ("sender", once(&mut sender, d, item.span)),
                Item::SubjectPrefix(d) => ("subject-prefix", once(&mut prefix, d, item.span)),
                Item::MaxRecipients(d) => ("max-recipients", once(&mut cap, d, item.span)),
                _ => continue,
            };
            if let Some(first) = first {
                self.report(
                    Diagnostic::error(Code::E005, format!("`{field}` is given twice"))
                        .at(item.span, "given again here")
                        .also(first, "first given here"),
                );
            }
        }
        let anchor = ruleset.map_or(self.root, |(_, span)| span);
        let mut missing = |field: &str, example: &str| {
            self.diagnostics.push(
                Diagnostic::error(Code::E008, format!("the rule set has no `{field}`"))
                    .at(anchor, format!("`{field}` missing"))
                    .help(format!("add `{example}`")),
            );
        };
        if ruleset.is_none() {
            missing("ruleset", "ruleset \"name\" version \"YYYY-MM-DD\"");
        }
        if sender.is_none() {
            missing("sender", "sender \"Display Name\" <noreply@example.com>");
        }
        if prefix.is_none() {
            missing("subject-prefix", "subject-prefix \"PIM: \"");
        }
        if cap.is_none() {
            missing(
                "max-recipients",
                "max-recipients 1000` or `max-recipients unlimited",
            );
        }
        let (ruleset, _) = ruleset?;
        let (sender, _) = sender?;
        let (prefix, _) = prefix?;
        let (cap, _) = cap?;
        if !address::is_valid(&sender.address.node) {
            self.report(
                Diagnostic::error(
                    Code::E010,
                    format!("invalid sender address `{}`", sender.address.node),
                )
                .at(sender.address.span, "not an email address")
                .help("write it as `local@domain.tld`"),
            );
        }
        if cap.node == Some(0) {
            self.report(
                Diagnostic::error(Code::E014, "`max-recipients` must be at least 1")
                    .at(cap.span, "no email could ever be sent"),
            );
        }
        if let Some(bad) =
            control_character(&sender.display_name.node).or_else(|| control_character(&prefix.node))
        {
            let span = if control_character(&sender.display_name.node).is_some() {
                sender.display_name.span
            } else {
                prefix.span
            };
            self.report(
                Diagnostic::error(
                    Code::E010,
                    format!("control character {bad:?} in a header field"),
                )
                .at(span, "would break the email's headers"),
            );
        }
        Some(Header {
            name: ruleset.name.node.clone(),
            version: ruleset.version.as_ref().map(|v| v.node.clone()),
            sender: Sender {
                display_name: sender.display_name.node.clone(),
                address: sender.address.node.clone(),
            },
            subject_prefix: prefix.node.clone(),
            max_recipients: cap.node,
        })
    }
}

/// Record the first occurrence of a header field; return the span of an earlier one.
fn once<'a, T>(slot: &mut Option<(&'a T, Span)>, value: &'a T, span: Span) -> Option<Span> {
    match slot {
        Some((_, first)) => Some(*first),
        None => {
            *slot = Some((value, span));
            None
        }
    }
}

fn control_character(text: &str) -> Option<char> {
    text.chars().find(|c| c.is_control())
}
