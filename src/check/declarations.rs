//! Checking declarations: every name declared once and within the limits, then the facts,
//! recipient classes, events (with their sections), templates and scopes of the vocabulary.

use super::Checker;
use super::messages::{backticked, unknown_keyword, value_index};
use super::names::Namespace;
use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::*;
use crate::source::Span;
use crate::syntax::ast::{self, Item, Spanned};

impl Checker {
    /// Every declaration first, so rules may refer to names declared after them.
    pub(super) fn declare_names(&mut self, items: &[&Spanned<Item>]) {
        for item in items {
            let result = match &item.node {
                Item::Scope(d) => self.scopes.declare(&d.name),
                Item::Recipient(d) => self.classes.declare(&d.name),
                Item::Event(d) => self.events.declare(&d.name),
                Item::Fact(d) => self.fact_names.declare(&d.name),
                Item::Template(d) => self.templates.declare(&d.name),
                _ => continue,
            };
            self.report_err(result);
        }
        let rule_spans: Vec<Span> = items
            .iter()
            .filter_map(|item| match &item.node {
                Item::Rule(rule) => Some(rule.name.span),
                _ => None,
            })
            .collect();
        let limits = [
            (
                &self.classes.spans,
                MAX_RECIPIENT_CLASSES,
                "recipient classes",
            ),
            (&self.fact_names.spans, MAX_FACTS, "facts"),
            (&rule_spans, MAX_RULES, "rules"),
        ];
        let over: Vec<Diagnostic> = limits
            .into_iter()
            .filter_map(|(spans, max, what)| {
                let span = spans.get(max)?;
                Some(
                    Diagnostic::error(Code::E014, format!("more than {max} {what}"))
                        .at(*span, format!("one of {} {what}", spans.len())),
                )
            })
            .collect();
        self.diagnostics.extend(over);
        let pairs = self.scopes.len().saturating_mul(self.events.len());
        if pairs > MAX_SCOPE_EVENT_PAIRS
            && let Some(span) = self.events.spans.last()
        {
            let span = *span;
            self.report(
                Diagnostic::error(
                    Code::E014,
                    format!(
                        "{} scopes and {} events make more than {MAX_SCOPE_EVENT_PAIRS} (scope, event) pairs",
                        self.scopes.len(),
                        self.events.len()
                    ),
                )
                .at(span, "the last event declared")
                .help("the decision table has a cell for every pair: split the rule set"),
            );
        }
    }

    pub(super) fn facts(&mut self, items: &[&Spanned<Item>]) -> Vec<Fact> {
        let mut facts = Vec::new();
        for item in items {
            if let Item::Fact(decl) = &item.node
                && self.fact_names.get(&decl.name.node) == Some(facts.len())
            {
                facts.push(self.fact(decl));
            }
        }
        facts
    }

    fn fact(&mut self, decl: &ast::FactDecl) -> Fact {
        let domain = match &decl.domain.node {
            ast::FactDomain::Bool => Domain::boolean(),
            ast::FactDomain::Enum(values) => {
                let mut seen = Namespace::new("value");
                for value in values {
                    let result = seen.declare(value).map_err(|d| Diagnostic {
                        message: format!("value `{}` is listed twice", value.node),
                        ..d
                    });
                    self.report_err(result);
                }
                if seen.len() > MAX_FACT_VALUES {
                    let first_too_many = seen.spans[MAX_FACT_VALUES];
                    self.report(
                        Diagnostic::error(
                            Code::E014,
                            format!(
                                "fact `{}` has more than {MAX_FACT_VALUES} values",
                                decl.name.node
                            ),
                        )
                        .at(
                            first_too_many,
                            format!("value {} of {}", MAX_FACT_VALUES + 1, seen.len()),
                        ),
                    );
                    seen.names.truncate(MAX_FACT_VALUES);
                }
                Domain::Enum(seen.names)
            }
        };
        let mut fact = Fact {
            name: decl.name.node.clone(),
            domain,
            default: 0,
        };
        match &decl.default {
            None => self.report(
                Diagnostic::error(
                    Code::E011,
                    format!("fact `{}` has no default", decl.name.node),
                )
                .at(decl.name.span, "no `= value`")
                .help(format!(
                    "add the value events have when they do not say, e.g. `= {}`",
                    fact.value_name(0)
                )),
            ),
            Some(value) => {
                if let Some(index) = self.report_err(value_index(&fact, value)) {
                    fact.default = index;
                }
            }
        }
        fact
    }

