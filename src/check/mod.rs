//! Check stage: the AST of one program → a [`RuleSet`] with every name resolved, or located
//! diagnostics (unknown names with suggestions, duplicates, type errors, missing header fields).

mod names;
mod rules;
mod settings;

pub use names::MAX_SUGGESTIONS;

use crate::address;
use crate::diagnostic::{Code, Collected, Diagnostic};
use crate::load::{Loaded, Program};
use crate::ruleset::*;
use crate::source::Span;
use crate::syntax::ast::{self, Item, Spanned};
use names::Namespace;

/// Check one program. Returns the rule set, or the errors found (capped per file and code).
pub fn check(loaded: &Loaded, program: &Program) -> Result<RuleSet, Vec<Diagnostic>> {
    check_collected(loaded, program).map_err(Collected::into_vec)
}

/// [`check`], its errors still open to more of the same run (capped once, over all stages).
pub(crate) fn check_collected(loaded: &Loaded, program: &Program) -> Result<RuleSet, Collected> {
    let items: Vec<&Spanned<Item>> = loaded
        .modules_of(program)
        .flat_map(|(_, module)| module.items.iter())
        .collect();
    let mut checker = Checker::new(Span::new(program.root, 0..0));
    checker.declare_names(&items);
    let header = checker.header(&items);
    let facts = checker.facts(&items);
    checker.facts = facts;
    let recipients = checker.recipients(&items);
    let events = checker.events(&items);
    let templates = checker.templates(&items);
    let scopes = checker.scopes(&items);
    let rules = checker.rules(&items);
    let settings = checker.settings(&items);
    let tests = checker.tests(&items);
    let Checker {
        diagnostics, facts, ..
    } = checker;
    match header {
        Some(header) if diagnostics.is_empty() => Ok(RuleSet {
            vocabulary: Vocabulary {
                header,
                scopes,
                recipients,
                events,
                facts,
                templates,
            },
            rules,
            tests,
            settings,
        }),
        _ => Err(diagnostics),
    }
}

/// Check only the tenant settings of a program (a settings file needs no rule-set header).
pub fn check_settings(
    loaded: &Loaded,
    program: &Program,
) -> Result<Vec<RoleSettings>, Vec<Diagnostic>> {
    let items: Vec<&Spanned<Item>> = loaded
        .modules_of(program)
        .flat_map(|(_, module)| module.items.iter())
        .collect();
    let mut checker = Checker::new(Span::new(program.root, 0..0));
    let settings = checker.settings(&items);
    if checker.diagnostics.is_empty() {
        Ok(settings)
    } else {
        Err(checker.diagnostics.into_vec())
    }
}

pub(crate) struct Checker {
    diagnostics: Collected,
    scopes: Namespace,
    classes: Namespace,
    events: Namespace,
    fact_names: Namespace,
    templates: Namespace,
    settings_names: Namespace,
    facts: Vec<Fact>,
    /// where to point when something is missing from the whole rule set
    root: Span,
}

impl Checker {
    fn new(root: Span) -> Self {
        Checker {
            diagnostics: Collected::default(),
            scopes: Namespace::new("scope"),
            classes: Namespace::new("recipient class"),
            events: Namespace::new("event"),
            fact_names: Namespace::new("fact"),
            templates: Namespace::new("template"),
            settings_names: Namespace::new("role"),
            facts: Vec::new(),
            root,
        }
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn report_err<T>(&mut self, result: Result<T, Diagnostic>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(diagnostic) => {
                self.report(diagnostic);
                None
            }
        }
    }

