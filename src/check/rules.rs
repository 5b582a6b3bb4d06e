//! Checking rules and tests: clauses present once, every name resolved, and conditions
//! type-checked against the facts' domains.

use super::Checker;
use super::messages::value_index;
use super::names::Namespace;
use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::*;
use crate::source::Span;
use crate::syntax::ast::{self, Item, Spanned};
use std::collections::HashMap;

impl Checker {
    pub(super) fn rules(&mut self, items: &[&Spanned<Item>]) -> Vec<Rule> {
        let mut names = Namespace::new("rule");
        let mut rules = Vec::new();
        for item in items {
            let Item::Rule(decl) = &item.node else {
                continue;
            };
            let declared = names.declare(&decl.name);
            if let (Some(_), Some(rule)) = (self.report_err(declared), self.rule(decl, item.span)) {
                rules.push(rule);
            }
        }
        rules
    }

    fn rule(&mut self, decl: &ast::RuleDecl, span: Span) -> Option<Rule> {
        let mut on = None;
        let mut notify = None;
        let mut when = None;
        let mut template = None;
        let mut seen = Vec::new();
        for clause in &decl.clauses {
            let word = match &clause.node {
                ast::RuleClause::On { events, scopes } => {
                    on = Some((events, scopes));
                    "on"
                }
                ast::RuleClause::Notify(classes) => {
                    notify = Some(classes);
                    "notify"
                }
                ast::RuleClause::When(condition) => {
                    when = Some(condition);
                    "when"
                }
                ast::RuleClause::Template(name) => {
                    template = Some(name);
                    "template"
                }
            };
            self.once_per_declaration(Code::E009, &mut seen, word, clause.span);
        }
        let rule_name = &decl.name;
        let missing = |checker: &mut Checker, clause: &str, example: &str| {
            checker.report(
                Diagnostic::error(
                    Code::E009,
                    format!("rule `{}` has no `{clause}` clause", rule_name.node),
                )
                .at(rule_name.span, format!("`{clause}` missing"))
                .help(format!("add `{example}`")),
            );
        };
        if on.is_none() {
            missing(self, "on", "on EVENT, … in SCOPE, …");
        }
        if notify.is_none() {
            missing(self, "notify", "notify CLASS, …");
        }
        let (written_events, scopes) = on?;
        let events = self.resolve_list(written_events, Kind::Event);
        let scopes = self.resolve_list(scopes, Kind::Scope);
        let notify = self.resolve_list(notify?, Kind::Class);
        let condition = match when {
            Some(condition) => Some(self.condition(condition)?),
            None => None,
        };
        let explicit_template = match template {
            Some(name) => Some(TemplateId(self.resolve(name, Kind::Template)?)),
            None => None,
        };
        let events: Vec<EventId> = events?.into_iter().map(EventId).collect();
        let templates = match explicit_template {
            Some(template) => vec![template; events.len()],
            None => self.namesake_templates(written_events, &events)?,
        };
        Some(Rule {
            name: decl.name.node.clone(),
            span,
            events,
            scopes: scopes?.into_iter().map(ScopeId).collect(),
            notify: notify?.into_iter().map(ClassId).collect(),
            condition_span: when.map_or(span, |c| c.span),
            condition,
            explicit_template,
            templates,
        })
    }

    /// Without a `template` clause, each event is sent with the template of the same name.
    fn namesake_templates(
        &mut self,
        written: &[ast::Name],
        events: &[EventId],
    ) -> Option<Vec<TemplateId>> {
        let mut templates = Vec::with_capacity(events.len());
        let mut ok = true;
        for name in written {
            match self.templates.get(&name.node) {
                Some(id) => templates.push(TemplateId(id)),
                None => {
                    ok = false;
                    self.report(
                        Diagnostic::error(
                            Code::E004,
                            format!("no template `{}` for this event", name.node),
                        )
                        .at(name.span, "no template of this name")
                        .help(format!(
                            "declare `template {}` or add a `template NAME` clause to the rule",
                            name.node
                        )),
                    );
                }
            }
        }
        ok.then_some(templates)
    }

    /// The scopes of an `occurs in` list.
    pub(super) fn resolve_scopes(&mut self, scopes: &[ast::Name]) -> Option<Vec<ScopeId>> {
        self.resolve_list(scopes, Kind::Scope)
            .map(|ids| ids.into_iter().map(ScopeId).collect())
    }

