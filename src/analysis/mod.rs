//! Analysis stage (`pimrules lint`): exact checks of a compiled rule set over its finite fact
//! domains — dead, redundant and conflicting rules, gaps, unused declarations — each a [`Finding`].

pub mod config;
pub mod cover;
mod coverage;
pub mod declarations;
mod rules;
mod settings;
mod text;
mod unused;

use crate::diagnostic::{Code, Diagnostic, Extras, Label, Severity, WitnessEvent};
use crate::load::Loaded;
use crate::pipeline::Compiled;
use crate::ruleset::*;
use crate::source::Span;
use crate::table::cover::{Budget, OverBudget};
use crate::table::{self, Cube};
use declarations::{Declarations, Kind};

/// One problem `lint` found.
#[derive(Debug, Clone)]
pub struct Finding {
    pub code: Code,
    /// the code's default level until [`config::Config::apply`] sets the configured one
    pub level: Severity,
    /// the name of the rule set it was found in
    pub rule_set: String,
    pub message: String,
    pub primary: Label,
    pub related: Vec<Label>,
    /// the items (rules, declarations, `use` lines) whose `allow` comment suppresses it
    pub items: Vec<Span>,
    pub witness: Option<Witness>,
    pub subject: Subject,
}

/// What a finding is about, by identity, so that tests can re-check its witness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// W001: the rule never sends anything
    DeadRule { rule: RuleId },
    /// W002: the rule's every email is also sent by `covered_by` (at the witness)
    RedundantRule {
        rule: RuleId,
        covered_by: Vec<RuleId>,
    },
    /// W003: both rules send `class`, with different templates
    ConflictingTemplates {
        first: RuleId,
        second: RuleId,
        class: ClassId,
    },
    /// W004 and W007: in `regions` of the fact space, the event notifies no one in the scope
    Gap {
        scope: ScopeId,
        event: EventId,
        regions: Vec<Cube>,
    },
    /// W005
    UnusedDeclaration { kind: Kind, name: String },
    /// W006: the rule's condition holds for every combination of facts
    AlwaysTrue { rule: RuleId },
    /// W008–W010: a line of a role's tenant settings (index into `RuleSet::settings`)
    Settings { role: usize },
    /// W011: the character at this span
    Character { at: Span },
    /// W012: a question the analysis left unanswered
    Unanswered,
}

impl From<Finding> for Diagnostic {
    /// The finding as every output format shows it: its level, labels, rule set and witness.
    fn from(finding: Finding) -> Diagnostic {
        let witness = finding.witness.map(|w| WitnessEvent {
            scope: w.scope_name,
            event: w.event_name,
            facts: w.named_facts,
            text: w.text,
        });
        Diagnostic {
            severity: finding.level,
            secondary: finding.related,
            extras: Some(Box::new(Extras {
                rule_set: finding.rule_set,
                witness,
            })),
            ..Diagnostic::error(finding.code, finding.message)
                .at(finding.primary.span, finding.primary.message)
        }
    }
}

/// One concrete event: a scope, an event and a value for every fact, with its names resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witness {
    pub scope: ScopeId,
    pub event: EventId,
    pub facts: FactValues,
    pub scope_name: String,
    pub event_name: String,
    /// `approval-pending in entra-role with explicit-approvers = true`: facts at their
    /// defaults are left out, as `eval --set` would
    pub text: String,
    /// every fact with its value, in declaration order
    pub named_facts: Vec<(String, String)>,
}

impl Witness {
    pub fn new(scope: ScopeId, event: EventId, facts: FactValues, vocabulary: &Vocabulary) -> Self {
        let named_facts: Vec<(String, String)> = vocabulary
            .facts
            .iter()
            .enumerate()
            .map(|(i, fact)| {
                (
                    fact.name.clone(),
                    fact.value_name(facts.get(FactId(i))).to_owned(),
                )
            })
            .collect();
        let changed: Vec<String> = named_facts
            .iter()
            .zip(&vocabulary.facts)
            .filter(|((_, value), fact)| value != fact.value_name(fact.default))
            .map(|((name, value), _)| format!("{name} = {value}"))
            .collect();
        let scope_name = vocabulary.scope_name(scope).to_owned();
        let event_name = vocabulary.event_name(event).to_owned();
        let mut text = format!("{event_name} in {scope_name}");
        if !changed.is_empty() {
            text.push_str(" with ");
            text.push_str(&changed.join(", "));
        }
        Witness {
            scope,
            event,
            facts,
            scope_name,
            event_name,
            text,
            named_facts,
        }
    }
}

/// The findings of one compiled rule set, at their default levels, in source order.
///
/// Every check works on condition cubes ([`cover`]): a rule's region is the union of its cubes,
/// and "is this region covered" is cube subtraction, never an enumeration of fact combinations.
/// A finding about an event carries a [`Witness`]: one concrete event that shows it.
pub fn lint(loaded: &Loaded, compiled: &Compiled) -> Vec<Finding> {
    let context = Context {
        rule_set: &compiled.rule_set,
        table: &compiled.table,
        declarations: Declarations::of(loaded, &compiled.program),
        budget: Budget::for_rows(compiled.table.rows()),
        skipped_cells: std::cell::RefCell::new(std::collections::BTreeSet::new()),
        over_budget: std::cell::Cell::new(false),
    };
    let mut findings = rules::check(&context);
    findings.extend(coverage::check(&context));
    findings.extend(unused::check(&context));
    findings.extend(settings::check(&context));
    findings.extend(text::check(&context, loaded, &compiled.program));
    findings.extend(unanswered(&context));
    findings.sort_by_key(|f| (f.primary.span.file, f.primary.span.start, f.code));
    findings
}

