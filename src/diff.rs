//! Semantic difference of two rule sets: for every (scope, event) and recipient class, the fact
//! regions where one sends and the other does not, or where the templates differ, as cubes.
//!
//! Both tables are compared in one fact space: every fact of either rule set, with the union of
//! their values. A fact a rule set does not declare does not constrain it; a row that tests a
//! fact holds only for the values its rule set declares, a row that does not test it for all.

use crate::matrix::describe_region;
use crate::ruleset::*;
use crate::table::cover::{self, Budget, GaveUp, MAX_PIECES, OverBudget};
use crate::table::cube::{self, Cube};
use crate::table::{Cell, DecisionTable};
use std::collections::BTreeMap;

/// Everything that differs between two rule sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetDiff {
    /// header fields and event or class properties that differ: (what, old, new)
    pub properties: Vec<(String, String, String)>,
    pub changes: Vec<Change>,
}

impl RuleSetDiff {
    pub fn is_empty(&self) -> bool {
        self.properties.is_empty() && self.changes.is_empty()
    }
}

/// One recipient class whose emails for one (scope, event) differ in one fact region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub scope: String,
    pub event: String,
    pub recipient: String,
    pub kind: ChangeKind,
    /// the region, as a condition (`always` for every fact combination)
    pub when: String,
    /// one fact combination in the region (the constrained facts only)
    pub witness: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// notified by the new rule set only
    Added,
    /// notified by the old rule set only
    Removed,
    /// notified by both, with a different template
    Template { old: String, new: String },
}

/// The semantic difference from `old` to `new`, within one run's work budget
/// ([`Budget::for_rows`] of both tables): past it, or past [`MAX_PIECES`] for one recipient class, the first
/// question given up.
pub fn diff(old: &DecisionTable, new: &DecisionTable) -> Result<RuleSetDiff, GaveUp> {
    let space = FactSpace::new(&old.vocabulary, &new.vocabulary);
    let budget = Budget::for_rows(old.rows().saturating_add(new.rows()));
    let mut changes = Vec::new();
    for scope in union(&old.vocabulary.scopes, &new.vocabulary.scopes, |s| &s.name) {
        for event in union(&old.vocabulary.events, &new.vocabulary.events, |e| &e.name) {
            let old_side = Side::of(old, &scope, &event, &space);
            let new_side = Side::of(new, &scope, &event, &space);
            for class in union(
                &old.vocabulary.recipients,
                &new.vocabulary.recipients,
                |c| &c.name,
            ) {
                let gave_up = |_: OverBudget| {
                    GaveUp::at(format!("`{event}` in `{scope}` for `{class}`"), &budget)
                };
                let old_pieces = old_side.pieces(&class, &budget).map_err(gave_up)?;
                let new_pieces = new_side.pieces(&class, &budget).map_err(gave_up)?;
                let old_region: Vec<Cube> = old_pieces.iter().map(|(c, _)| c.clone()).collect();
                let new_region: Vec<Cube> = new_pieces.iter().map(|(c, _)| c.clone()).collect();
                let mut push = |kind: ChangeKind, region: Vec<Cube>| {
                    let region = cube::simplify(region);
                    if let Some(first) = region.first() {
                        changes.push(Change {
                            scope: scope.clone(),
                            event: event.clone(),
                            recipient: class.clone(),
                            witness: space.witness(first),
                            when: describe_region(&region, &space.vocabulary),
                            kind,
                        });
                    }
                };
                let added = cover::uncovered(&new_region, &old_region, &budget).map_err(gave_up)?;
                push(ChangeKind::Added, added);
                let removed =
                    cover::uncovered(&old_region, &new_region, &budget).map_err(gave_up)?;
                push(ChangeKind::Removed, removed);
                let template_changes =
                    template_changes(&old_pieces, &new_pieces, &budget).map_err(gave_up)?;
                for ((old_template, new_template), region) in template_changes {
                    push(
                        ChangeKind::Template {
                            old: old_template,
                            new: new_template,
                        },
                        region,
                    );
                }
            }
        }
    }
    Ok(RuleSetDiff {
        properties: properties(&old.vocabulary, &new.vocabulary),
        changes,
    })
}

