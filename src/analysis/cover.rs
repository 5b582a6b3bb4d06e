//! Cube algebra for the analyses: the part of a region that a set of cubes leaves uncovered
//! (cube subtraction within a work budget), and one concrete fact combination inside a cube.

use crate::ruleset::{FactId, FactValues, Vocabulary};
use crate::table::cube::{self, Cube};
use std::cell::Cell;
use std::cmp::Reverse;

/// Most disjoint pieces one subtraction may leave before the analysis gives the question up.
pub const MAX_PIECES: usize = 100_000;

/// Most work (cubes compared or split) all subtractions of one lint run may do together; past
/// it, the remaining questions are left unanswered, so no rule set makes lint run for hours.
pub const MAX_WORK: usize = 1 << 28;

/// Most rows of one (scope, event) cell the analyses compare: the checks that compare a cell's
/// rows with each other (W002, W003) or subtract them all (W004, W007) leave a larger cell's
/// questions unanswered, so lint's time stays bounded whatever the table holds.
pub const MAX_CELL_ROWS: usize = 20_000;

/// A question whose exact answer would need more than [`MAX_PIECES`] cubes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget;

/// Whether two cubes share a fact combination (without building their intersection).
pub fn overlap(a: &Cube, b: &Cube) -> bool {
    a.masks.iter().zip(b.masks.iter()).all(|(x, y)| x & y != 0)
}

/// The part of `region` outside every cube of `cover`, as disjoint cubes. Only the cubes that
/// meet the region are subtracted, largest first, and the work stops as soon as nothing is left.
/// Each cube compared or split is taken from `work`; when it runs out, the question is given up.
pub fn uncovered<'a>(
    region: &[Cube],
    cover: impl IntoIterator<Item = &'a Cube>,
    work: &Cell<usize>,
) -> Result<Vec<Cube>, OverBudget> {
    let spend = |amount: usize| match work.get().checked_sub(amount) {
        Some(left) => {
            work.set(left);
            Ok(())
        }
        None => {
            work.set(0);
            Err(OverBudget)
        }
    };
    let mut cuts: Vec<&Cube> = Vec::new();
    for cut in cover {
        spend(region.len())?;
        if region.iter().any(|r| overlap(r, cut)) {
            cuts.push(cut);
        }
    }
    cuts.sort_by_key(|c| Reverse(c.size()));
    let mut remaining = region.to_vec();
    for cut in cuts {
        if remaining.is_empty() {
            break;
        }
        spend(remaining.len())?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subtraction_gives_up_when_the_runs_work_is_spent() {
        let region = [Cube {
            masks: vec![0b11].into(),
        }];
        let cut = Cube {
            masks: vec![0b01].into(),
        };
        let work = Cell::new(10);
        let left = uncovered(&region, [&cut], &work).expect("within budget");
        assert_eq!(
            left,
            [Cube {
                masks: vec![0b10].into()
            }]
        );
        assert_eq!(work.get(), 8, "one comparison and one split");
        work.set(1);
        assert_eq!(uncovered(&region, [&cut], &work), Err(OverBudget));
        assert_eq!(work.get(), 0, "nothing is left for later questions");
    }
}
