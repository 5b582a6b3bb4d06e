//! Condition cubes: a set of fact combinations written as one value mask per fact (a product
//! of value sets), and the conversion of conditions into a small union of cubes.

use crate::ruleset::{Condition, Fact, FactValues, Vocabulary};

/// The most cubes one condition may expand to before pimrules refuses it as too complex.
pub const MAX_CUBES_PER_CONDITION: usize = 4096;

/// Above this many cubes, [`simplify`] only removes duplicates.
const MERGE_LIMIT: usize = 256;

/// A product of value sets: the fact combinations where fact `f` takes a value in `masks[f]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cube {
    pub masks: Box<[u64]>,
}

impl Cube {
    /// Every fact combination.
    pub fn full(vocabulary: &Vocabulary) -> Cube {
        Cube {
            masks: vocabulary.facts.iter().map(|f| f.full_mask()).collect(),
        }
    }

    /// Whether the facts of an event lie in this cube.
    #[inline]
    pub fn contains(&self, facts: &FactValues) -> bool {
        self.masks.iter().zip(facts.0.iter()).all(|(mask, value)| {
            mask.checked_shr(u32::from(*value))
                .is_some_and(|m| m & 1 == 1)
        })
    }

    pub fn is_empty(&self) -> bool {
        self.masks.contains(&0)
    }

    /// Whether the two cubes share a fact combination (without building their intersection).
    pub fn overlaps(&self, other: &Cube) -> bool {
        self.masks
            .iter()
            .zip(other.masks.iter())
            .all(|(a, b)| a & b != 0)
    }

    pub fn intersect(&self, other: &Cube) -> Cube {
        Cube {
            masks: self
                .masks
                .iter()
                .zip(other.masks.iter())
                .map(|(a, b)| a & b)
                .collect(),
        }
    }

    /// Whether every combination of `self` is also in `other`.
    pub fn is_subset_of(&self, other: &Cube) -> bool {
        self.masks
            .iter()
            .zip(other.masks.iter())
            .all(|(a, b)| a & !b == 0)
    }

    /// Whether the fact's mask allows every value.
    pub fn is_free(&self, fact: usize, vocabulary: &Vocabulary) -> bool {
        vocabulary
            .facts
            .get(fact)
            .is_none_or(|f| self.masks.get(fact).is_none_or(|m| *m == f.full_mask()))
    }

    /// The facts the cube constrains, each with the names of the values it accepts.
    pub fn constraints<'v>(&self, vocabulary: &'v Vocabulary) -> Vec<(&'v Fact, Vec<&'v str>)> {
        vocabulary
            .facts
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.is_free(*i, vocabulary))
            .map(|(i, fact)| {
                let mask = self.masks.get(i).copied().unwrap_or(0);
                let values = (0..fact.values().len())
                    .filter(|v| mask >> v & 1 == 1)
                    .map(|v| fact.value_name(v))
                    .collect();
                (fact, values)
            })
            .collect()
    }

    /// The number of fact combinations in the cube.
    pub fn size(&self) -> u128 {
        self.masks
            .iter()
            .map(|m| u128::from(m.count_ones()))
            .product()
    }
}

/// A condition too complex to expand into at most [`MAX_CUBES_PER_CONDITION`] cubes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooComplex;

/// The cubes whose union is exactly the set of fact combinations where `condition` holds.
pub fn cubes_of(
    condition: Option<&Condition>,
    vocabulary: &Vocabulary,
) -> Result<Vec<Cube>, TooComplex> {
    match condition {
        None => Ok(vec![Cube::full(vocabulary)]),
        Some(condition) => expand(condition, false, vocabulary),
    }
}

/// Disjunctive normal form, pushing negations down to the atoms (where they are a complement).
fn expand(
    condition: &Condition,
    negated: bool,
    vocabulary: &Vocabulary,
) -> Result<Vec<Cube>, TooComplex> {
    match condition {
        Condition::Atom(atom) => {
            let Some(fact) = vocabulary.facts.get(atom.fact.0) else {
                return Ok(Vec::new());
            };
            let accepted = atom.accepted(fact);
            let mask = if negated {
                fact.full_mask() & !accepted
            } else {
                accepted
            };
            let mut cube = Cube::full(vocabulary);
            cube.masks[atom.fact.0] = mask;
            Ok(if mask == 0 { Vec::new() } else { vec![cube] })
        }
        Condition::Not(inner) => expand(inner, !negated, vocabulary),
        Condition::Any(parts) | Condition::All(parts) => {
            let is_union = matches!(condition, Condition::Any(_)) != negated;
            if is_union {
                let mut cubes = Vec::new();
                for part in parts {
                    cubes.extend(expand(part, negated, vocabulary)?);
                    if cubes.len() > MAX_CUBES_PER_CONDITION * 4 {
                        cubes = simplify(cubes);
                    }
                }
                let cubes = simplify(cubes);
                if cubes.len() > MAX_CUBES_PER_CONDITION {
                    return Err(TooComplex);
                }
                Ok(cubes)
            } else {
                let mut product = vec![Cube::full(vocabulary)];
                for part in parts {
                    let factor = expand(part, negated, vocabulary)?;
                    let mut next = Vec::with_capacity(product.len() * factor.len());
                    for a in &product {
                        for b in &factor {
                            let c = a.intersect(b);
                            if !c.is_empty() {
                                next.push(c);
                            }
                        }
                        if next.len() > MAX_CUBES_PER_CONDITION * 4 {
                            return Err(TooComplex);
                        }
                    }
                    product = simplify(next);
                    if product.len() > MAX_CUBES_PER_CONDITION {
                        return Err(TooComplex);
                    }
                }
                Ok(product)
            }
        }
    }
}

