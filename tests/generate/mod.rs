//! proptest strategies for `.pimrules` programs: any syntactically valid AST (for round trips),
//! and well-formed rule sets whose names all resolve (for differential testing).
#![allow(dead_code)]

use pimrules::pipeline::Build;
use pimrules::source::Span;
use pimrules::syntax::ast::*;
use proptest::prelude::*;

fn at<T>(node: T) -> Spanned<T> {
    Spanned::new(node, Span::default())
}

/// A kebab-case name that is not a reserved word.
pub fn ident() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4}){0,2}"
        .prop_filter("not reserved", |s| !pimrules::syntax::is_reserved(s))
}

fn name() -> impl Strategy<Value = Name> {
    ident().prop_map(at)
}

fn names() -> impl Strategy<Value = Vec<Name>> {
    proptest::collection::vec(name(), 1..4)
}

/// The contents of a string literal: anything but a raw carriage return (the grammar has no
/// escape for it), including quotes, backslashes, tabs, newlines and non-ASCII text.
pub fn text() -> impl Strategy<Value = String> {
    "[^\r]{0,12}".prop_map(|s| s.replace('\r', ""))
}

fn value() -> impl Strategy<Value = Spanned<Value>> {
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        ident().prop_map(Value::Symbol)
    ]
    .prop_map(at)
}

fn values() -> impl Strategy<Value = Vec<Spanned<Value>>> {
    proptest::collection::vec(value(), 1..4)
}

fn fact_test() -> impl Strategy<Value = FactTest> {
    prop_oneof![
        Just(FactTest::IsTrue),
        value().prop_map(FactTest::Equals),
        value().prop_map(FactTest::NotEquals),
        values().prop_map(FactTest::In),
        values().prop_map(FactTest::NotIn),
    ]
}

/// Any condition, nested up to a few levels with `not`, `and`, `or`.
pub fn condition() -> impl Strategy<Value = Spanned<Condition>> {
    let leaf = (name(), fact_test()).prop_map(|(fact, test)| at(Condition::Test { fact, test }));
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| at(Condition::Not(Box::new(c)))),
            proptest::collection::vec(inner.clone(), 2..4)
                .prop_map(|parts| at(Condition::Or(parts))),
            proptest::collection::vec(inner, 2..4).prop_map(|parts| at(Condition::And(parts))),
        ]
    })
}

fn rule_clause() -> impl Strategy<Value = Spanned<RuleClause>> {
    prop_oneof![
        (names(), names()).prop_map(|(events, scopes)| RuleClause::On { events, scopes }),
        names().prop_map(RuleClause::Notify),
        condition().prop_map(RuleClause::When),
        name().prop_map(RuleClause::Template),
    ]
    .prop_map(at)
}

fn test_clause() -> impl Strategy<Value = Spanned<TestClause>> {
    let given = (
        name(),
        name(),
        proptest::collection::vec((name(), value()), 0..3),
    )
        .prop_map(|(event, scope, facts)| TestClause::Given {
            event,
            scope,
            facts,
        });
    let expect = prop_oneof![
        names().prop_map(Expectation::Present),
        names().prop_map(Expectation::Absent),
        names().prop_map(Expectation::Exactly),
        Just(Expectation::Nobody),
    ]
    .prop_map(TestClause::Expect);
    let policy = text().prop_map(|path| TestClause::Policy(at(path)));
    prop_oneof![given, expect, policy].prop_map(at)
}

