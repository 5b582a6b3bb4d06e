//! Budgeted cube subtraction, the one used by `lint`, `diff` and `table`: the part of a region
//! that a set of cubes leaves uncovered, within a work budget shared by a whole run.

use super::cube::{self, Cube};
use std::cell::Cell;
use std::cmp::Reverse;
use std::ops::ControlFlow;

/// Most disjoint pieces one answer may hold (the part one subtraction leaves uncovered, or what
/// `diff` keeps of one recipient class) before the question is given up.
pub const MAX_PIECES: usize = 100_000;

/// The work (cubes compared or made) every run may do, whatever its size: about 1.5 s.
pub const MAX_WORK: usize = 1 << 24;

/// The work a run may do in addition for each row of the decision tables it reads, so that a
/// large rule set that is quick to answer is answered whole (100 000 rules of `benches/scaling`
/// need about 2²⁸), while a small hostile one gives up within seconds.
pub const WORK_PER_ROW: usize = 1 << 10;

/// A question whose exact answer would need more than [`MAX_PIECES`] cubes, or more work than
/// was left of the run's [`Budget`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget;

/// A question a command gave up ([`OverBudget`]), named for its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GaveUp {
    /// what was being answered: `` `role-assigned` in `group` for `assignee` ``
    pub question: String,
    /// the run's whole budget, when it ran out (otherwise the answer needed more than
    /// [`MAX_PIECES`])
    pub work_ran_out: Option<usize>,
}

impl GaveUp {
    pub fn at(question: String, budget: &Budget) -> GaveUp {
        GaveUp {
            question,
            work_ran_out: budget.ran_out().then_some(budget.total),
        }
    }
}

impl std::fmt::Display for GaveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(total) = self.work_ran_out {
            write!(
                f,
                "the work budget ({total} cube operations) ran out at {}",
                self.question
            )
        } else {
            write!(f, "{} needs more than {MAX_PIECES} cubes", self.question)
        }
    }
}

/// What is left of one run's work (cubes compared or split); every subtraction takes from it.
#[derive(Debug)]
pub struct Budget {
    total: usize,
    left: Cell<usize>,
    ran_out: Cell<bool>,
}

impl Budget {
    pub fn new(work: usize) -> Budget {
        Budget {
            total: work,
            left: Cell::new(work),
            ran_out: Cell::new(false),
        }
    }

    /// The budget of a run that reads decision tables of `rows` rows in all: [`MAX_WORK`] and
    /// [`WORK_PER_ROW`] for each row.
    pub fn for_rows(rows: usize) -> Budget {
        Budget::new(MAX_WORK.saturating_add(WORK_PER_ROW.saturating_mul(rows)))
    }

    /// The whole budget, spent or not.
    pub fn total(&self) -> usize {
        self.total
    }

    /// The work not spent yet.
    pub fn left(&self) -> usize {
        self.left.get()
    }

    /// Whether some question found the budget spent (not merely too many pieces).
    pub fn ran_out(&self) -> bool {
        self.ran_out.get()
    }

    /// Take `amount` from the budget; when there is not that much left, nothing is left for
    /// later questions either.
    pub fn spend(&self, amount: usize) -> Result<(), OverBudget> {
        match self.left.get().checked_sub(amount) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => {
                self.left.set(0);
                self.ran_out.set(true);
                Err(OverBudget)
            }
        }
    }
}

/// The part of `region` outside every cube of `cover`, as disjoint cubes (at most
/// [`MAX_PIECES`]).
pub fn uncovered<'a>(
    region: &[Cube],
    cover: impl IntoIterator<Item = &'a Cube>,
    budget: &Budget,
) -> Result<Vec<Cube>, OverBudget> {
    let mut pieces = Vec::new();
    let mut too_many = false;
    subtract_all(region, cover, budget, |piece| {
        if pieces.len() == MAX_PIECES {
            too_many = true;
            return ControlFlow::Break(());
        }
        pieces.push(piece);
        ControlFlow::Continue(())
    })?;
    if too_many {
        return Err(OverBudget);
    }
    Ok(pieces)
}

/// Whether the cubes of `cover` together cover `region`: the subtraction stops at the first
/// piece it finds uncovered.
pub fn covers<'a>(
    cover: impl IntoIterator<Item = &'a Cube>,
    region: &[Cube],
    budget: &Budget,
) -> Result<bool, OverBudget> {
    let mut covered = true;
    subtract_all(region, cover, budget, |_| {
        covered = false;
        ControlFlow::Break(())
    })?;
    Ok(covered)
}