/// Where both rule sets notify the class with different templates, per (old, new) template:
/// each pair of pieces compared is taken from `budget`, and at most [`MAX_PIECES`] are kept.
fn template_changes(
    old_pieces: &[(Cube, String)],
    new_pieces: &[(Cube, String)],
    budget: &Budget,
) -> Result<BTreeMap<(String, String), Vec<Cube>>, OverBudget> {
    let mut changes: BTreeMap<(String, String), Vec<Cube>> = BTreeMap::new();
    let mut kept = 0;
    for (old_cube, old_template) in old_pieces {
        budget.spend(new_pieces.len())?;
        for (new_cube, new_template) in new_pieces {
            if old_template != new_template && old_cube.overlaps(new_cube) {
                kept += 1;
                if kept > MAX_PIECES {
                    return Err(OverBudget);
                }
                changes
                    .entry((old_template.clone(), new_template.clone()))
                    .or_default()
                    .push(old_cube.intersect(new_cube));
            }
        }
    }
    Ok(changes)
}

/// The names of both lists, old order first, then the new names.
fn union<T>(old: &[T], new: &[T], name: impl Fn(&T) -> &String) -> Vec<String> {
    let mut names: Vec<String> = old.iter().map(&name).cloned().collect();
    for item in new {
        if !names.contains(name(item)) {
            names.push(name(item).clone());
        }
    }
    names
}

/// The facts of both rule sets, each with the union of its values.
struct FactSpace {
    vocabulary: Vocabulary,
}

impl FactSpace {
    fn new(old: &Vocabulary, new: &Vocabulary) -> FactSpace {
        let mut facts: Vec<Fact> = Vec::new();
        for fact in old.facts.iter().chain(&new.facts) {
            match facts.iter_mut().find(|f| f.name == fact.name) {
                Some(known) => {
                    let mut values = known.values().to_vec();
                    for value in fact.values() {
                        if !values.contains(value) {
                            values.push(value.clone());
                        }
                    }
                    known.domain = if known.domain.is_bool() && fact.domain.is_bool() {
                        Domain::Bool(values)
                    } else {
                        Domain::Enum(values)
                    };
                }
                None => facts.push(fact.clone()),
            }
        }
        let mut vocabulary = new.clone();
        vocabulary.facts = facts;
        FactSpace { vocabulary }
    }

    /// A cube of `vocabulary`'s fact space, in this space.
    fn translate(&self, cube: &Cube, vocabulary: &Vocabulary) -> Cube {
        let mut translated = Cube::full(&self.vocabulary);
        for (index, fact) in self.vocabulary.facts.iter().enumerate() {
            let Some(own) = vocabulary.fact(&fact.name) else {
                continue;
            };
            let own_fact = &vocabulary.facts[own.0];
            let own_mask = cube.masks.get(own.0).copied().unwrap_or(0);
            if own_mask == own_fact.full_mask() {
                // a row that does not test the fact holds for values the rule set never declared
                continue;
            }
            translated.masks[index] = (0..own_fact.values().len())
                .filter(|v| own_mask >> v & 1 == 1)
                .filter_map(|v| fact.value_index(own_fact.value_name(v)))
                .fold(0u64, |mask, j| mask | 1 << j);
        }
        translated
    }

    /// The lowest value of every constrained fact of a cube.
    fn witness(&self, cube: &Cube) -> Vec<(String, String)> {
        cube.constraints(&self.vocabulary)
            .into_iter()
            .map(|(fact, values)| {
                let first = values.first().copied().unwrap_or_default();
                (fact.name.clone(), first.to_owned())
            })
            .collect()
    }
}

