//! Checks of rules against each other, on the decision table's rows: rules that never fire
//! (W001), rules covered by others (W002), overlapping rules with two templates (W003), and
//! conditions that always hold (W006).

use super::cover::nearest_default;
use super::{Code, Context, Finding, Subject, Witness};
use crate::diagnostic::Label;
use crate::ruleset::*;
use crate::table::Cube;
use crate::table::cube::cubes_of;
use std::collections::HashSet;

pub(super) fn check(cx: &Context) -> Vec<Finding> {
    let vocabulary = cx.vocabulary();
    // each rule's region: `None` only for a condition the compiler already refused
    let regions: Vec<Option<Vec<Cube>>> = cx
        .rule_set
        .rules
        .iter()
        .map(|rule| cubes_of(rule.condition.as_ref(), vocabulary).ok())
        .collect();
    let mut findings = Vec::new();
    let mut live = vec![false; regions.len()];
    for (index, region) in regions.iter().enumerate() {
        let Some(region) = region else { continue };
        let id = RuleId(index);
        match dead_rule(cx, id, region) {
            Some(finding) => findings.push(finding),
            None => live[index] = true,
        }
        findings.extend(always_true(cx, id, region));
    }
    findings.extend(conflicts(cx));
    findings.extend(redundant_rules(cx, &regions, &live));
    findings
}

/// The (scope, event) pairs a rule lists where its event can happen, with the template.
fn relevant_pairs<'r>(
    cx: &'r Context,
    rule: &'r Rule,
) -> impl Iterator<Item = (ScopeId, EventId, TemplateId)> + 'r {
    rule.scopes.iter().flat_map(move |scope| {
        rule.events
            .iter()
            .zip(&rule.templates)
            .filter(move |(event, _)| cx.occurs(*scope, **event))
            .map(move |(event, template)| (*scope, *event, *template))
    })
}

/// W001: the condition holds nowhere, or the rule lists no pair where its events happen.
fn dead_rule(cx: &Context, id: RuleId, region: &[Cube]) -> Option<Finding> {
    let rule = cx.rule(id)?;
    let (message, primary) = if region.is_empty() {
        (
            format!("rule `{}` can never fire", rule.name),
            Label {
                span: rule.condition_span,
                message: "holds for no combination of facts".to_owned(),
            },
        )
    } else if relevant_pairs(cx, rule).next().is_none() {
        (
            format!(
                "rule `{}` can never fire: its events occur in none of its scopes",
                rule.name
            ),
            cx.rule_label(id, "lists no scope where its events occur"),
        )
    } else {
        return None;
    };
    let mut finding = cx.finding(Code::W001, message, primary, Subject::DeadRule { rule: id });
    finding.items.push(rule.span);
    Some(finding)
}

/// W006: a `when` condition that holds for every combination of facts.
fn always_true(cx: &Context, id: RuleId, region: &[Cube]) -> Option<Finding> {
    let rule = cx.rule(id)?;
    rule.condition.as_ref()?;
    let full = [Cube::full(cx.vocabulary())];
    if cx.covers(region, &full).ok()? {
        let mut finding = cx.finding(
            Code::W006,
            format!("the condition of rule `{}` always holds", rule.name),
            Label {
                span: rule.condition_span,
                message: "true for every combination of facts".to_owned(),
            },
            Subject::AlwaysTrue { rule: id },
        );
        finding.items.push(rule.span);
        return Some(finding);
    }
    None
}