/// Subtract `cover` from `region`, handing each piece left uncovered to `found` until it says
/// stop. Only the cubes that meet the region are subtracted, largest first; each piece is cut
/// by the first of them it meets, and its pieces go on from the next one, depth first — so the
/// pieces come in the order a subtraction of one cube after the other would leave them, while
/// only the pieces still being cut are held. Each cube compared or made is taken from `budget`.
fn subtract_all<'a>(
    region: &[Cube],
    cover: impl IntoIterator<Item = &'a Cube>,
    budget: &Budget,
    mut found: impl FnMut(Cube) -> ControlFlow<()>,
) -> Result<(), OverBudget> {
    let mut cuts: Vec<&Cube> = Vec::new();
    for cut in cover {
        budget.spend(region.len())?;
        if region.iter().any(|r| r.overlaps(cut)) {
            cuts.push(cut);
        }
    }
    cuts.sort_by_cached_key(|c| Reverse(c.size()));
    // each piece still to cut, with the index of the first cut it has not been compared with
    let mut pending: Vec<(Cube, usize)> = region.iter().rev().map(|c| (c.clone(), 0)).collect();
    while let Some((piece, from)) = pending.pop() {
        let mut next = from;
        while let Some(cut) = cuts.get(next) {
            budget.spend(1)?;
            if piece.overlaps(cut) {
                break;
            }
            next += 1;
        }
        match cuts.get(next) {
            None => {
                if found(piece).is_break() {
                    return Ok(());
                }
            }
            Some(cut) => {
                let pieces = cube::subtract(&piece, cut);
                budget.spend(pieces.len())?;
                pending.extend(pieces.into_iter().rev().map(|p| (p, next + 1)));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cube(masks: [u64; 2]) -> Cube {
        Cube {
            masks: masks.into(),
        }
    }

    #[test]
    fn a_subtraction_gives_up_when_the_runs_work_is_spent() {
        let region = [cube([0b11, 0b1])];
        let cut = cube([0b01, 0b1]);
        let budget = Budget::new(10);
        let left = uncovered(&region, [&cut], &budget).expect("within budget");
        assert_eq!(left, [cube([0b10, 0b1])]);
        assert_eq!(budget.left(), 7, "two comparisons and one piece made");
        assert!(!budget.ran_out());
        let budget = Budget::new(1);
        assert_eq!(uncovered(&region, [&cut], &budget), Err(OverBudget));
        assert_eq!(budget.left(), 0, "nothing is left for later questions");
        assert!(budget.ran_out());
    }

    #[test]
    fn pieces_come_in_the_order_of_subtracting_one_cut_after_the_other() {
        let whole = cube([0b111, 0b111]);
        let cuts = [
            cube([0b001, 0b111]),
            cube([0b111, 0b001]),
            cube([0b010, 0b010]),
        ];
        let one_after_the_other = cuts.iter().fold(vec![whole.clone()], |pieces, cut| {
            pieces
                .iter()
                .flat_map(|piece| cube::subtract(piece, cut))
                .collect()
        });
        let budget = Budget::for_rows(0);
        let left = uncovered(std::slice::from_ref(&whole), &cuts, &budget);
        assert_eq!(left, Ok(one_after_the_other));
        assert_eq!(
            covers(&cuts, std::slice::from_ref(&whole), &budget),
            Ok(false)
        );
        let rest = [cube([0b110, 0b110])];
        assert_eq!(
            covers(cuts.iter().chain(&rest), &[whole], &budget),
            Ok(true)
        );
    }

    #[test]
    fn an_answer_of_more_than_the_most_pieces_is_given_up() {
        let budget = Budget::for_rows(0);
        let most = vec![cube([0b1, 0b1]); MAX_PIECES];
        assert_eq!(
            uncovered(&most, [], &budget).map(|p| p.len()),
            Ok(MAX_PIECES)
        );
        let more = vec![cube([0b1, 0b1]); MAX_PIECES + 1];
        assert_eq!(uncovered(&more, [], &budget), Err(OverBudget));
        assert!(!budget.ran_out(), "too many pieces, not too much work");
    }
}