/// Remove empty, duplicate and contained cubes, and merge cubes that differ in one fact only.
/// Merging is quadratic per step, so beyond `MERGE_LIMIT` cubes only duplicates are removed.
pub fn simplify(mut cubes: Vec<Cube>) -> Vec<Cube> {
    cubes.retain(|c| !c.is_empty());
    if cubes.len() > MERGE_LIMIT {
        cubes.sort();
        cubes.dedup();
        return cubes;
    }
    loop {
        cubes.sort();
        cubes.dedup();
        let mut merged = false;
        'outer: for i in 0..cubes.len() {
            for j in (i + 1)..cubes.len() {
                if let Some(union) = merge(&cubes[i], &cubes[j]) {
                    cubes[i] = union;
                    cubes.swap_remove(j);
                    merged = true;
                    break 'outer;
                }
            }
        }
        if !merged {
            break;
        }
    }
    let all = cubes.clone();
    cubes.retain(|c| !all.iter().any(|other| other != c && c.is_subset_of(other)));
    cubes
}

/// Two cubes whose union is one cube: one contains the other, or they differ in one fact.
fn merge(a: &Cube, b: &Cube) -> Option<Cube> {
    if a.is_subset_of(b) {
        return Some(b.clone());
    }
    if b.is_subset_of(a) {
        return Some(a.clone());
    }
    let mut differing = a
        .masks
        .iter()
        .zip(b.masks.iter())
        .enumerate()
        .filter(|(_, (x, y))| x != y);
    let (index, _) = differing.next()?;
    if differing.next().is_some() {
        return None;
    }
    let mut union = a.clone();
    union.masks[index] |= b.masks[index];
    Some(union)
}

/// `a` minus `b`, as disjoint cubes (at most one per fact).
pub fn subtract(a: &Cube, b: &Cube) -> Vec<Cube> {
    if !a.overlaps(b) {
        return vec![a.clone()];
    }
    let mut rest = a.clone();
    let mut pieces = Vec::new();
    for fact in 0..rest.masks.len() {
        let outside = rest.masks[fact] & !b.masks[fact];
        if outside != 0 {
            let mut piece = rest.clone();
            piece.masks[fact] = outside;
            pieces.push(piece);
            rest.masks[fact] &= b.masks[fact];
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cubes over three facts of three values each.
    fn cube(masks: [u64; 3]) -> Cube {
        Cube {
            masks: masks.into(),
        }
    }

    fn size(cubes: &[Cube]) -> u128 {
        cubes.iter().map(Cube::size).sum()
    }

    #[test]
    fn subsets() {
        assert!(cube([0b001, 0b111, 0b011]).is_subset_of(&cube([0b011, 0b111, 0b111])));
        assert!(!cube([0b100, 0b111, 0b011]).is_subset_of(&cube([0b011, 0b111, 0b111])));
        assert!(cube([0b011, 0b111, 0b111]).is_subset_of(&cube([0b011, 0b111, 0b111])));
    }

    #[test]
    fn simplify_drops_contained_cubes_and_merges_neighbours() {
        let whole = cube([0b111, 0b111, 0b111]);
        assert_eq!(
            simplify(vec![cube([0b001, 0b010, 0b100]), whole.clone()]),
            vec![whole]
        );
        // differ in the first fact only: one cube
        assert_eq!(
            simplify(vec![
                cube([0b001, 0b011, 0b111]),
                cube([0b110, 0b011, 0b111])
            ]),
            vec![cube([0b111, 0b011, 0b111])]
        );
        // differ in two facts: both stay
        assert_eq!(
            simplify(vec![
                cube([0b001, 0b001, 0b111]),
                cube([0b010, 0b010, 0b111])
            ])
            .len(),
            2
        );
        assert!(simplify(vec![cube([0, 0b1, 0b1])]).is_empty());
    }

    #[test]
    fn subtraction_leaves_disjoint_pieces_of_the_right_size() {
        let whole = cube([0b111, 0b111, 0b111]);
        let hole = cube([0b010, 0b011, 0b100]);
        let pieces = subtract(&whole, &hole);
        assert_eq!(size(&pieces), 27 - 2);
        for (i, a) in pieces.iter().enumerate() {
            assert!(a.intersect(&hole).is_empty());
            for b in &pieces[i + 1..] {
                assert!(a.intersect(b).is_empty(), "pieces overlap");
            }
        }
        assert_eq!(
            subtract(&hole, &cube([0b101, 0b111, 0b111])),
            vec![hole.clone()]
        );
        assert!(subtract(&hole, &whole).is_empty());
    }
}