/// One rule set's rows for a (scope, event), in the common fact space.
struct Side<'t> {
    table: &'t DecisionTable,
    rows: Vec<(Cube, &'t crate::table::TableRow)>,
}

impl<'t> Side<'t> {
    fn of(table: &'t DecisionTable, scope: &str, event: &str, space: &FactSpace) -> Side<'t> {
        let v = &table.vocabulary;
        static EMPTY: Cell = Cell { rows: Vec::new() };
        let cell = match (v.scope(scope), v.event(event)) {
            (Some(s), Some(e)) => table.cell(s, e),
            _ => &EMPTY,
        };
        Side {
            table,
            rows: cell
                .rows
                .iter()
                .map(|row| (space.translate(&row.cube, v), row))
                .collect(),
        }
    }

    /// Disjoint cubes where the class is notified, each with the template it gets: the first
    /// row (in rule order) that sends the class decides the template. At most [`MAX_PIECES`].
    fn pieces(&self, class: &str, budget: &Budget) -> Result<Vec<(Cube, String)>, OverBudget> {
        let v = &self.table.vocabulary;
        let Some(class) = v.class(class) else {
            return Ok(Vec::new());
        };
        let mut earlier: Vec<Cube> = Vec::new();
        let mut pieces = Vec::new();
        for (cube, row) in self
            .rows
            .iter()
            .filter(|(_, row)| row.classes.contains(class))
        {
            let rest = cover::uncovered(std::slice::from_ref(cube), &earlier, budget)?;
            if pieces.len() + rest.len() > MAX_PIECES {
                return Err(OverBudget);
            }
            let template = v.template_name(row.template);
            pieces.extend(rest.into_iter().map(|piece| (piece, template.to_owned())));
            earlier.push(cube.clone());
        }
        Ok(pieces)
    }
}

/// Header fields, and event and class properties, that differ.
fn properties(old: &Vocabulary, new: &Vocabulary) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    let mut compare = |what: String, a: String, b: String| {
        if a != b {
            found.push((what, a, b));
        }
    };
    let cap = |c: Option<u32>| c.map_or("unlimited".to_owned(), |n| n.to_string());
    compare(
        "sender".into(),
        old.header.sender.to_string(),
        new.header.sender.to_string(),
    );
    compare(
        "subject-prefix".into(),
        format!("{:?}", old.header.subject_prefix),
        format!("{:?}", new.header.subject_prefix),
    );
    compare(
        "max-recipients".into(),
        cap(old.header.max_recipients),
        cap(new.header.max_recipients),
    );
    for event in &old.events {
        if let Some(id) = new.event(&event.name) {
            let other = &new.events[id.0];
            compare(
                format!("event {} critical", event.name),
                event.critical.to_string(),
                other.critical.to_string(),
            );
            compare(
                format!("event {} section", event.name),
                section_text(&event.section, old),
                section_text(&other.section, new),
            );
        }
    }
    for class in &old.recipients {
        if let Some(id) = new.class(&class.name) {
            let other = &new.recipients[id.0];
            let row = |c: &RecipientClass| c.row.map_or("none", |r| r.keyword()).to_owned();
            compare(
                format!("recipient {} row", class.name),
                row(class),
                row(other),
            );
            compare(
                format!("recipient {} while activated", class.name),
                class.while_activated.to_string(),
                other.while_activated.to_string(),
            );
        }
    }
    found
}

fn section_text(section: &EventSection, vocabulary: &Vocabulary) -> String {
    match section {
        EventSection::None => "none".to_owned(),
        EventSection::Fixed(s) => s.keyword().to_owned(),
        EventSection::ByFact { fact, sections } => {
            let Some(fact) = vocabulary.facts.get(fact.0) else {
                return "?".to_owned();
            };
            let cases: Vec<String> = sections
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{} -> {}", fact.value_name(i), s.keyword()))
                .collect();
            format!("by {} {{ {} }}", fact.name, cases.join(", "))
        }
    }
}
