//! Cycles of references among a locale's patterns, and formattings that resolve more
//! placeables than Fluent does: both found in one depth-first pass.

use super::index::{At, Check};
use super::walk::{offset, walk};
use crate::diagnostic::{Code, Diagnostic};

/// Most placeables Fluent resolves in one formatting: past them it stops, and the rest of the
/// text is lost (its guard against messages that expand exponentially).
pub(super) const MAX_PLACEABLES: u64 = 100;

impl Check<'_, '_> {
    /// A diagnostic for each cycle of references (Fluent shows the reference that closes one
    /// raw); returns, per pattern, the most placeables formatting it resolves.
    pub(super) fn cycles(&mut self) -> Vec<u64> {
        const NEW: usize = usize::MAX;
        const DONE: usize = usize::MAX - 1;
        // per node: NEW, DONE, or its position on the stack
        let mut state = vec![NEW; self.nodes.len()];
        let mut counts = vec![0u64; self.nodes.len()];
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for start in 0..self.nodes.len() {
            if state[start] != NEW {
                continue;
            }
            state[start] = 0;
            stack.push((start, 0));
            while let Some((node, next)) = stack.last().copied() {
                let Some((target, at, _)) = self.nodes[node].edges.get(next) else {
                    let count = self.count(node, &counts);
                    counts[node] = count;
                    state[node] = DONE;
                    stack.pop();
                    continue;
                };
                let (target, at) = (*target, at.clone());
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                match state[target] {
                    NEW => {
                        state[target] = stack.len();
                        stack.push((target, 0));
                    }
                    DONE => {}
                    position => {
                        let path = stack.get(position..).unwrap_or_default();
                        self.cycle(path, target, at);
                    }
                }
            }
        }
        counts
    }

    /// The most placeables formatting node `n` resolves, those of what it references counted.
    fn count(&self, n: usize, counts: &[u64]) -> u64 {
        walk(self.nodes[n].pattern, &mut |found| {
            found
                .target()
                .and_then(|(term, id, attribute)| self.resolve(term, id, attribute).ok())
                .map_or(0, |target| counts[target])
        })
    }

    /// The diagnostic for the reference at `at`, which closes the cycle `path` (the stack from
    /// `target` on) back to `target`.
    fn cycle(&mut self, path: &[(usize, usize)], target: usize, at: At) {
        const SHOWN: usize = 8;
        let mut names: Vec<String> = path
            .iter()
            .take(SHOWN)
            .map(|(n, _)| format!("`{}`", self.nodes[*n].name()))
            .collect();
        if path.len() > SHOWN {
            names.push(format!("… ({} more)", path.len() - SHOWN));
        }
        names.push(format!("`{}`", self.nodes[target].name()));
        let span = (self.locate)(at.piece, at.range);
        self.found.push(
            Diagnostic::error(
                Code::E017,
                format!("cyclic reference: {}", names.join(" → ")),
            )
            .at(span, "refers back: Fluent shows it raw")
            .help("a message cannot contain itself; word one of them without the reference"),
        );
    }

    /// The diagnostic for a message the renderer formats that resolves too many placeables.
    pub(super) fn too_many_placeables(&mut self, root: usize) {
        let node = &self.nodes[root];
        let source = self.pieces[node.piece].resource.source();
        let name = node.attribute.unwrap_or(node.id);
        let start = offset(source, name);
        let (piece, message) = (node.piece, node.name());
        let span = (self.locate)(piece, start..start + name.len());
        self.found.push(
            Diagnostic::error(
                Code::E017,
                format!("formatting `{message}` can resolve more than {MAX_PLACEABLES} placeables"),
            )
            .at(span, "Fluent stops at the limit and drops the rest")
            .help(
                "each reference counts the placeables of what it references, every time: \
                 reference shared messages fewer times",
            ),
        );
    }
}
