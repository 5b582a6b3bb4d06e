//! The reference check of one locale's catalogues (E017): every variable, message, term,
//! attribute and function a formatting can meet, cycles, and the placeables it resolves.
//!
//! Fluent shows a broken reference raw (`{$name}`, `{other-message}`) in the text it formats,
//! so this finds them all by walking the syntax tree — every variant of every select, not only
//! the one a formatting picks — as the locale's bundle sees it: the last definition of an id
//! wins, messages and terms alike. A message the renderer formats (see
//! [`variables`](crate::render::messages::variables)) may write only the variables it is given,
//! and so may the messages it references; a term only the arguments its reference passes. A
//! selector on a variable never set picks the default variant (`*[other]`), which is how one
//! wording serves rule sets without some fact, so it is not reported.

mod cycles;
mod index;
mod variables;
mod walk;

use super::Piece;
use crate::diagnostic::Collected;
use crate::render::messages::{Variable, variables};
use crate::ruleset::Vocabulary;
use crate::source::Span;
use cycles::MAX_PLACEABLES;
use index::Check;
use std::collections::HashMap;
use std::ops::Range;

/// Every reference problem of one locale's catalogues, as E017 diagnostics at the catalogue
/// entries that hold them; `locate` turns a piece and a range in its text into a span.
pub(super) fn check<'r>(
    locale: &'r str,
    pieces: &'r [Piece],
    vocabulary: &'r Vocabulary,
    locate: &mut dyn FnMut(usize, Range<usize>) -> Span,
    found: &mut Collected,
) {
    let mut check = Check {
        locale,
        pieces,
        nodes: Vec::new(),
        defined: HashMap::new(),
        index: HashMap::new(),
        locate,
        found,
        suggestions: 0,
    };
    check.index_patterns();
    check.summarise();
    let counts = check.cycles();
    let roots: Vec<(usize, Vec<Variable<'r>>)> = (0..check.nodes.len())
        .filter_map(|n| {
            let node = &check.nodes[n];
            let given = (!node.term).then(|| variables(vocabulary, node.id, node.attribute));
            given.flatten().map(|given| (n, given))
        })
        .collect();
    for (root, _) in &roots {
        if counts[*root] > MAX_PLACEABLES {
            check.too_many_placeables(*root);
        }
    }
    check.variables(vocabulary, &roots);
}
