//! The locale's catalogues indexed as its bundle sees them: a node per message or term pattern,
//! its variables and resolved references, and a diagnostic for each reference to what is not there.

use super::super::Piece;
use super::walk::{Found, Pattern, walk};
use crate::diagnostic::{Code, Collected, Diagnostic};
use crate::source::Span;
use fluent_syntax::ast;
use std::collections::HashMap;
use std::ops::Range;

/// Where something is: a piece of the locale's catalogues and a byte range in its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct At {
    pub(super) piece: usize,
    pub(super) range: Range<usize>,
}

/// A pattern a reference can reach: the value or an attribute of a message or term.
pub(super) struct Node<'r> {
    pub(super) piece: usize,
    pub(super) term: bool,
    pub(super) id: &'r str,
    pub(super) attribute: Option<&'r str>,
    pub(super) pattern: &'r Pattern<'r>,
    /// the variables it writes out, and where
    pub(super) variables: Vec<(&'r str, At)>,
    /// the patterns it references, each with where and (a term's) the arguments passed
    pub(super) edges: Vec<(usize, At, Option<Vec<&'r str>>)>,
}

impl Node<'_> {
    /// How a catalogue names it: `welcome.summary`, `-brand`.
    pub(super) fn name(&self) -> String {
        let sigil = if self.term { "-" } else { "" };
        match self.attribute {
            Some(attribute) => format!("{sigil}{}.{attribute}", self.id),
            None => format!("{sigil}{}", self.id),
        }
    }
}

/// The check of one locale: its catalogues' patterns, indexed.
pub(super) struct Check<'r, 'f> {
    pub(super) locale: &'r str,
    pub(super) pieces: &'r [Piece],
    pub(super) nodes: Vec<Node<'r>>,
    /// per id, the entry the bundle uses: a message or a term
    pub(super) defined: HashMap<&'r str, &'r ast::Entry<&'r str>>,
    pub(super) index: HashMap<(bool, &'r str, Option<&'r str>), usize>,
    pub(super) locate: &'f mut dyn FnMut(usize, Range<usize>) -> Span,
    pub(super) found: &'f mut Collected,
    pub(super) suggestions: usize,
}

impl<'r> Check<'r, '_> {
    /// The entries as the bundle sees them, and a node per value and attribute of each.
    pub(super) fn index_patterns(&mut self) {
        let pieces = self.pieces;
        for piece in pieces {
            for entry in piece.resource.entries() {
                if let Some(id) = entry_id(entry) {
                    self.defined.insert(id, entry);
                }
            }
        }
        for (p, piece) in pieces.iter().enumerate() {
            for entry in piece.resource.entries() {
                let effective = entry_id(entry)
                    .and_then(|id| self.defined.get(id))
                    .is_some_and(|used| std::ptr::eq(*used, entry));
                if !effective {
                    continue;
                }
                let (term, id, value, attributes) = match entry {
                    ast::Entry::Message(m) => (false, m.id.name, m.value.as_ref(), &m.attributes),
                    ast::Entry::Term(t) => (true, t.id.name, Some(&t.value), &t.attributes),
                    _ => continue,
                };
                let patterns = value
                    .map(|v| (None, v))
                    .into_iter()
                    .chain(attributes.iter().map(|a| (Some(a.id.name), &a.value)));
                for (attribute, pattern) in patterns {
                    // of two attributes with one name, Fluent uses the first
                    let key = (term, id, attribute);
                    if self.index.contains_key(&key) {
                        continue;
                    }
                    self.index.insert(key, self.nodes.len());
                    self.nodes.push(Node {
                        piece: p,
                        term,
                        id,
                        attribute,
                        pattern,
                        variables: Vec::new(),
                        edges: Vec::new(),
                    });
                }
            }
        }
    }

    /// The pattern a reference to message or term (`term`) `id` (its `attribute`) reaches, or
    /// what is wrong with it and the help for that.
    pub(super) fn resolve(
        &self,
        term: bool,
        id: &str,
        attribute: Option<&str>,
    ) -> Result<usize, (String, String)> {
        let (kind, sigil) = if term { ("term", "-") } else { ("message", "") };
        let is_kind = |entry: &&ast::Entry<&str>| match entry {
            ast::Entry::Message(_) => !term,
            ast::Entry::Term(_) => term,
            _ => false,
        };
        if !self.defined.get(id).is_some_and(is_kind) {
            return Err((
                format!(
                    "{kind} `{sigil}{id}` is not defined in locale `{}`",
                    self.locale
                ),
                format!(
                    "define it in a catalogue of locale `{0}` (a shipped one, or one in \
                     `locales/{0}/` next to the rule set's root file), or fix the reference",
                    self.locale
                ),
            ));
        }
        self.index
            .get(&(term, id, attribute))
            .copied()
            .ok_or_else(|| match attribute {
                Some(attribute) => (
                    format!("{kind} `{sigil}{id}` has no attribute `{attribute}`"),
                    format!("add `.{attribute} = …` to `{sigil}{id}`, or fix the reference"),
                ),
                None => (
                    format!("message `{id}` has no value, only attributes"),
                    format!("give `{id}` a value, or reference one of its attributes"),
                ),
            })
    }

    /// Each pattern's variables and references; a diagnostic for each reference to what is
    /// not there and each function (the bundle has none).
    pub(super) fn summarise(&mut self) {
        for n in 0..self.nodes.len() {
            let (piece, pattern) = (self.nodes[n].piece, self.nodes[n].pattern);
            let source = self.pieces[piece].resource.source();
            let mut variables = Vec::new();
            let mut edges = Vec::new();
            let mut problems = Vec::new();
            walk(pattern, &mut |found| {
                let at = At {
                    piece,
                    range: found.range(source),
                };
                let resolved = found
                    .target()
                    .map(|(term, id, attribute)| self.resolve(term, id, attribute));
                match (found, resolved) {
                    (Found::Variable(name), _) => variables.push((name, at)),
                    (Found::Function(id), _) => problems.push((
                        at,
                        format!("unknown function `{id}`"),
                        "pimrules gives message catalogues no functions",
                        "write the value itself, or select on a variable: \
                         `{ $x -> [a] … *[b] … }`"
                            .to_owned(),
                    )),
                    (Found::Term { arguments, .. }, Some(Ok(target))) => {
                        edges.push((target, at, Some(arguments)));
                    }
                    (_, Some(Ok(target))) => edges.push((target, at, None)),
                    (_, resolved) => {
                        let (problem, help) = resolved.and_then(Result::err).unwrap_or_default();
                        problems.push((at, problem, "shown raw in the email", help));
                    }
                }
                0
            });
            let holder = self.nodes[n].name();
            for (at, message, label, help) in problems {
                let span = (self.locate)(at.piece, at.range);
                self.found.push(
                    Diagnostic::error(Code::E017, format!("{message} (in `{holder}`)"))
                        .at(span, label)
                        .help(help),
                );
            }
            self.nodes[n].variables = variables;
            self.nodes[n].edges = edges;
        }
    }
}

/// The id a message or term is defined by (a term's without its `-`).
fn entry_id<'r>(entry: &'r ast::Entry<&'r str>) -> Option<&'r str> {
    match entry {
        ast::Entry::Message(m) => Some(m.id.name),
        ast::Entry::Term(t) => Some(t.id.name),
        _ => None,
    }
}