    /// Every declaration first, so rules may refer to names declared after them.
    fn declare_names(&mut self, items: &[&Spanned<Item>]) {
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

    /// The header fields, each given once.
    fn header(&mut self, items: &[&Spanned<Item>]) -> Option<Header> {
        let mut ruleset: Option<(&ast::RuleSetDecl, Span)> = None;
        let mut sender: Option<(&ast::SenderDecl, Span)> = None;
        let mut prefix: Option<(&Spanned<String>, Span)> = None;
        let mut cap: Option<(&Spanned<Option<u32>>, Span)> = None;
        for item in items {
            let (field, first) = match &item.node {
                Item::RuleSet(d) => ("ruleset", once(&mut ruleset, d, item.span)),
                Item::Sender(d) => ("sender", once(&mut sender, d, item.span)),
                Item::SubjectPrefix(d) => ("subject-prefix", once(&mut prefix, d, item.span)),
                Item::MaxRecipients(d) => ("max-recipients", once(&mut cap, d, item.span)),
                _ => continue,
            };
            if let Some(first) = first {
                self.report(
                    Diagnostic::error(Code::E005, format!("`{field}` is given twice"))
                        .at(item.span, "given again here")
                        .also(first, "first given here"),
                );
            }
        }
        let anchor = ruleset.map_or(self.root, |(_, span)| span);
        let mut missing = |field: &str, example: &str| {
            self.diagnostics.push(
                Diagnostic::error(Code::E008, format!("the rule set has no `{field}`"))
                    .at(anchor, format!("`{field}` missing"))
                    .help(format!("add `{example}`")),
            );
        };
        if ruleset.is_none() {
            missing("ruleset", "ruleset \"name\" version \"YYYY-MM-DD\"");
        }
        if sender.is_none() {
            missing("sender", "sender \"Display Name\" <noreply@example.com>");
        }
        if prefix.is_none() {
            missing("subject-prefix", "subject-prefix \"PIM: \"");
        }
        if cap.is_none() {
            missing(
                "max-recipients",
                "max-recipients 1000` or `max-recipients unlimited",
            );
        }
        let (ruleset, _) = ruleset?;
        let (sender, _) = sender?;
        let (prefix, _) = prefix?;
        let (cap, _) = cap?;
        if !address::is_valid(&sender.address.node) {
            self.report(
                Diagnostic::error(
                    Code::E010,
                    format!("invalid sender address `{}`", sender.address.node),
                )
                .at(sender.address.span, "not an email address")
                .help("write it as `local@domain.tld`"),
            );
        }
        if cap.node == Some(0) {
            self.report(
                Diagnostic::error(Code::E014, "`max-recipients` must be at least 1")
                    .at(cap.span, "no email could ever be sent"),
            );
        }
        if let Some(bad) =
            control_character(&sender.display_name.node).or_else(|| control_character(&prefix.node))
        {
            let span = if control_character(&sender.display_name.node).is_some() {
                sender.display_name.span
            } else {
                prefix.span
            };
            self.report(
                Diagnostic::error(
                    Code::E010,
                    format!("control character {bad:?} in a header field"),
                )
                .at(span, "would break the email's headers"),
            );
        }
        Some(Header {
            name: ruleset.name.node.clone(),
            version: ruleset.version.as_ref().map(|v| v.node.clone()),
            sender: Sender {
                display_name: sender.display_name.node.clone(),
                address: sender.address.node.clone(),
            },
            subject_prefix: prefix.node.clone(),
            max_recipients: cap.node,
        })
    }

    fn facts(&mut self, items: &[&Spanned<Item>]) -> Vec<Fact> {
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

    fn recipients(&mut self, items: &[&Spanned<Item>]) -> Vec<RecipientClass> {
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

    fn events(&mut self, items: &[&Spanned<Item>]) -> Vec<Event> {
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

    fn templates(&mut self, items: &[&Spanned<Item>]) -> Vec<Template> {
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

    fn scopes(&mut self, items: &[&Spanned<Item>]) -> Vec<Scope> {
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

    /// An option, field or clause given twice in one declaration is a `code` diagnostic: E009
    /// for a clause of a rule or test, E005 for anything else.
    fn once_per_declaration(
        &mut self,
        code: Code,
        seen: &mut Vec<(&'static str, Span)>,
        word: &'static str,
        span: Span,
    ) {
        if let Some((_, first)) = seen.iter().find(|(w, _)| *w == word) {
            let first = *first;
            self.report(
                Diagnostic::error(code, format!("`{word}` is given twice"))
                    .at(span, "given again here")
                    .also(first, "first given here"),
            );
        } else {
            seen.push((word, span));
        }
    }
}

/// Record the first occurrence of a header field; return the span of an earlier one.
fn once<'a, T>(slot: &mut Option<(&'a T, Span)>, value: &'a T, span: Span) -> Option<Span> {
    match slot {
        Some((_, first)) => Some(*first),
        None => {
            *slot = Some((value, span));
            None
        }
    }
}

/// The index of a written value in a fact's domain, or a typed diagnostic.
pub(crate) fn value_index(fact: &Fact, value: &Spanned<ast::Value>) -> Result<usize, Diagnostic> {
    match (&fact.domain, &value.node) {
        (Domain::Bool(_), ast::Value::Bool(b)) => Ok(usize::from(*b)),
        (Domain::Bool(_), ast::Value::Symbol(s)) => Err(Diagnostic::error(
            Code::E007,
            format!(
                "`{}` is a `bool` fact, but `{s}` is not `true` or `false`",
                fact.name
            ),
        )
        .at(value.span, "expected `true` or `false`")),
        (Domain::Enum(values), ast::Value::Symbol(s)) => fact.value_index(s).ok_or_else(|| {
            Diagnostic::error(
                Code::E006,
                format!("`{s}` is not a value of `{}`", fact.name),
            )
            .at(value.span, format!("not one of {}", backticked(values)))
            .with_help(crate::diagnostic::did_you_mean(
                s,
                values.iter().map(String::as_str),
            ))
        }),
        (Domain::Enum(values), ast::Value::Bool(b)) => Err(Diagnostic::error(
            Code::E007,
            format!(
                "`{}` is not a `bool` fact, so it cannot be `{b}`",
                fact.name
            ),
        )
        .at(
            value.span,
            format!("expected one of {}", backticked(values)),
        )),
    }
}

pub(crate) fn unknown_keyword<'a>(
    kind: &str,
    name: &ast::Name,
    choices: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let all: Vec<&str> = choices.clone().collect();
    Diagnostic::error(Code::E004, format!("unknown {kind} `{}`", name.node))
        .at(name.span, format!("not a {kind}"))
        .with_help(
            crate::diagnostic::did_you_mean(&name.node, choices)
                .or_else(|| Some(format!("the {kind}s are {}", backticked_all(&all)))),
        )
}

/// `a`, `b` or `c`
pub(crate) fn backticked<S: AsRef<str>>(items: &[S]) -> String {
    joined(items, "or")
}

/// `a`, `b` and `c`
pub(crate) fn backticked_all<S: AsRef<str>>(items: &[S]) -> String {
    joined(items, "and")
}

fn joined<S: AsRef<str>>(items: &[S], conjunction: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {}", init.join(", "), last),
    }
}

fn control_character(text: &str) -> Option<char> {
    text.chars().find(|c| c.is_control())
}
