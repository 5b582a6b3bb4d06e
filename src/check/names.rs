//! Namespaces of declared names (one per kind: events, scopes, …) with duplicate detection
//! and "did you mean" suggestions for unknown names.

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::Name;
use std::collections::HashMap;

/// "a" or "an", for the kinds of names.
fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The declared names of one kind, in declaration order.
pub(super) struct Namespace {
    /// what a name of this kind is called in messages: "event", "recipient class"
    pub kind: &'static str,
    index: HashMap<String, usize>,
    pub spans: Vec<Span>,
    pub names: Vec<String>,
    /// how many suggestions were computed: each compares the name with every declared one
    suggested: std::cell::Cell<usize>,
}

/// Most "did you mean" suggestions one namespace computes: past them (when the diagnostics are
/// cut short anyway) unknown names get no suggestion, so that many unknown names against many
/// declared ones stay quick.
pub const MAX_SUGGESTIONS: usize = 2 * crate::diagnostic::MAX_PER_FILE_AND_CODE;

impl Namespace {
    pub fn new(kind: &'static str) -> Self {
        Namespace {
            kind,
            index: HashMap::new(),
            spans: Vec::new(),
            names: Vec::new(),
            suggested: std::cell::Cell::new(0),
        }
    }

    /// Add a name; a second declaration of it is an E005 diagnostic.
    pub fn declare(&mut self, name: &Name) -> Result<usize, Diagnostic> {
        if let Some(&first) = self.index.get(&name.node) {
            return Err(Diagnostic::error(
                Code::E005,
                format!("{} `{}` is declared twice", self.kind, name.node),
            )
            .at(name.span, "declared again here")
            .also(self.spans[first], "first declared here"));
        }
        let id = self.names.len();
        self.index.insert(name.node.clone(), id);
        self.spans.push(name.span);
        self.names.push(name.node.clone());
        Ok(id)
    }

    pub fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Resolve a name; an unknown one is an E004 diagnostic that suggests the closest name of
    /// this kind, or says which other kind the name belongs to.
    pub fn resolve(&self, name: &Name, others: &[&Namespace]) -> Result<usize, Diagnostic> {
        if let Some(id) = self.get(&name.node) {
            return Ok(id);
        }
        let diagnostic =
            Diagnostic::error(Code::E004, format!("unknown {} `{}`", self.kind, name.node))
                .at(name.span, format!("not a declared {}", self.kind));
        if let Some(other) = others.iter().find(|ns| ns.get(&name.node).is_some()) {
            return Err(diagnostic.help(format!(
                "`{}` is {} {}, not {} {}",
                name.node,
                article(other.kind),
                other.kind,
                article(self.kind),
                self.kind
            )));
        }
        Err(diagnostic.with_help(self.suggest(&name.node)))
    }

    /// "did you mean …?", or the list of names when there are few.
    pub fn suggest(&self, name: &str) -> Option<String> {
        if self.suggested.get() >= MAX_SUGGESTIONS {
            return None;
        }
        self.suggested.set(self.suggested.get() + 1);
        did_you_mean(name, self.names.iter().map(String::as_str)).or_else(|| {
            match self.names.len() {
                0 => Some(format!("no {} is declared", self.kind)),
                1..=8 => Some(format!("declared: {}", self.names.join(", "))),
                _ => None,
            }
        })
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }
}