    pub(super) fn recipients(&mut self, items: &[&Spanned<Item>]) -> Vec<RecipientClass> {
        let mut classes = Vec::new();
        let mut policy_class: Option<Span> = None;
        for item in items {
            let Item::Recipient(decl) = &item.node else {
                continue;
            };
            if self.classes.get(&decl.name.node) != Some(classes.len()) {
                continue;
            }
            let mut class = RecipientClass {
                name: decl.name.node.clone(),
                label: decl.label.node.clone(),
                row: None,
                while_activated: false,
                from_policy: false,
            };
            let mut seen: Vec<(&'static str, Span)> = Vec::new();
            for option in &decl.options {
                let word = match &option.node {
                    ast::RecipientOption::Row(row) => {
                        match PolicyRow::from_keyword(&row.node) {
                            Some(r) => class.row = Some(r),
                            None => self.report(unknown_keyword(
                                "policy row",
                                row,
                                PolicyRow::ALL.iter().map(|r| r.keyword()),
                            )),
                        }
                        "row"
                    }
                    ast::RecipientOption::WhileActivated => {
                        class.while_activated = true;
                        "while activated"
                    }
                    ast::RecipientOption::FromPolicy => {
                        class.from_policy = true;
                        "from policy"
                    }
                };
                self.once_per_declaration(Code::E005, &mut seen, word, option.span);
            }
            if class.from_policy {
                if let Some(first) = policy_class {
                    self.report(
                        Diagnostic::error(Code::E005, "two recipient classes are `from policy`")
                            .at(decl.name.span, "second `from policy` class")
                            .also(first, "first one"),
                    );
                }
                policy_class = Some(decl.name.span);
                if class.row.is_some() {
                    self.report(
                        Diagnostic::error(Code::E007, "a `from policy` class cannot have a `row`")
                            .at(decl.name.span, "both `row` and `from policy`")
                            .help("the policy adds these addresses to whichever row lists them"),
                    );
                }
            }
            classes.push(class);
        }
        classes
    }

    pub(super) fn events(&mut self, items: &[&Spanned<Item>]) -> Vec<Event> {
        let mut events = Vec::new();
        for item in items {
            let Item::Event(decl) = &item.node else {
                continue;
            };
            if self.events.get(&decl.name.node) != Some(events.len()) {
                continue;
            }
            let mut event = Event {
                name: decl.name.node.clone(),
                label: decl.label.node.clone(),
                critical: false,
                section: EventSection::None,
                occurs_in: Vec::new(),
            };
            let mut seen = Vec::new();
            for option in &decl.options {
                let word = match &option.node {
                    ast::EventOption::Critical => {
                        event.critical = true;
                        "critical"
                    }
                    ast::EventOption::Section(spec) => {
                        if let Some(section) = self.section(spec) {
                            event.section = section;
                        }
                        "section"
                    }
                    ast::EventOption::OccursIn(scopes) => {
                        if let Some(ids) = self.resolve_scopes(scopes) {
                            event.occurs_in = ids;
                        }
                        "occurs in"
                    }
                };
                self.once_per_declaration(Code::E005, &mut seen, word, option.span);
            }
            events.push(event);
        }
        events
    }

    fn section(&mut self, spec: &ast::SectionSpec) -> Option<EventSection> {
        let keyword = |checker: &mut Checker, name: &ast::Name| {
            let found = PolicySection::from_keyword(&name.node);
            if found.is_none() {
                checker.report(unknown_keyword(
                    "policy section",
                    name,
                    PolicySection::ALL.iter().map(|s| s.keyword()),
                ));
            }
            found
        };
        match spec {
            ast::SectionSpec::Fixed(name) => keyword(self, name).map(EventSection::Fixed),
            ast::SectionSpec::ByFact { fact, cases } => {
                let fact_id = self.report_err(self.fact_names.resolve(fact, &[]))?;
                let declared = self.facts.get(fact_id)?.clone();
                let mut sections: Vec<Option<PolicySection>> = vec![None; declared.values().len()];
                let mut complete = true;
                for (value, section) in cases {
                    let index = self.report_err(value_index(&declared, value));
                    let section = keyword(self, section);
                    match (index, section) {
                        (Some(i), Some(s)) if sections[i].is_none() => sections[i] = Some(s),
                        (Some(_), Some(_)) => self.report(
                            Diagnostic::error(
                                Code::E005,
                                format!("`{}` is placed twice", value.node),
                            )
                            .at(value.span, "already mapped to a section"),
                        ),
                        _ => complete = false,
                    }
                }
                let unplaced: Vec<&str> = sections
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.is_none())
                    .map(|(i, _)| declared.value_name(i))
                    .collect();
                if complete && !unplaced.is_empty() {
                    self.report(
                        Diagnostic::error(
                            Code::E012,
                            format!("`section by {}` does not place every value", fact.node),
                        )
                        .at(
                            fact.span,
                            format!("no section for {}", backticked(&unplaced)),
                        )
                        .help("add `value -> section` for each missing value"),
                    );
                }
                let sections: Option<Vec<PolicySection>> = sections.into_iter().collect();
                sections.map(|sections| EventSection::ByFact {
                    fact: FactId(fact_id),
                    sections,
                })
            }
        }
    }

    pub(super) fn templates(&mut self, items: &[&Spanned<Item>]) -> Vec<Template> {
        let mut templates = Vec::new();
        for item in items {
            if let Item::Template(decl) = &item.node
                && self.templates.get(&decl.name.node) == Some(templates.len())
            {
                templates.push(Template {
                    name: decl.name.node.clone(),
                    description: decl.description.as_ref().map(|d| d.node.clone()),
                });
            }
        }
        templates
    }

    pub(super) fn scopes(&mut self, items: &[&Spanned<Item>]) -> Vec<Scope> {
        let mut scopes = Vec::new();
        for item in items {
            if let Item::Scope(decl) = &item.node
                && self.scopes.get(&decl.name.node) == Some(scopes.len())
            {
                scopes.push(Scope {
                    name: decl.name.node.clone(),
                    label: decl.label.node.clone(),
                });
            }
        }
        scopes
    }
}