    fn namespace(&self, kind: Kind) -> (&Namespace, Vec<&Namespace>) {
        let all = [
            (Kind::Event, &self.events),
            (Kind::Scope, &self.scopes),
            (Kind::Class, &self.classes),
            (Kind::Fact, &self.fact_names),
            (Kind::Template, &self.templates),
        ];
        let own = all
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&self.events, |(_, ns)| *ns);
        let others = all
            .iter()
            .filter(|(k, _)| *k != kind)
            .map(|(_, ns)| *ns)
            .collect();
        (own, others)
    }

    fn resolve(&mut self, name: &ast::Name, kind: Kind) -> Option<usize> {
        let (own, others) = self.namespace(kind);
        let result = own.resolve(name, &others);
        self.report_err(result)
    }

    /// Resolve a list of names; a name listed twice is an E005 diagnostic.
    fn resolve_list(&mut self, names: &[ast::Name], kind: Kind) -> Option<Vec<usize>> {
        let mut ids: Vec<usize> = Vec::with_capacity(names.len());
        let mut ok = true;
        let mut seen = HashMap::with_capacity(names.len());
        for name in names {
            if let Some(first) = seen_before(&mut seen, name) {
                self.report(
                    Diagnostic::error(Code::E005, format!("`{}` is listed twice", name.node))
                        .at(name.span, "listed again here")
                        .also(first, "first listed here"),
                );
                ok = false;
                continue;
            }
            match self.resolve(name, kind) {
                Some(id) => ids.push(id),
                None => ok = false,
            }
        }
        ok.then_some(ids)
    }

    /// Resolve and type-check a condition. Every error inside it is reported.
    fn condition(&mut self, condition: &Spanned<ast::Condition>) -> Option<Condition> {
        match &condition.node {
            ast::Condition::Or(parts) | ast::Condition::And(parts) => {
                let checked: Vec<Option<Condition>> =
                    parts.iter().map(|p| self.condition(p)).collect();
                let checked: Vec<Condition> = checked.into_iter().collect::<Option<_>>()?;
                Some(match condition.node {
                    ast::Condition::Or(_) => Condition::Any(checked),
                    _ => Condition::All(checked),
                })
            }
            ast::Condition::Not(inner) => Some(Condition::Not(Box::new(self.condition(inner)?))),
            ast::Condition::Test { fact, test } => {
                let id = self.resolve(fact, Kind::Fact)?;
                let declared = self.facts.get(id)?.clone();
                let (test_kind, values): (AtomTest, Vec<&Spanned<ast::Value>>) = match test {
                    ast::FactTest::IsTrue => {
                        if !declared.domain.is_bool() {
                            self.report(
                                Diagnostic::error(
                                    Code::E007,
                                    format!(
                                        "`{}` is not a `bool` fact, so it cannot stand alone",
                                        fact.node
                                    ),
                                )
                                .at(fact.span, "needs a comparison")
                                .help(format!(
                                    "compare it with a value, e.g. `{} == {}`",
                                    fact.node,
                                    declared.value_name(declared.default)
                                )),
                            );
                            return None;
                        }
                        return Some(Condition::Atom(Atom {
                            fact: FactId(id),
                            test: AtomTest::IsTrue,
                            written: 1 << 1,
                        }));
                    }
                    ast::FactTest::Equals(v) => (AtomTest::Equals, vec![v]),
                    ast::FactTest::NotEquals(v) => (AtomTest::NotEquals, vec![v]),
                    ast::FactTest::In(vs) => (AtomTest::In, vs.iter().collect()),
                    ast::FactTest::NotIn(vs) => (AtomTest::NotIn, vs.iter().collect()),
                };
                let mut written = 0u64;
                let mut ok = true;
                for value in values {
                    match self.report_err(value_index(&declared, value)) {
                        Some(index) if written & (1 << index) != 0 => {
                            self.report(
                                Diagnostic::error(
                                    Code::E005,
                                    format!("`{}` is listed twice", value.node),
                                )
                                .at(value.span, "listed again here"),
                            );
                            ok = false;
                        }
                        Some(index) => written |= 1 << index,
                        None => ok = false,
                    }
                }
                ok.then_some(Condition::Atom(Atom {
                    fact: FactId(id),
                    test: test_kind,
                    written,
                }))
            }
        }
    }

    pub(super) fn tests(&mut self, items: &[&Spanned<Item>]) -> Vec<Test> {
        let mut names = Namespace::new("test");
        let mut tests = Vec::new();
        for item in items {
            let Item::Test(decl) = &item.node else {
                continue;
            };
            let name = Spanned::new(decl.name.node.clone(), decl.name.span);
            let declared = names.declare(&name);
            if let (Some(_), Some(test)) = (self.report_err(declared), self.test(decl, item.span)) {
                tests.push(test);
            }
        }
        tests
    }

    fn test(&mut self, decl: &ast::TestDecl, span: Span) -> Option<Test> {
        let mut given = None;
        let mut policy: Option<(String, Span)> = None;
        let mut role_clause: Option<(&Spanned<String>, Span)> = None;
        let mut expectations = Vec::new();
        for clause in &decl.clauses {
            match &clause.node {
                ast::TestClause::Policy(path) => {
                    if let Some((_, first)) = &policy {
                        self.report(
                            Diagnostic::error(Code::E009, "a test has at most one `policy` clause")
                                .at(clause.span, "second `policy`")
                                .also(*first, "first `policy`"),
                        );
                        continue;
                    }
                    policy = Some((path.node.clone(), path.span));
                }
                ast::TestClause::Role(role) => {
                    if let Some((_, first)) = &role_clause {
                        self.report(
                            Diagnostic::error(Code::E009, "a test has at most one `role` clause")
                                .at(clause.span, "second `role`")
                                .also(*first, "first `role`"),
                        );
                        continue;
                    }
                    role_clause = Some((role, clause.span));
                }
                ast::TestClause::Given {
                    event,
                    scope,
                    facts,
                } => {
                    if let Some((_, first)) = given {
                        self.report(
                            Diagnostic::error(Code::E009, "a test has one `given` clause")
                                .at(clause.span, "second `given`")
                                .also(first, "first `given`")
                                .help("write a separate test for each event"),
                        );
                        continue;
                    }
                    given = Some(((event, scope, facts), clause.span));
                }
                ast::TestClause::Expect(expectation) => {
                    expectations.push((clause.span, expectation))
                }
            }
        }
        let Some(((event, scope, settings), _)) = given else {
            self.report(
                Diagnostic::error(
                    Code::E009,
                    format!("test \"{}\" has no `given` clause", decl.name.node),
                )
                .at(decl.name.span, "`given` missing")
                .help("add `given EVENT in SCOPE with FACT = VALUE, …`"),
            );
            return None;
        };
        if expectations.is_empty() {
            self.report(
                Diagnostic::error(
                    Code::E009,
                    format!("test \"{}\" expects nothing", decl.name.node),
                )
                .at(decl.name.span, "no `expect` clause")
                .help(
                    "add `expect CLASS`, `expect not CLASS`, `expect exactly …` or `expect nobody`",
                ),
            );
        }
        let event = self.resolve(event, Kind::Event);
        let scope = self.resolve(scope, Kind::Scope);
        if let (Some((first, _)), Some((role, _))) = (&policy, &role_clause) {
            self.report(
                Diagnostic::error(
                    Code::E009,
                    "a test takes a `policy` file or a `role`, not both",
                )
                .at(role.span, "`role` here")
                .help(format!("drop `policy \"{first}\"` or this `role`")),
            );
        }
        let role = match role_clause {
            Some((role, _)) => {
                let name = Spanned::new(role.node.clone(), role.span);
                let found = self.settings_names.resolve(&name, &[]);
                Some(self.report_err(found)?)
            }
            None => None,
        };
        let facts = self.fact_settings(settings);
        let mut checked = Vec::new();
        for (span, expectation) in expectations {
            let resolved = match expectation {
                ast::Expectation::Present(names) => self
                    .resolve_list(names, Kind::Class)
                    .map(|ids| Expectation::Present(class_ids(ids))),
                ast::Expectation::Absent(names) => self
                    .resolve_list(names, Kind::Class)
                    .map(|ids| Expectation::Absent(class_ids(ids))),
                ast::Expectation::Exactly(names) => self
                    .resolve_list(names, Kind::Class)
                    .map(|ids| Expectation::Exactly(class_ids(ids))),
                ast::Expectation::Nobody => Some(Expectation::Exactly(Vec::new())),
            };
            checked.push((span, resolved?));
        }
        Some(Test {
            name: decl.name.node.clone(),
            span,
            policy,
            role,
            scope: ScopeId(scope?),
            event: EventId(event?),
            facts: facts?,
            expectations: checked,
        })
    }

    /// `with f = v, …` over the defaults; each fact set at most once.
    fn fact_settings(
        &mut self,
        settings: &[(ast::Name, Spanned<ast::Value>)],
    ) -> Option<FactValues> {
        let mut values = FactValues(self.facts.iter().map(|f| f.default as u8).collect());
        let mut ok = true;
        let mut seen = HashMap::with_capacity(settings.len());
        for (fact, value) in settings {
            if let Some(first) = seen_before(&mut seen, fact) {
                self.report(
                    Diagnostic::error(Code::E005, format!("fact `{}` is set twice", fact.node))
                        .at(fact.span, "set again here")
                        .also(first, "first set here"),
                );
                ok = false;
                continue;
            }
            let Some(id) = self.resolve(fact, Kind::Fact) else {
                ok = false;
                continue;
            };
            let Some(declared) = self.facts.get(id).cloned() else {
                ok = false;
                continue;
            };
            match self.report_err(value_index(&declared, value)) {
                Some(index) => values.set(FactId(id), index),
                None => ok = false,
            }
        }
        ok.then_some(values)
    }
}

fn class_ids(ids: Vec<usize>) -> Vec<ClassId> {
    ids.into_iter().map(ClassId).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Event,
    Scope,
    Class,
    Fact,
    Template,
}

/// Where `name` was first written, if it was before; else remember it. A list may be as long as
/// an item (a MiB), so duplicates are found in linear time, not by scanning the names before.
fn seen_before<'a>(seen: &mut HashMap<&'a str, Span>, name: &'a ast::Name) -> Option<Span> {
    match seen.entry(name.node.as_str()) {
        std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(name.span);
            None
        }
    }
}