fn item() -> impl Strategy<Value = Spanned<Item>> {
    let recipient_option = prop_oneof![
        name().prop_map(RecipientOption::Row),
        Just(RecipientOption::WhileActivated),
        Just(RecipientOption::FromPolicy),
    ]
    .prop_map(at);
    let section = prop_oneof![
        name().prop_map(SectionSpec::Fixed),
        (name(), proptest::collection::vec((value(), name()), 1..3))
            .prop_map(|(fact, cases)| SectionSpec::ByFact { fact, cases }),
    ];
    let event_option = prop_oneof![
        Just(EventOption::Critical),
        section.prop_map(EventOption::Section),
        names().prop_map(EventOption::OccursIn),
    ]
    .prop_map(at);
    let domain = prop_oneof![
        Just(FactDomain::Bool),
        proptest::collection::vec(name(), 1..5).prop_map(FactDomain::Enum),
    ]
    .prop_map(at);
    prop_oneof![
        (text(), proptest::option::of(text())).prop_map(|(n, v)| Item::RuleSet(RuleSetDecl {
            name: at(n),
            version: v.map(at)
        })),
        (text(), "[a-z]{1,5}@[a-z]{1,5}\\.com").prop_map(|(d, a)| Item::Sender(SenderDecl {
            display_name: at(d),
            address: at(a)
        })),
        text().prop_map(|p| Item::SubjectPrefix(at(p))),
        proptest::option::of(any::<u32>()).prop_map(|n| Item::MaxRecipients(at(n))),
        text().prop_map(|p| Item::Use(at(p))),
        (name(), text()).prop_map(|(name, label)| Item::Scope(ScopeDecl {
            name,
            label: at(label)
        })),
        (
            name(),
            text(),
            proptest::collection::vec(recipient_option, 0..3)
        )
            .prop_map(|(name, label, options)| Item::Recipient(RecipientDecl {
                name,
                label: at(label),
                options
            })),
        (
            name(),
            text(),
            proptest::collection::vec(event_option, 0..3)
        )
            .prop_map(|(name, label, options)| Item::Event(EventDecl {
                name,
                label: at(label),
                options
            })),
        (name(), domain, proptest::option::of(value())).prop_map(|(name, domain, default)| {
            Item::Fact(FactDecl {
                name,
                domain,
                default,
            })
        }),
        (name(), proptest::option::of(text())).prop_map(|(name, d)| Item::Template(TemplateDecl {
            name,
            description: d.map(at)
        })),
        (name(), proptest::collection::vec(rule_clause(), 0..5))
            .prop_map(|(name, clauses)| Item::Rule(RuleDecl { name, clauses })),
        (text(), proptest::collection::vec(test_clause(), 0..4)).prop_map(|(name, clauses)| {
            Item::Test(TestDecl {
                name: at(name),
                clauses,
            })
        }),
    ]
    .prop_map(at)
}

fn settings() -> impl Strategy<Value = Item> {
    let target = prop_oneof![
        Just(SettingsTarget::EntraRole),
        Just(SettingsTarget::Group(None)),
        Just(SettingsTarget::Group(Some(GroupRole::Member))),
        Just(SettingsTarget::Group(Some(GroupRole::Owner))),
        text().prop_map(|scope| SettingsTarget::AzureRole { scope: at(scope) }),
    ]
    .prop_map(at);
    let item = prop_oneof![
        name().prop_map(SettingItem::Level),
        any::<bool>().prop_map(SettingItem::DefaultRecipients),
        proptest::collection::vec(text().prop_map(at), 0..3).prop_map(SettingItem::Additional),
        json_object().prop_map(SettingItem::Shape),
    ]
    .prop_map(at);
    let clause = prop_oneof![
        (
            prop_oneof![
                Just(IdKind::Role),
                Just(IdKind::Group),
                Just(IdKind::Policy)
            ],
            text()
        )
            .prop_map(|(kind, value)| SettingsClause::Id {
                kind,
                value: at(value)
            }),
        any::<bool>().prop_map(SettingsClause::Approval),
        json_object().prop_map(SettingsClause::Shape),
        (name(), name(), proptest::collection::vec(item, 1..4)).prop_map(
            |(section, row, items)| SettingsClause::Setting {
                section,
                row,
                items
            }
        ),
    ]
    .prop_map(at);
    (text(), target, proptest::collection::vec(clause, 0..4)).prop_map(|(name, target, clauses)| {
        Item::Settings(SettingsDecl {
            name: at(name),
            target,
            clauses,
        })
    })
}

/// A JSON object of strings, string lists, nulls and nested objects, as the language writes it.
fn json_object() -> impl Strategy<Value = Spanned<String>> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        text().prop_map(serde_json::Value::from),
        proptest::collection::vec(text(), 0..3).prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::from),
    ];
    let value = leaf.prop_recursive(2, 8, 3, |inner| {
        proptest::collection::vec(("[a-zA-Z@.]{1,12}", inner), 0..3)
            .prop_map(|members| serde_json::Value::Object(members.into_iter().collect()))
    });
    proptest::collection::vec(("[a-zA-Z@.]{1,12}", value), 0..4).prop_map(|members| {
        let object = serde_json::Value::Object(members.into_iter().collect());
        let text = pimrules::json_location::canonical_json(&object.to_string()).unwrap_or_default();
        at(text)
    })
}