/// What every check reads.
struct Context<'a> {
    rule_set: &'a RuleSet,
    table: &'a crate::table::DecisionTable,
    declarations: Declarations,
    /// what is left of the run's work ([`Budget::for_rows`])
    budget: Budget,
    /// (scope, event) cells too large to analyse, whose questions were left unanswered
    skipped_cells: std::cell::RefCell<std::collections::BTreeSet<(ScopeId, EventId)>>,
    /// whether a question was left unanswered because the work budget ran out
    over_budget: std::cell::Cell<bool>,
}

/// W012: what the analysis left unanswered, so that no finding is never mistaken for "clean".
fn unanswered(cx: &Context) -> Vec<Finding> {
    let vocabulary = cx.vocabulary();
    let mut findings = Vec::new();
    let anchor = |event: Option<EventId>| {
        event
            .and_then(|e| cx.declarations.get(Kind::Event, vocabulary.event_name(e)))
            .map(|d| d.name_span)
            .or_else(|| cx.declarations.root_uses.first().copied())
            .unwrap_or_default()
    };
    for (scope, event) in cx.skipped_cells.borrow().iter() {
        let rows = cx.table.cell(*scope, *event).rows.len();
        findings.push(cx.finding(
            Code::W012,
            format!(
                "`{}` in `{}` was not analysed: its {rows} rows are more than {}",
                vocabulary.event_name(*event),
                vocabulary.scope_name(*scope),
                cover::MAX_CELL_ROWS
            ),
            Label {
                span: anchor(Some(*event)),
                message:
                    "gaps, conflicts and redundancy of this event there are not known".to_owned(),
            },
            Subject::Unanswered,
        ));
    }
    if cx.over_budget.get() {
        findings.push(cx.finding(
            Code::W012,
            format!(
                "the analysis ran out of its work budget ({} cube operations): some questions were left unanswered",
                cx.budget.total()
            ),
            Label {
                span: anchor(None),
                message: "in this rule set".to_owned(),
            },
            Subject::Unanswered,
        ));
    }
    findings
}

impl Context<'_> {
    fn vocabulary(&self) -> &Vocabulary {
        &self.rule_set.vocabulary
    }

    fn rule(&self, id: RuleId) -> Option<&Rule> {
        self.rule_set.rules.get(id.0)
    }

    fn rule_name(&self, id: RuleId) -> &str {
        self.rule(id).map_or("?", |r| r.name.as_str())
    }

    /// A label on a rule's name (its whole item when the name cannot be found).
    fn rule_label(&self, id: RuleId, message: impl Into<String>) -> Label {
        let span = self.rule(id).map_or_else(Span::default, |rule| {
            self.declarations.rule_name(&rule.name).unwrap_or(rule.span)
        });
        Label {
            span,
            message: message.into(),
        }
    }

    fn rule_item(&self, id: RuleId) -> Option<Span> {
        self.rule(id).map(|r| r.span)
    }

    /// Whether `event` can happen in `scope`: it is declared to (`occurs in`), or it declares
    /// no scopes at all.
    fn occurs(&self, scope: ScopeId, event: EventId) -> bool {
        self.vocabulary()
            .events
            .get(event.0)
            .is_some_and(|e| e.occurs_in.is_empty() || e.occurs_in.contains(&scope))
    }

    /// [`table::cover::uncovered`] within what is left of the run's work budget.
    fn uncovered<'c>(
        &self,
        region: &[Cube],
        cover: impl IntoIterator<Item = &'c Cube>,
    ) -> Result<Vec<Cube>, OverBudget> {
        self.noted(table::cover::uncovered(region, cover, &self.budget))
    }

    /// [`table::cover::covers`] within what is left of the run's work budget.
    fn covers<'c>(
        &self,
        cover: impl IntoIterator<Item = &'c Cube>,
        region: &[Cube],
    ) -> Result<bool, OverBudget> {
        self.noted(table::cover::covers(cover, region, &self.budget))
    }

    /// An answer, noting a question left unanswered for W012.
    fn noted<T>(&self, answer: Result<T, OverBudget>) -> Result<T, OverBudget> {
        if answer.is_err() {
            self.over_budget.set(true);
        }
        answer
    }

    /// Whether the cell of (`scope`, `event`) is small enough to analyse
    /// ([`cover::MAX_CELL_ROWS`]).
    fn analysable(&self, scope: ScopeId, event: EventId) -> bool {
        let small = self.table.cell(scope, event).rows.len() <= cover::MAX_CELL_ROWS;
        if !small {
            self.skipped_cells.borrow_mut().insert((scope, event));
        }
        small
    }

    fn finding(&self, code: Code, message: String, primary: Label, subject: Subject) -> Finding {
        Finding {
            code,
            level: code.default_level(),
            rule_set: self.vocabulary().header.name.clone(),
            message,
            primary,
            related: Vec::new(),
            items: Vec::new(),
            witness: None,
            subject,
        }
    }
}
