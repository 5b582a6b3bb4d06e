//! The typed syntax tree of a `.pimrules` file, exactly as written (names not yet resolved).
//! Every node carries its [`Span`]; equality ignores spans, so `parse(print(x)) == x` can be tested.

use super::condition_text::{ConditionText, FactTestText, Operator};
use crate::source::Span;
use std::borrow::Cow;

/// A node and where it was written. Two nodes are equal when their contents are, wherever they are.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T: Eq> Eq for Spanned<T> {}

/// A kebab-case name as written: `privileged-role-administrator`.
pub type Name = Spanned<String>;

/// One parsed file: its top-level items in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Module {
    pub items: Vec<Spanned<Item>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    RuleSet(RuleSetDecl),
    Sender(SenderDecl),
    SubjectPrefix(Spanned<String>),
    /// `max-recipients 1000`, or `max-recipients unlimited` (`None`)
    MaxRecipients(Spanned<Option<u32>>),
    Use(Spanned<String>),
    Scope(ScopeDecl),
    Recipient(RecipientDecl),
    Event(EventDecl),
    Fact(FactDecl),
    Template(TemplateDecl),
    Rule(RuleDecl),
    Test(TestDecl),
    Settings(SettingsDecl),
}

/// `ruleset "entra-pim" version "2025-01-07"`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetDecl {
    pub name: Spanned<String>,
    pub version: Option<Spanned<String>>,
}

/// `sender "Microsoft Security" <MSSecurity-noreply@microsoft.com>`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SenderDecl {
    pub display_name: Spanned<String>,
    pub address: Spanned<String>,
}

/// `scope entra-role "Microsoft Entra roles"`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeDecl {
    pub name: Name,
    pub label: Spanned<String>,
}

/// `recipient global-administrator "Global Administrator" row admin while activated`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientDecl {
    pub name: Name,
    pub label: Spanned<String>,
    pub options: Vec<Spanned<RecipientOption>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecipientOption {
    /// `row admin`: the row of the tenant's notification policy this class belongs to.
    Row(Name),
    /// `while activated`: only people whose role is active are emailed.
    WhileActivated,
    /// `from policy`: the addresses a tenant's notification policy adds (Graph's additional recipients).
    FromPolicy,
}

/// `event approval-pending "Role activation is pending approval" critical section activation`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDecl {
    pub name: Name,
    pub label: Spanned<String>,
    pub options: Vec<Spanned<EventOption>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventOption {
    Critical,
    Section(SectionSpec),
    /// `occurs in entra-role, group`: the scopes where the event happens
    OccursIn(Vec<Name>),
}

/// Which section of the tenant's notification policy governs an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionSpec {
    /// `section activation`
    Fixed(Name),
    /// `section by assignment { eligible -> eligible-assignment, active -> active-assignment }`
    ByFact {
        fact: Name,
        cases: Vec<(Spanned<Value>, Name)>,
    },
}

/// `fact cloud: public | government | china = public`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactDecl {
    pub name: Name,
    pub domain: Spanned<FactDomain>,
    pub default: Option<Spanned<Value>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactDomain {
    Bool,
    Enum(Vec<Name>),
}

/// `template role-assigned "A role was assigned"`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateDecl {
    pub name: Name,
    pub description: Option<Spanned<String>>,
}

/// `rule name { on … in … notify … when … template … }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDecl {
    pub name: Name,
    pub clauses: Vec<Spanned<RuleClause>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleClause {
    On {
        events: Vec<Name>,
        scopes: Vec<Name>,
    },
    Notify(Vec<Name>),
    When(Spanned<Condition>),
    Template(Name),
}

/// A condition over facts. `or` binds loosest, then `and`, then `not`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    Or(Vec<Spanned<Condition>>),
    And(Vec<Spanned<Condition>>),
    Not(Box<Spanned<Condition>>),
    Test { fact: Name, test: FactTest },
}

