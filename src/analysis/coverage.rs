//! Gaps: for every (scope, event) an event declares relevant (`occurs in`), the fact
//! combinations where no rule notifies anyone, as compact regions — W004 for critical events.

use super::cover::nearest_default;
use super::declarations::Kind;
use super::{Code, Context, Finding, Subject, Witness};
use crate::diagnostic::Label;
use crate::matrix::describe_region;
use crate::ruleset::*;
use crate::table::Cube;
use crate::table::cube::simplify;

/// Above this many pieces a gap is shown as the disjoint pieces themselves, not grown.
const COMPACT_LIMIT: usize = 1024;

/// The gap as few, large cubes: each disjoint piece is grown, value by value, as long as it
/// meets no row (so stays inside the gap), then pieces inside others are dropped.
fn compact(pieces: Vec<Cube>, rows: Vec<&Cube>, domain: &Cube) -> Vec<Cube> {
    let pieces = simplify(pieces);
    if pieces.len() > COMPACT_LIMIT {
        return pieces;
    }
    let grown: Vec<Cube> = pieces
        .into_iter()
        .map(|mut piece| {
            for (fact, all_values) in domain.masks.iter().enumerate() {
                for value in 0..u64::BITS {
                    let bit = 1u64 << value;
                    if piece.masks[fact] & bit != 0 || all_values & bit == 0 {
                        continue;
                    }
                    piece.masks[fact] |= bit;
                    if rows.iter().any(|row| row.overlaps(&piece)) {
                        piece.masks[fact] &= !bit;
                    }
                }
            }
            piece
        })
        .collect();
    simplify(grown)
}

pub(super) fn check(cx: &Context) -> Vec<Finding> {
    let vocabulary = cx.vocabulary();
    let mut findings = Vec::new();
    for (index, event) in vocabulary.events.iter().enumerate() {
        for scope in &event.occurs_in {
            if cx.analysable(*scope, EventId(index)) {
                findings.extend(gap(cx, *scope, EventId(index)));
            }
        }
    }
    findings
}

/// The gap of one (scope, event): the whole fact space minus every row's cube.
fn gap(cx: &Context, scope: ScopeId, event: EventId) -> Option<Finding> {
    let vocabulary = cx.vocabulary();
    let declared = vocabulary.events.get(event.0)?;
    let rows = &cx.table.cell(scope, event).rows;
    let full = [Cube::full(vocabulary)];
    let missing = cx.uncovered(&full, rows.iter().map(|row| &row.cube)).ok()?;
    if missing.is_empty() {
        return None;
    }
    let regions = compact(
        missing,
        rows.iter().map(|row| &row.cube).collect(),
        &full[0],
    );
    let facts = nearest_default(regions.first()?, vocabulary);
    let (event_name, scope_name) = (&declared.name, vocabulary.scope_name(scope));
    let when = if rows.is_empty() {
        ": no rule sends it there".to_owned()
    } else {
        format!(" when {}", describe_region(&regions, vocabulary))
    };
    let (code, message) = if declared.critical {
        (
            Code::W004,
            format!("critical event `{event_name}` reaches no one in `{scope_name}`{when}"),
        )
    } else {
        (
            Code::W007,
            format!("`{event_name}` in `{scope_name}` notifies no one{when}"),
        )
    };
    let declaration = cx.declarations.get(Kind::Event, event_name);
    let primary = declaration
        .and_then(|d| d.occurs_in.iter().find(|(name, _)| name == scope_name))
        .map_or_else(
            || Label {
                span: cx
                    .declarations
                    .root_uses
                    .first()
                    .copied()
                    .unwrap_or_default(),
                message: format!("`{event_name}` is declared to occur in `{scope_name}`"),
            },
            |(_, span)| Label {
                span: *span,
                message: "declared to occur here".to_owned(),
            },
        );
    let mut finding = cx.finding(
        code,
        message,
        primary,
        Subject::Gap {
            scope,
            event,
            regions,
        },
    );
    let mut senders: Vec<RuleId> = rows.iter().map(|row| row.rule).collect();
    senders.dedup();
    for rule in senders {
        let condition = cx
            .rule(rule)
            .and_then(|r| r.condition.as_ref())
            .map(|c| c.display(vocabulary).to_string())
            .unwrap_or_default();
        finding.related.push(cx.rule_label(
            rule,
            format!("sends it in `{scope_name}` only when {condition}"),
        ));
        finding.items.extend(cx.rule_item(rule));
    }
    if let Some(declaration) = declaration {
        finding.items.push(declaration.item);
        // a library's event: the rule set that uses the library may accept the gap at its `use`
        if declaration.item.file != cx.declarations.root {
            finding
                .items
                .extend(cx.declarations.root_uses.iter().copied());
        }
    }
    finding.witness = Some(Witness::new(scope, event, facts, vocabulary));
    Some(finding)
}