/// W003: per (scope, event) where the event occurs, two rows of different rules that overlap
/// and share a class with different templates. One finding per rule whose template is lost,
/// against the first rule (in rule order) it conflicts with: the findings grow with the rules,
/// not with the pairs of them (quadratic in a large cell).
fn conflicts(cx: &Context) -> Vec<Finding> {
    let vocabulary = cx.vocabulary();
    let mut reported: HashSet<RuleId> = HashSet::new();
    let mut findings = Vec::new();
    for (scope, event, cell) in cx.table.cells() {
        if !cx.occurs(scope, event) || !cx.analysable(scope, event) {
            continue;
        }
        for (j, second) in cell.rows.iter().enumerate() {
            if reported.contains(&second.rule) {
                continue;
            }
            for first in &cell.rows[..j] {
                let shared = first.classes.0 & second.classes.0;
                if first.rule == second.rule
                    || first.template == second.template
                    || shared == 0
                    || !first.cube.overlaps(&second.cube)
                {
                    continue;
                }
                reported.insert(second.rule);
                let class = ClassId(shared.trailing_zeros() as usize);
                let facts = nearest_default(&first.cube.intersect(&second.cube), vocabulary);
                let class_name = vocabulary.class_name(class);
                let (t1, t2) = (
                    vocabulary.template_name(first.template),
                    vocabulary.template_name(second.template),
                );
                let mut finding = cx.finding(
                    Code::W003,
                    format!(
                        "rules `{}` and `{}` send `{class_name}` two templates, `{t1}` and `{t2}`",
                        cx.rule_name(first.rule),
                        cx.rule_name(second.rule),
                    ),
                    cx.rule_label(
                        second.rule,
                        format!("sends `{class_name}` with `{t2}`, lost where both fire"),
                    ),
                    Subject::ConflictingTemplates {
                        first: first.rule,
                        second: second.rule,
                        class,
                    },
                );
                finding.related.push(cx.rule_label(
                    first.rule,
                    format!("sends `{class_name}` with `{t1}` first"),
                ));
                finding.items.extend(cx.rule_item(second.rule));
                finding.items.extend(cx.rule_item(first.rule));
                finding.witness = Some(Witness::new(scope, event, facts, vocabulary));
                findings.push(finding);
                break;
            }
        }
    }
    findings
}

/// W002: rules whose every email other rules also send. Rules are tried from the last to the
/// first, and a rule found redundant no longer covers the ones tried after it, so the rules
/// reported can all be deleted together; the witnesses are shown against the rules that remain.
fn redundant_rules(cx: &Context, regions: &[Option<Vec<Cube>>], live: &[bool]) -> Vec<Finding> {
    let mut removed = vec![false; regions.len()];
    for index in (0..regions.len()).rev() {
        let (Some(Some(region)), Some(rule), true) =
            (regions.get(index), cx.rule(RuleId(index)), live[index])
        else {
            continue;
        };
        removed[index] = is_covered(cx, rule, RuleId(index), region, &removed);
    }
    (0..regions.len())
        .filter(|index| removed[*index])
        .filter_map(|index| {
            let region = regions.get(index)?.as_ref()?;
            let id = RuleId(index);
            redundancy_finding(cx, cx.rule(id)?, id, region, &removed)
        })
        .collect()
}

/// Whether, in every relevant pair and for every class, the rows of other (not removed) rules
/// that send the class with the same template cover the rule's region.
fn is_covered(cx: &Context, rule: &Rule, id: RuleId, region: &[Cube], removed: &[bool]) -> bool {
    relevant_pairs(cx, rule).all(|(scope, event, template)| {
        if !cx.analysable(scope, event) {
            return false;
        }
        let rows = &cx.table.cell(scope, event).rows;
        rule.notify.iter().all(|class| {
            let cover = rows.iter().filter(|row| {
                row.rule != id
                    && !removed.get(row.rule.0).copied().unwrap_or(true)
                    && row.template == template
                    && row.classes.contains(*class)
            });
            cx.covers(cover.map(|row| &row.cube), region) == Ok(true)
        })
    })
}

fn redundancy_finding(
    cx: &Context,
    rule: &Rule,
    id: RuleId,
    region: &[Cube],
    removed: &[bool],
) -> Option<Finding> {
    let vocabulary = cx.vocabulary();
    let (scope, event, template) = relevant_pairs(cx, rule).next()?;
    let facts = nearest_default(region.first()?, vocabulary);
    let mut covered_by: Vec<RuleId> = cx
        .table
        .cell(scope, event)
        .rows
        .iter()
        .filter(|row| {
            row.rule != id
                && !removed.get(row.rule.0).copied().unwrap_or(true)
                && row.template == template
                && rule.notify.iter().any(|c| row.classes.contains(*c))
                && row.cube.contains(&facts)
        })
        .map(|row| row.rule)
        .collect();
    covered_by.dedup();
    let names: Vec<String> = covered_by
        .iter()
        .map(|r| format!("`{}`", cx.rule_name(*r)))
        .collect();
    let mut finding = cx.finding(
        Code::W002,
        format!(
            "rule `{}` is covered by other rules: deleting it changes no email",
            rule.name
        ),
        cx.rule_label(
            id,
            format!("at the witness, also sent by {}", names.join(", ")),
        ),
        Subject::RedundantRule {
            rule: id,
            covered_by: covered_by.clone(),
        },
    );
    for other in &covered_by {
        finding
            .related
            .push(cx.rule_label(*other, "sends the same classes and templates there"));
    }
    finding.items.push(rule.span);
    finding.witness = Some(Witness::new(scope, event, facts, vocabulary));
    Some(finding)
}