impl Condition {
    /// The condition as the printer of conditions reads it.
    pub fn text<'a>(&'a self) -> ConditionText<'a> {
        let parts = |parts: &'a [Spanned<Condition>]| parts.iter().map(|p| p.node.text()).collect();
        match self {
            Condition::Or(operands) => ConditionText::Any(parts(operands)),
            Condition::And(operands) => ConditionText::All(parts(operands)),
            Condition::Not(inner) => ConditionText::Not(Box::new(inner.node.text())),
            Condition::Test { fact, test } => {
                let (operator, values): (Operator, &[Spanned<Value>]) = match test {
                    FactTest::IsTrue => (Operator::IsTrue, &[]),
                    FactTest::Equals(value) => (Operator::Equals, std::slice::from_ref(value)),
                    FactTest::NotEquals(value) => {
                        (Operator::NotEquals, std::slice::from_ref(value))
                    }
                    FactTest::In(values) => (Operator::In, values),
                    FactTest::NotIn(values) => (Operator::NotIn, values),
                };
                ConditionText::Test(FactTestText {
                    fact: Cow::Borrowed(&fact.node),
                    operator,
                    values: values.iter().map(|v| v.node.text()).collect(),
                })
            }
        }
    }
}

/// What a condition asks of one fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactTest {
    /// a bare boolean fact: `explicit-approvers`
    IsTrue,
    Equals(Spanned<Value>),
    NotEquals(Spanned<Value>),
    In(Vec<Spanned<Value>>),
    NotIn(Vec<Spanned<Value>>),
}

/// A fact value as written: `true`, `false`, or a name such as `enable`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Bool(bool),
    Symbol(String),
}

impl Value {
    /// The value as written.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Value::Symbol(s) => Cow::Borrowed(s),
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Symbol(s) => f.write_str(s),
        }
    }
}

/// `settings "Global Administrator" for entra-role { activation admin: level critical, … }`:
/// a tenant's notification settings for one role (Graph's nine notification rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsDecl {
    /// the role's display name, as events and `--role` name it
    pub name: Spanned<String>,
    pub target: Spanned<SettingsTarget>,
    pub clauses: Vec<Spanned<SettingsClause>>,
}

/// What kind of role the settings are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsTarget {
    /// `for entra-role`: a Microsoft Entra role
    EntraRole,
    /// `for group member` / `for group owner`: a role of PIM for Groups; `for group` when the
    /// source did not say which of the group's two roles the settings are for
    Group(Option<GroupRole>),
    /// `for azure-role at "/subscriptions/…"`: an Azure role at a scope
    AzureRole { scope: Spanned<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRole {
    Member,
    Owner,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsClause {
    /// `role-id "…"`, `group-id "…"`, `policy-id "…"`
    Id {
        kind: IdKind,
        value: Spanned<String>,
    },
    /// `approval required` / `approval optional`
    Approval(bool),
    /// `rule-shape {…}`: the uninterpreted fields of every rule of the block, as JSON
    Shape(Spanned<String>),
    /// `SECTION ROW: level L, default-recipients on|off, additional {"a@x", …}`
    Setting {
        section: Name,
        row: Name,
        items: Vec<Spanned<SettingItem>>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Role,
    Group,
    Policy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingItem {
    /// `level all|critical|none`
    Level(Name),
    /// `default-recipients on|off`
    DefaultRecipients(bool),
    /// `additional {"a@contoso.com", …}`
    Additional(Vec<Spanned<String>>),
    /// `shape {…}`: the uninterpreted fields of this line's rule, as JSON
    Shape(Spanned<String>),
}

/// `test "…" { given E in S with f = v, … expect … }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestDecl {
    pub name: Spanned<String>,
    pub clauses: Vec<Spanned<TestClause>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestClause {
    Given {
        event: Name,
        scope: Name,
        facts: Vec<(Name, Spanned<Value>)>,
    },
    /// `policy "tenant.json"`: evaluate under this tenant notification policy
    Policy(Spanned<String>),
    /// `role "Global Administrator"`: evaluate under the settings declared for this role
    Role(Spanned<String>),
    Expect(Expectation),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// `expect a, b`: these classes are notified
    Present(Vec<Name>),
    /// `expect not a, b`: these classes are not notified
    Absent(Vec<Name>),
    /// `expect exactly a, b`: exactly these classes are notified
    Exactly(Vec<Name>),
    /// `expect nobody`
    Nobody,
}
