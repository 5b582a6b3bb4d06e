//! Evaluation: one event → the recipient classes it notifies, by lookup in the decision table.
//! [`Evaluator`] indexes each (scope, event) cell, on first use, by the facts its rows test, so a
//! decision is an index computation and an array read; the tenant policy overlay comes after.

pub mod explain;
mod facts;
pub mod overlay;

use crate::ruleset::tenant::NotificationPolicy;
use crate::ruleset::*;
use crate::table::{ClassSet, DecisionTable};
pub use facts::{FactError, parse_settings, split_setting};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

/// Most fact combinations a cell's dense index may hold; larger cells are scanned row by row.
const DENSE_INDEX_LIMIT: usize = 4096;
/// Most (rows × combinations) work spent building one cell's dense index.
const DENSE_BUILD_BUDGET: usize = 1 << 22;
/// What all dense indexes of an evaluator may cost together: slots held, and (rows ×
/// combinations) work to build them. Past either, further cells are scanned, so a table with very
/// many large cells costs bounded memory and time.
const DENSE_TOTAL_SLOTS: usize = 1 << 24;
const DENSE_TOTAL_WORK: usize = 1 << 28;

/// What is left of [`DENSE_TOTAL_SLOTS`] and [`DENSE_TOTAL_WORK`].
#[derive(Debug, Clone, Copy)]
struct Budget {
    slots: usize,
    work: usize,
}

/// Who a rule-set decision notifies, before any tenant policy: the classes, and for each the
/// first rule (in rule order) that sent it and that rule's template.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Outcome {
    pub classes: ClassSet,
    /// one entry per class, in class declaration order
    pub sends: Vec<Send>,
}

static NOBODY: Outcome = Outcome {
    classes: ClassSet(0),
    sends: Vec::new(),
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Send {
    pub class: ClassId,
    pub rule: RuleId,
    pub template: TemplateId,
}

/// A decision table prepared for fast lookups. Each cell is indexed the first time a decision
/// needs it, so a run that asks one question pays for one cell, and a run that asks many pays
/// once per cell.
pub struct Evaluator<'t> {
    table: &'t DecisionTable,
    cells: Vec<OnceLock<CellIndex>>,
    /// what is left for indexing cells; shared by the threads that ask (an `Evaluator` is `Sync`)
    budget: Mutex<Budget>,
}

enum CellIndex {
    /// `outcomes[slots[Σ facts[f] × stride]]` over the facts the cell's rows test
    Dense {
        strides: Vec<(usize, usize)>,
        slots: Vec<u32>,
        outcomes: Vec<Outcome>,
    },
    /// too many combinations to tabulate: rows are matched one by one
    Scan(FlatCell),
}

/// A cell's rows laid out for scanning: every row's value masks side by side in one array, so
/// a scan reads memory in order instead of following a pointer per row.
struct FlatCell {
    facts: usize,
    /// `masks[row * facts + fact]`
    masks: Vec<u64>,
    sends: Vec<(ClassSet, RuleId, TemplateId)>,
}

impl FlatCell {
    fn of(cell: &crate::table::Cell, facts: usize) -> FlatCell {
        let mut masks = Vec::with_capacity(cell.rows.len() * facts);
        for row in &cell.rows {
            masks.extend((0..facts).map(|f| row.cube.masks.get(f).copied().unwrap_or(u64::MAX)));
        }
        FlatCell {
            facts,
            masks,
            sends: (cell.rows.iter())
                .map(|row| (row.classes, row.rule, row.template))
                .collect(),
        }
    }

    /// Match every row: the reference for the dense index, and the path for huge cells.
    fn scan(&self, facts: &FactValues) -> Outcome {
        let mut outcome = Outcome::default();
        for (row, &(classes, rule, template)) in self.sends.iter().enumerate() {
            let new = ClassSet(classes.0 & !outcome.classes.0);
            if new.is_empty() {
                continue;
            }
            let masks = &self.masks[row * self.facts..(row + 1) * self.facts];
            if !masks.iter().zip(facts.0.iter()).all(|(mask, value)| {
                mask.checked_shr(u32::from(*value))
                    .is_some_and(|m| m & 1 == 1)
            }) {
                continue;
            }
            for class in new.iter() {
                outcome.sends.push(Send {
                    class,
                    rule,
                    template,
                });
            }
            outcome.classes.0 |= new.0;
        }
        outcome.sends.sort_by_key(|s| s.class);
        outcome
    }
}

