//! Lint's use of the cube algebra ([`crate::table::cover`]): the most rows of a cell it compares,
//! and one concrete fact combination inside a cube, for a witness.

use crate::ruleset::{FactId, FactValues, Vocabulary};
use crate::table::cube::Cube;

/// Most rows of one (scope, event) cell the analyses compare: the checks that compare a cell's
/// rows with each other (W002, W003) or subtract them all (W004, W007) leave a larger cell's
/// questions unanswered, so lint's time stays bounded whatever the table holds.
pub const MAX_CELL_ROWS: usize = 20_000;

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
