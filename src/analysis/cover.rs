//! Cube algebra for the analyses: the part of a region that a set of cubes leaves uncovered
//! (cube subtraction within a work budget), and one concrete fact combination inside a cube.

use crate::ruleset::{FactId, FactValues, Vocabulary};
use crate::table::cube::{self, Cube};
use std::cmp::Reverse;

/// Most disjoint pieces one subtraction may leave before the analysis gives the question up.
pub const MAX_PIECES: usize = 100_000;

/// A question whose exact answer would need more than [`MAX_PIECES`] cubes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget;

/// Whether two cubes share a fact combination (without building their intersection).
pub fn overlap(a: &Cube, b: &Cube) -> bool {
    a.masks.iter().zip(b.masks.iter()).all(|(x, y)| x & y != 0)
}

/// The part of `region` outside every cube of `cover`, as disjoint cubes. Only the cubes that
/// meet the region are subtracted, largest first, and the work stops as soon as nothing is left.
pub fn uncovered<'a>(
    region: &[Cube],
    cover: impl IntoIterator<Item = &'a Cube>,
) -> Result<Vec<Cube>, OverBudget> {
    let mut cuts: Vec<&Cube> = cover
        .into_iter()
        .filter(|c| region.iter().any(|r| overlap(r, c)))
        .collect();
    cuts.sort_by_key(|c| Reverse(c.size()));
    let mut remaining = region.to_vec();
    for cut in cuts {
        if remaining.is_empty() {
            break;
        }
        let mut next = Vec::with_capacity(remaining.len());
        for piece in &remaining {
            if overlap(piece, cut) {
                next.extend(cube::subtract(piece, cut));
            } else {
                next.push(piece.clone());
            }
        }
        if next.len() > MAX_PIECES {
            return Err(OverBudget);
        }
        remaining = next;
    }
    Ok(remaining)
}

/// The fact combination of `cube` nearest the declared defaults: each fact keeps its default
/// when the cube allows it, and takes the cube's first value otherwise.
pub fn nearest_default(cube: &Cube, vocabulary: &Vocabulary) -> FactValues {
    let mut facts = FactValues::defaults(vocabulary);
    for (index, fact) in vocabulary.facts.iter().enumerate() {
        let mask = cube.masks.get(index).copied().unwrap_or(0);
        if mask >> fact.default & 1 == 0 && mask != 0 {
            facts.set(FactId(index), mask.trailing_zeros() as usize);
        }
    }
    facts
}