/// Any module the grammar can express (names need not resolve).
pub fn module() -> impl Strategy<Value = Module> {
    let any_item = prop_oneof![8 => item(), 1 => settings().prop_map(at)];
    proptest::collection::vec(any_item, 0..12).prop_map(|items| Module { items })
}

// ----- well-formed rule sets -----

/// The shape of a generated vocabulary: counts, each fact's number of values (0 = bool), and
/// for each event the scopes of its `occurs in` (empty: not declared) and whether it is critical.
#[derive(Debug, Clone)]
pub struct Shape {
    pub scopes: usize,
    pub events: usize,
    pub classes: usize,
    pub facts: Vec<usize>,
    pub occurs_in: Vec<Vec<usize>>,
    pub critical: Vec<bool>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        1..=3usize,
        1..=4usize,
        1..=5usize,
        proptest::collection::vec(prop_oneof![Just(0usize), 2..=4usize], 0..=4),
    )
        .prop_flat_map(|(scopes, events, classes, facts)| {
            let per_event = proptest::collection::vec(
                (proptest::option::of(subset(scopes)), any::<bool>()),
                events,
            );
            (Just((scopes, events, classes, facts)), per_event)
        })
        .prop_map(|((scopes, events, classes, facts), per_event)| Shape {
            scopes,
            events,
            classes,
            facts,
            occurs_in: per_event
                .iter()
                .map(|(occurs, _)| occurs.clone().unwrap_or_default())
                .collect(),
            critical: per_event.iter().map(|(_, critical)| *critical).collect(),
        })
}

fn subset(len: usize) -> impl Strategy<Value = Vec<usize>> {
    proptest::sample::subsequence((0..len).collect::<Vec<_>>(), 1..=len)
}

/// A value of fact `f` (index into its domain) as written.
fn fact_value(shape: &Shape, fact: usize, index: usize) -> Value {
    if shape.facts[fact] == 0 {
        Value::Bool(index == 1)
    } else {
        Value::Symbol(format!("v{index}"))
    }
}

fn domain_size(shape: &Shape, fact: usize) -> usize {
    shape.facts[fact].max(2)
}

/// A condition over the shape's facts, with only values in their domains.
fn valid_condition(shape: Shape) -> BoxedStrategy<Spanned<Condition>> {
    let facts = shape.facts.len();
    if facts == 0 {
        return Just(at(Condition::Test {
            fact: at("unused".to_owned()),
            test: FactTest::IsTrue,
        }))
        .prop_filter("no facts", |_| false)
        .boxed();
    }
    let shape_for_leaf = shape.clone();
    let leaf = (
        0..facts,
        0..5usize,
        proptest::collection::vec(0..4usize, 1..4),
    )
        .prop_map(move |(f, kind, picks)| {
            let s = &shape_for_leaf;
            let size = domain_size(s, f);
            let pick = |i: usize| at(fact_value(s, f, i % size));
            let mut distinct: Vec<usize> = picks.iter().map(|p| p % size).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let set: Vec<Spanned<Value>> =
                distinct.iter().map(|i| at(fact_value(s, f, *i))).collect();
            let test = match kind {
                0 if s.facts[f] == 0 => FactTest::IsTrue,
                0 | 1 => FactTest::Equals(pick(picks[0])),
                2 => FactTest::NotEquals(pick(picks[0])),
                3 => FactTest::In(set),
                _ => FactTest::NotIn(set),
            };
            at(Condition::Test {
                fact: at(format!("f{f}")),
                test,
            })
        });
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| at(Condition::Not(Box::new(c)))),
            proptest::collection::vec(inner.clone(), 2..4)
                .prop_map(|parts| at(Condition::Or(parts))),
            proptest::collection::vec(inner, 2..4).prop_map(|parts| at(Condition::And(parts))),
        ]
    })
    .boxed()
}

