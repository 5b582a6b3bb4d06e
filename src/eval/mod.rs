//! Evaluation: one event → the recipient classes it notifies, by lookup in the decision table.
//! [`Evaluator`] indexes each (scope, event) cell by the facts its rows test, so a decision is
//! an index computation and an array read; the tenant policy overlay is applied afterwards.

pub mod explain;
mod facts;

use crate::policy::NotificationPolicy;
use crate::ruleset::*;
use crate::table::{ClassSet, DecisionTable};
pub use facts::{FactError, parse_settings, split_setting};
use std::borrow::Cow;
use std::collections::HashMap;

/// Most fact combinations a cell's dense index may hold; larger cells are scanned row by row.
const DENSE_INDEX_LIMIT: usize = 4096;
/// Most (rows × combinations) work spent building one cell's dense index.
const DENSE_BUILD_BUDGET: usize = 1 << 22;
/// What all dense indexes of a table may cost together: slots held, and (rows × combinations)
/// work to build them. Past either, the remaining cells are scanned, so a table with very
/// many large cells costs bounded memory and time to prepare.
const DENSE_TOTAL_SLOTS: usize = 1 << 24;
const DENSE_TOTAL_WORK: usize = 1 << 28;

/// What is left of [`DENSE_TOTAL_SLOTS`] and [`DENSE_TOTAL_WORK`] while a table is indexed.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Send {
    pub class: ClassId,
    pub rule: RuleId,
    pub template: TemplateId,
}

/// A decision table prepared for fast lookups.
pub struct Evaluator<'t> {
    table: &'t DecisionTable,
    cells: Vec<CellIndex>,
    outcomes: Vec<Outcome>,
}

enum CellIndex {
    /// `outcomes[slots[Σ facts[f] × stride]]` over the facts the cell's rows test
    Dense {
        strides: Vec<(usize, usize)>,
        slots: Vec<u32>,
    },
    /// too many combinations to tabulate: rows are matched one by one
    Scan,
}

impl<'t> Evaluator<'t> {
    pub fn new(table: &'t DecisionTable) -> Self {
        let mut evaluator = Evaluator {
            table,
            cells: Vec::with_capacity(table.cells.len()),
            outcomes: vec![Outcome::default()],
        };
        let mut known: HashMap<Outcome, u32> = HashMap::new();
        known.insert(Outcome::default(), 0);
        let mut budget = Budget {
            slots: DENSE_TOTAL_SLOTS,
            work: DENSE_TOTAL_WORK,
        };
        for (_, _, cell) in table.cells() {
            let index = evaluator.index_cell(cell, &mut known, &mut budget);
            evaluator.cells.push(index);
        }
        evaluator
    }

    pub fn table(&self) -> &'t DecisionTable {
        self.table
    }

    fn index_cell(
        &mut self,
        cell: &crate::table::Cell,
        known: &mut HashMap<Outcome, u32>,
        budget: &mut Budget,
    ) -> CellIndex {
        let vocabulary = &self.table.vocabulary;
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
                _ => return CellIndex::Scan,
            };
        }
        let work = combinations.saturating_mul(cell.rows.len().max(1));
        if work > DENSE_BUILD_BUDGET || work > budget.work || combinations > budget.slots {
            return CellIndex::Scan;
        }
        budget.work -= work;
        budget.slots -= combinations;
        let mut facts = FactValues::defaults(vocabulary);
        let mut slots = Vec::with_capacity(combinations);
        for combination in 0..combinations {
            for &(fact, stride) in &strides {
                let size = vocabulary.facts[fact].values().len();
                facts.set(FactId(fact), combination / stride % size);
            }
            let outcome = scan(cell, &facts);
            let next = self.outcomes.len() as u32;
            let slot = *known.entry(outcome.clone()).or_insert_with(|| {
                self.outcomes.push(outcome);
                next
            });
            slots.push(slot);
        }
        CellIndex::Dense { strides, slots }
    }

    /// The classes an event notifies under the rule set alone (no tenant policy).
    #[inline]
    pub fn decide(&self, scope: ScopeId, event: EventId, facts: &FactValues) -> Cow<'_, Outcome> {
        let position = scope.0 * self.table.vocabulary.events.len() + event.0;
        match self.cells.get(position) {
            Some(CellIndex::Dense { strides, slots }) => {
                let slot: usize = strides
                    .iter()
                    .map(|&(fact, stride)| facts.get(FactId(fact)) * stride)
                    .sum();
                match slots.get(slot).and_then(|s| self.outcomes.get(*s as usize)) {
                    Some(outcome) => Cow::Borrowed(outcome),
                    None => Cow::Owned(Outcome::default()),
                }
            }
            Some(CellIndex::Scan) => Cow::Owned(scan(self.table.cell(scope, event), facts)),
            None => Cow::Borrowed(&self.outcomes[0]),
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
        if let Some(policy) = policy {
            notifications = policy.apply(&self.table.vocabulary, event, facts, notifications);
        }
        Decision {
            scope,
            event,
            critical: self.table.is_critical(event),
            notifications,
        }
    }
}

/// Match every row of a cell: the reference for the dense index, and the path for huge cells.
fn scan(cell: &crate::table::Cell, facts: &FactValues) -> Outcome {
    let mut outcome = Outcome::default();
    for row in &cell.rows {
        let new = ClassSet(row.classes.0 & !outcome.classes.0);
        if new.is_empty() || !row.cube.contains(facts) {
            continue;
        }
        for class in new.iter() {
            outcome.sends.push(Send {
                class,
                rule: row.rule,
                template: row.template,
            });
        }
        outcome.classes.0 |= new.0;
    }
    outcome.sends.sort_by_key(|s| s.class);
    outcome
}

/// Who is notified of one event, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub scope: ScopeId,
    pub event: EventId,
    pub critical: bool,
    /// one per class, in class declaration order
    pub notifications: Vec<Notification>,
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