impl<'t> Evaluator<'t> {
    pub fn new(table: &'t DecisionTable) -> Self {
        Evaluator {
            table,
            cells: (0..table.cells.len()).map(|_| OnceLock::new()).collect(),
            budget: Mutex::new(Budget {
                slots: DENSE_TOTAL_SLOTS,
                work: DENSE_TOTAL_WORK,
            }),
        }
    }

    pub fn table(&self) -> &'t DecisionTable {
        self.table
    }

    fn index_cell(&self, cell: &crate::table::Cell) -> CellIndex {
        let vocabulary = &self.table.vocabulary;
        let flat = FlatCell::of(cell, vocabulary.facts.len());
        let tested: Vec<usize> = (0..vocabulary.facts.len())
            .filter(|f| {
                cell.rows
                    .iter()
                    .any(|row| !row.cube.is_free(*f, vocabulary))
            })
            .collect();
        let mut combinations = 1usize;
        let mut strides = Vec::with_capacity(tested.len());
        for &fact in &tested {
            let size = vocabulary.facts[fact].values().len();
            strides.push((fact, combinations));
            combinations = match combinations.checked_mul(size) {
                Some(n) if n <= DENSE_INDEX_LIMIT => n,
                _ => return CellIndex::Scan(flat),
            };
        }
        let work = combinations.saturating_mul(cell.rows.len().max(1));
        {
            // a panic elsewhere cannot leave the numbers half-written: take them as they are
            let mut budget = self.budget.lock().unwrap_or_else(PoisonError::into_inner);
            if work > DENSE_BUILD_BUDGET || work > budget.work || combinations > budget.slots {
                return CellIndex::Scan(flat);
            }
            *budget = Budget {
                slots: budget.slots - combinations,
                work: budget.work - work,
            };
        }
        let mut facts = FactValues::defaults(vocabulary);
        let mut slots = Vec::with_capacity(combinations);
        let mut outcomes = Vec::new();
        let mut known: HashMap<Outcome, u32> = HashMap::new();
        for combination in 0..combinations {
            for &(fact, stride) in &strides {
                let size = vocabulary.facts[fact].values().len();
                facts.set(FactId(fact), combination / stride % size);
            }
            let outcome = flat.scan(&facts);
            let next = outcomes.len() as u32;
            let slot = *known.entry(outcome.clone()).or_insert_with(|| {
                outcomes.push(outcome);
                next
            });
            slots.push(slot);
        }
        CellIndex::Dense {
            strides,
            slots,
            outcomes,
        }
    }

    /// The classes an event notifies under the rule set alone (no tenant policy).
    #[inline]
    pub fn decide(&self, scope: ScopeId, event: EventId, facts: &FactValues) -> Cow<'_, Outcome> {
        let position = scope.0 * self.table.vocabulary.events.len() + event.0;
        let Some(index) = self.cells.get(position) else {
            return Cow::Borrowed(&NOBODY);
        };
        match index.get_or_init(|| self.index_cell(self.table.cell(scope, event))) {
            CellIndex::Dense {
                strides,
                slots,
                outcomes,
            } => {
                let slot: usize = strides
                    .iter()
                    .map(|&(fact, stride)| facts.get(FactId(fact)) * stride)
                    .sum();
                match slots.get(slot).and_then(|s| outcomes.get(*s as usize)) {
                    Some(outcome) => Cow::Borrowed(outcome),
                    None => Cow::Borrowed(&NOBODY),
                }
            }
            CellIndex::Scan(flat) => Cow::Owned(flat.scan(facts)),
        }
    }

    /// The full decision for an event: rule-set outcome, then the tenant policy if any.
    pub fn evaluate(
        &self,
        scope: ScopeId,
        event: EventId,
        facts: &FactValues,
        policy: Option<&NotificationPolicy>,
    ) -> Decision {
        let outcome = self.decide(scope, event, facts);
        let mut notifications: Vec<Notification> = outcome
            .sends
            .iter()
            .map(|send| Notification {
                class: send.class,
                source: Source::Rule(send.rule),
                template: send.template,
                addresses: Vec::new(),
            })
            .collect();
        let mut dropped = Vec::new();
        if let Some(policy) = policy {
            let overlaid =
                overlay::apply(policy, &self.table.vocabulary, event, facts, notifications);
            notifications = overlaid.notifications;
            dropped = overlaid.dropped;
        }
        Decision {
            scope,
            event,
            critical: self.table.is_critical(event),
            notifications,
            dropped,
        }
    }
}