fn valid_rule(shape: Shape, index: usize) -> impl Strategy<Value = Spanned<Item>> {
    let condition = if shape.facts.is_empty() {
        Just(None).boxed()
    } else {
        proptest::option::of(valid_condition(shape.clone())).boxed()
    };
    (
        subset(shape.events),
        subset(shape.scopes),
        subset(shape.classes),
        condition,
        any::<bool>(),
    )
        .prop_map(
            move |(events, scopes, classes, condition, explicit_template)| {
                let list = |prefix: &str, ids: &[usize]| {
                    ids.iter().map(|i| at(format!("{prefix}{i}"))).collect()
                };
                let mut clauses = vec![
                    at(RuleClause::On {
                        events: list("e", &events),
                        scopes: list("s", &scopes),
                    }),
                    at(RuleClause::Notify(list("c", &classes))),
                ];
                if let Some(condition) = condition {
                    clauses.push(at(RuleClause::When(condition)));
                }
                if explicit_template {
                    clauses.push(at(RuleClause::Template(at("shared".to_owned()))));
                }
                at(Item::Rule(RuleDecl {
                    name: at(format!("rule-{index}")),
                    clauses,
                }))
            },
        )
}

/// `critical` and `occurs in …` as the shape says for event `index`.
fn event_options(shape: &Shape, index: usize) -> Vec<Spanned<EventOption>> {
    let mut options = Vec::new();
    if shape.critical.get(index).copied().unwrap_or(false) {
        options.push(at(EventOption::Critical));
    }
    if let Some(scopes) = shape.occurs_in.get(index).filter(|s| !s.is_empty()) {
        let names = scopes.iter().map(|s| at(format!("s{s}"))).collect();
        options.push(at(EventOption::OccursIn(names)));
    }
    options
}

/// A rule set whose every name resolves: the text, and its shape.
pub fn valid_program() -> impl Strategy<Value = (String, Shape)> {
    shape()
        .prop_flat_map(|shape| {
            let rules: Vec<_> = (0..8).map(|i| valid_rule(shape.clone(), i)).collect();
            (Just(shape), rules, 0..=8usize)
        })
        .prop_map(|(shape, rules, count)| {
            let mut items = vec![
                at(Item::RuleSet(RuleSetDecl {
                    name: at("generated".to_owned()),
                    version: None,
                })),
                at(Item::Sender(SenderDecl {
                    display_name: at("G".to_owned()),
                    address: at("g@contoso.com".to_owned()),
                })),
                at(Item::SubjectPrefix(at("G: ".to_owned()))),
                at(Item::MaxRecipients(at(Some(100)))),
            ];
            let declare = |kind: &str, count: usize| -> Vec<Spanned<Item>> {
                (0..count)
                    .map(|i| {
                        let name = at(format!("{kind}{i}"));
                        let label = at(format!("{kind} {i}"));
                        at(match kind {
                            "s" => Item::Scope(ScopeDecl { name, label }),
                            "e" => Item::Event(EventDecl {
                                name,
                                label,
                                options: event_options(&shape, i),
                            }),
                            _ => Item::Recipient(RecipientDecl {
                                name,
                                label,
                                options: Vec::new(),
                            }),
                        })
                    })
                    .collect()
            };
            items.extend(declare("s", shape.scopes));
            items.extend(declare("e", shape.events));
            items.extend(declare("c", shape.classes));
            for (f, size) in shape.facts.iter().enumerate() {
                let domain = if *size == 0 {
                    FactDomain::Bool
                } else {
                    FactDomain::Enum((0..*size).map(|v| at(format!("v{v}"))).collect())
                };
                items.push(at(Item::Fact(FactDecl {
                    name: at(format!("f{f}")),
                    domain: at(domain),
                    default: Some(at(fact_value(&shape, f, 0))),
                })));
            }
            for e in 0..shape.events {
                items.push(at(Item::Template(TemplateDecl {
                    name: at(format!("e{e}")),
                    description: None,
                })));
            }
            items.push(at(Item::Template(TemplateDecl {
                name: at("shared".to_owned()),
                description: None,
            })));
            items.extend(rules.into_iter().take(count));
            let text = pimrules::fmt::format_module(&Module { items }, "");
            (text, shape)
        })
}

/// A property test's configuration that keeps failing cases in `proptest-regressions/FILE`.
pub fn persisted(file: &'static str) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(file),
        )),
        ..ProptestConfig::default()
    }
}

/// Build a generated program, which must compile without a diagnostic.
pub fn build_generated(text: &str) -> Result<Build, TestCaseError> {
    let build = pimrules::pipeline::build_text("generated.pimrules", text);
    prop_assert!(
        build.diagnostics.is_empty(),
        "{:?}\n{text}",
        build.diagnostics
    );
    Ok(build)
}
