//! Table stage: a checked [`RuleSet`] → its [`DecisionTable`]: for every (scope, event), the
//! rows of condition cubes that send recipient classes, each with its rule and template.

pub mod cover;
pub mod cube;
mod json;

use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::*;
pub use cube::Cube;
pub use json::FORMAT;

/// A set of recipient classes (at most [`MAX_RECIPIENT_CLASSES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct ClassSet(pub u128);

impl ClassSet {
    pub fn insert(&mut self, class: ClassId) {
        self.0 |= 1u128 << class.0;
    }

    pub fn contains(&self, class: ClassId) -> bool {
        u32::try_from(class.0)
            .ok()
            .and_then(|shift| self.0.checked_shr(shift))
            .is_some_and(|bits| bits & 1 == 1)
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The classes in declaration order (one step per class in the set, not per possible class).
    pub fn iter(&self) -> impl Iterator<Item = ClassId> + '_ {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let class = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(ClassId(class))
        })
    }
}

impl FromIterator<ClassId> for ClassSet {
    fn from_iter<I: IntoIterator<Item = ClassId>>(iter: I) -> Self {
        let mut set = ClassSet::default();
        for class in iter {
            set.insert(class);
        }
        set
    }
}

/// The compiled form of a rule set: what `eval`, `render` and the analyses read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionTable {
    pub vocabulary: Vocabulary,
    pub rules: Vec<RuleEntry>,
    /// one cell per (scope, event): `cells[scope * events + event]`
    pub cells: Vec<Cell>,
    /// the tenant settings declared with the rules, one per role
    pub settings: Vec<RoleSettings>,
}

/// What the table keeps of a rule: its name, location and condition (for explanations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleEntry {
    pub name: String,
    /// `file:line:col` of the rule
    pub location: String,
    pub condition: Option<Condition>,
}

/// The rows for one (scope, event), in rule order. Hit policy: collect.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    pub rows: Vec<TableRow>,
}

/// When the facts lie in `cube`, `rule` sends `classes` with `template`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub cube: Cube,
    pub classes: ClassSet,
    pub rule: RuleId,
    pub template: TemplateId,
}

impl DecisionTable {
    pub fn cell(&self, scope: ScopeId, event: EventId) -> &Cell {
        static EMPTY: Cell = Cell { rows: Vec::new() };
        self.cells
            .get(scope.0 * self.vocabulary.events.len() + event.0)
            .unwrap_or(&EMPTY)
    }

    /// Every (scope, event) pair with its cell, scope-major.
    /// The rows of all cells.
    pub fn rows(&self) -> usize {
        self.cells.iter().map(|cell| cell.rows.len()).sum()
    }

    pub fn cells(&self) -> impl Iterator<Item = (ScopeId, EventId, &Cell)> {
        let events = self.vocabulary.events.len().max(1);
        self.cells
            .iter()
            .enumerate()
            .map(move |(i, cell)| (ScopeId(i / events), EventId(i % events), cell))
    }

    pub fn is_critical(&self, event: EventId) -> bool {
        self.vocabulary
            .events
            .get(event.0)
            .is_some_and(|e| e.critical)
    }

    /// The settings a role name or id refers to.
    pub fn role_settings(&self, key: &str) -> Option<&RoleSettings> {
        self.settings.iter().find(|s| s.answers_to(key))
    }

    pub fn rule_name(&self, rule: RuleId) -> &str {
        self.rules.get(rule.0).map_or("?", |r| r.name.as_str())
    }
}

/// Most rows a decision table may have: a rule has one row per scope, event and cube of its
/// condition.
pub const MAX_TABLE_ROWS: usize = 1 << 22;

/// Compile a checked rule set. Fails only when a condition expands to too many cubes, or the
/// table would have more than [`MAX_TABLE_ROWS`] rows.
pub fn compile(
    rule_set: &RuleSet,
    sources: &crate::source::Sources,
) -> Result<DecisionTable, Vec<Diagnostic>> {
    let vocabulary = &rule_set.vocabulary;
    let events = vocabulary.events.len();
    let mut cells = vec![Cell::default(); vocabulary.scopes.len() * events];
    let mut diagnostics = Vec::new();
    let mut rows = 0usize;
    for (index, rule) in rule_set.rules.iter().enumerate() {
        let cubes = match cube::cubes_of(rule.condition.as_ref(), vocabulary) {
            Ok(cubes) => cubes,
            Err(cube::TooComplex) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::E014,
                        format!("the condition of rule `{}` is too complex", rule.name),
                    )
                    .at(
                        rule.condition_span,
                        format!(
                            "expands to more than {} cases",
                            cube::MAX_CUBES_PER_CONDITION
                        ),
                    )
                    .help("split the rule into several rules, one per case"),
                );
                continue;
            }
        };
        rows = rows.saturating_add(
            cubes
                .len()
                .saturating_mul(rule.scopes.len())
                .saturating_mul(rule.events.len()),
        );
        if rows > MAX_TABLE_ROWS {
            diagnostics.push(
                Diagnostic::error(
                    Code::E014,
                    format!("the decision table has more than {MAX_TABLE_ROWS} rows"),
                )
                .at(rule.span, "the table is full at this rule")
                .help(
                    "a rule has a row per scope, event and case of its condition: \
                     split the rule set or simplify its conditions",
                ),
            );
            break;
        }
        let classes: ClassSet = rule.notify.iter().copied().collect();
        for scope in &rule.scopes {
            for (event, template) in rule.events.iter().zip(&rule.templates) {
                let Some(cell) = cells.get_mut(scope.0 * events + event.0) else {
                    continue;
                };
                for cube in &cubes {
                    cell.rows.push(TableRow {
                        cube: cube.clone(),
                        classes,
                        rule: RuleId(index),
                        template: *template,
                    });
                }
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(DecisionTable {
        vocabulary: vocabulary.clone(),
        rules: rule_set
            .rules
            .iter()
            .map(|rule| RuleEntry {
                name: rule.name.clone(),
                location: sources.locate(rule.span),
                condition: rule.condition.clone(),
            })
            .collect(),
        cells,
        settings: rule_set.settings.clone(),
    })
}
