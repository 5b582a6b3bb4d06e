//! The checker's state: a namespace per kind of declared name, the facts checked so far and
//! the diagnostics collected, with the helpers every part of the check reports through.

use super::names::Namespace;
use crate::diagnostic::{Code, Collected, Diagnostic};
use crate::ruleset::Fact;
use crate::source::Span;

pub(super) struct Checker {
    pub(super) diagnostics: Collected,
    pub(super) scopes: Namespace,
    pub(super) classes: Namespace,
    pub(super) events: Namespace,
    pub(super) fact_names: Namespace,
    pub(super) templates: Namespace,
    pub(super) settings_names: Namespace,
    pub(super) facts: Vec<Fact>,
    /// where to point when something is missing from the whole rule set
    pub(super) root: Span,
}

impl Checker {
    pub(super) fn new(root: Span) -> Self {
        Checker {
            diagnostics: Collected::default(),
            scopes: Namespace::new("scope"),
            classes: Namespace::new("recipient class"),
            events: Namespace::new("event"),
            fact_names: Namespace::new("fact"),
            templates: Namespace::new("template"),
            settings_names: Namespace::new("role"),
            facts: Vec::new(),
            root,
        }
    }

    pub(super) fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub(super) fn report_err<T>(&mut self, result: Result<T, Diagnostic>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(diagnostic) => {
                self.report(diagnostic);
                None
            }
        }
    }

    /// An option, field or clause given twice in one declaration is a `code` diagnostic: E009
    /// for a clause of a rule or test, E005 for anything else.
    pub(super) fn once_per_declaration(
        &mut self,
        code: Code,
        seen: &mut Vec<(&'static str, Span)>,
        word: &'static str,
        span: Span,
    ) {
        if let Some((_, first)) = seen.iter().find(|(w, _)| *w == word) {
            let first = *first;
            self.report(
                Diagnostic::error(code, format!("`{word}` is given twice"))
                    .at(span, "given again here")
                    .also(first, "first given here"),
            );
        } else {
            seen.push((word, span));
        }
    }
}