/// Who is notified of one event, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub scope: ScopeId,
    pub event: EventId,
    pub critical: bool,
    /// one per class, in class declaration order
    pub notifications: Vec<Notification>,
    /// the classes the rule set notified and the tenant policy dropped
    pub dropped: Vec<overlay::Dropped>,
}

impl Decision {
    pub fn classes(&self) -> ClassSet {
        self.notifications.iter().map(|n| n.class).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub class: ClassId,
    pub source: Source,
    pub template: TemplateId,
    /// for the policy's class: the additional addresses
    pub addresses: Vec<String>,
}

/// What put a class on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Rule(RuleId),
    /// a tenant policy rule, by its Graph id (`Notification_Admin_EndUser_Assignment`)
    Policy(String),
}

impl Source {
    pub fn describe<'a>(&'a self, table: &'a DecisionTable) -> &'a str {
        match self {
            Source::Rule(rule) => table.rule_name(*rule),
            Source::Policy(id) => id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule set with one (scope, event) cell: `facts` boolean facts, and `rules` rules that
    /// each send when every fact is true (so every row tests every fact).
    fn table(facts: usize, rules: usize) -> DecisionTable {
        let mut text = String::from(
            "ruleset \"t\" version \"1\"\nsender \"N\" <n@contoso.com>\nsubject-prefix \"P\"\n\
             max-recipients 10\nscope s \"S\"\nevent e \"E\"\nrecipient r \"R\"\ntemplate e \"E\"\n",
        );
        for f in 0..facts {
            text.push_str(&format!("fact f{f}: bool = false\n"));
        }
        let condition: Vec<String> = (0..facts).map(|f| format!("f{f}")).collect();
        for i in 0..rules {
            text.push_str(&format!(
                "rule r{i} {{ on e in s notify r when {} }}\n",
                condition.join(" and ")
            ));
        }
        let mut build = crate::pipeline::build_text("t.pimrules", &text);
        assert!(!build.has_errors(), "{:?}", build.diagnostics);
        build.compiled.remove(0).table
    }

    /// Whether the cell was indexed (not scanned) when the first decision needed it, and what is
    /// left of the budget after.
    fn indexed(table: &DecisionTable, budget: Option<Budget>) -> (bool, Budget) {
        let evaluator = Evaluator::new(table);
        if let Some(budget) = budget {
            *evaluator
                .budget
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = budget;
        }
        let facts = FactValues::defaults(&table.vocabulary);
        evaluator.decide(ScopeId(0), EventId(0), &facts);
        let dense = matches!(evaluator.cells[0].get(), Some(CellIndex::Dense { .. }));
        let left = *evaluator
            .budget
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        (dense, left)
    }

    #[test]
    fn a_small_cell_is_indexed_and_charged_to_the_budget() {
        // 3 facts: 8 combinations; 2 rows: 16 units of work
        let (dense, left) = indexed(&table(3, 2), None);
        assert!(dense);
        assert_eq!(left.slots, DENSE_TOTAL_SLOTS - 8);
        assert_eq!(left.work, DENSE_TOTAL_WORK - 16);
    }

    #[test]
    fn a_cell_of_more_combinations_than_the_limit_is_scanned() {
        assert_eq!(1 << 12, DENSE_INDEX_LIMIT);
        assert!(indexed(&table(12, 1), None).0);
        assert!(!indexed(&table(13, 1), None).0);
    }

    #[test]
    fn a_cell_too_costly_to_index_is_scanned() {
        // 4096 combinations × 1024 rows is exactly the build budget
        assert_eq!(4096 * 1024, DENSE_BUILD_BUDGET);
        assert!(indexed(&table(12, 1024), None).0);
        assert!(!indexed(&table(12, 1025), None).0);
    }

    #[test]
    fn cells_are_scanned_once_the_evaluator_budget_is_spent() {
        let small = table(3, 2);
        let exact = Budget { slots: 8, work: 16 };
        assert!(indexed(&small, Some(exact)).0);
        assert!(!indexed(&small, Some(Budget { slots: 7, ..exact })).0);
        assert!(!indexed(&small, Some(Budget { work: 15, ..exact })).0);
    }
}
