//! The checked rule set: what the check stage produces and every later stage consumes.
//! Every name is resolved to an index into the vocabulary; conditions are over fact indices.

use crate::source::Span;
use crate::syntax::condition_text::{ConditionText, FactTestText, Operator};
use serde::{Deserialize, Serialize};
use shape::{RuleShape, Service};
use std::borrow::Cow;

pub mod shape;
pub mod tenant;

macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub usize);
    )*};
}

index_type!(
    /// A scope in [`Vocabulary::scopes`].
    ScopeId,
    /// An event in [`Vocabulary::events`].
    EventId,
    /// A recipient class in [`Vocabulary::recipients`].
    ClassId,
    /// A fact in [`Vocabulary::facts`].
    FactId,
    /// A template in [`Vocabulary::templates`].
    TemplateId,
    /// A rule in [`RuleSet::rules`].
    RuleId,
);

/// Most values a fact may have (a value set is a 64-bit mask).
pub const MAX_FACT_VALUES: usize = 64;
/// Most recipient classes a rule set may declare (a class set is a 128-bit mask).
pub const MAX_RECIPIENT_CLASSES: usize = 128;
/// Most facts a rule set may declare (every row of the decision table holds a mask per fact).
pub const MAX_FACTS: usize = 64;
/// Most rules a rule set may have.
pub const MAX_RULES: usize = 250_000;
/// Most (scope, event) pairs (scopes × events): the decision table has a cell for each.
pub const MAX_SCOPE_EVENT_PAIRS: usize = 1 << 20;

/// A checked rule set: header, vocabulary, rules and tests.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub vocabulary: Vocabulary,
    pub rules: Vec<Rule>,
    pub tests: Vec<Test>,
    /// tenant notification settings, one per role
    pub settings: Vec<RoleSettings>,
}

/// A tenant's notification settings for one role: those of Graph's nine notification rules that
/// the settings state (the others are Graph's defaults when evaluated, and never written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSettings {
    /// the role's name: its display name, or an id when the source named none
    pub name: String,
    pub span: Span,
    pub target: RoleTarget,
    /// Entra roles: the role definition id; Azure roles: the scoped role definition id
    pub role_id: Option<Spanned<String>>,
    pub group_id: Option<Spanned<String>>,
    /// the policy's id (Graph: `DirectoryRole_…`/`Group_…`; ARM: the policy's resource id)
    pub policy_id: Option<Spanned<String>>,
    /// whether activating the role needs approval, when the settings say
    pub approval_required: Option<bool>,
    /// the uninterpreted fields of every rule, as the tenant returned them (`rule-shape`)
    pub shape: Option<Spanned<RuleShape>>,
    /// the stated rules' settings, by (section, row)
    pub policy: tenant::NotificationPolicy,
    /// the stated rules, in the order written
    pub lines: Vec<SettingLine>,
}

/// One stated notification rule of a role: `SECTION ROW: …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingLine {
    pub section: PolicySection,
    pub row: PolicyRow,
    pub span: Span,
    /// this rule's own shape (`shape {…}`), when it differs from the block's
    pub shape: Option<Spanned<RuleShape>>,
}

/// A value and where it is written.
pub type Spanned<T> = crate::syntax::ast::Spanned<T>;

/// The kind of role settings are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleTarget {
    EntraRole,
    /// a role of PIM for Groups: `Some(true)` for the member role, `Some(false)` for the owner
    /// role, `None` when the source did not say which
    Group {
        member: Option<bool>,
    },
    AzureRole {
        scope: String,
    },
}

impl RoleSettings {
    /// Whether `key` names these settings: their name, or one of their ids (an Azure role's
    /// scoped role definition id also by its last segment, the role's GUID).
    pub fn answers_to(&self, key: &str) -> bool {
        let id = |id: &Option<Spanned<String>>| {
            id.as_ref().is_some_and(|id| {
                id.node.eq_ignore_ascii_case(key)
                    || id
                        .node
                        .rsplit_once('/')
                        .is_some_and(|(_, last)| last.eq_ignore_ascii_case(key))
            })
        };
        self.name == key || id(&self.role_id) || id(&self.group_id) || id(&self.policy_id)
    }

    /// The shape of a stated line's rule: its own, the block's, or the one Microsoft documents.
    pub fn shape_of(&self, line: &SettingLine) -> RuleShape {
        line.shape
            .as_ref()
            .or(self.shape.as_ref())
            .map(|s| s.node.clone())
            .unwrap_or_else(|| RuleShape::documented(self.service()))
    }

    /// Graph for Entra roles and groups, ARM for Azure roles.
    pub fn service(&self) -> Service {
        match self.target {
            RoleTarget::AzureRole { .. } => Service::Arm,
            _ => Service::Graph,
        }
    }
}

/// Everything a rule set declares, and its header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vocabulary {
    pub header: Header,
    pub scopes: Vec<Scope>,
    pub recipients: Vec<RecipientClass>,
    pub events: Vec<Event>,
    pub facts: Vec<Fact>,
    pub templates: Vec<Template>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub version: Option<String>,
    pub sender: Sender,
    pub subject_prefix: String,
    /// the most recipients one event emails; `None` when the rule set sets no cap
    pub max_recipients: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    pub display_name: String,
    pub address: String,
}

impl std::fmt::Display for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} <{}>", self.display_name, self.address)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub name: String,
    pub label: String,
}

/// The row of a tenant's notification policy (Graph's `recipientType`) a class belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyRow {
    Admin,
    Requestor,
    Approver,
}

impl PolicyRow {
    pub const ALL: [PolicyRow; 3] = [PolicyRow::Admin, PolicyRow::Requestor, PolicyRow::Approver];

    pub fn keyword(self) -> &'static str {
        match self {
            PolicyRow::Admin => "admin",
            PolicyRow::Requestor => "requestor",
            PolicyRow::Approver => "approver",
        }
    }

    /// The word Graph uses in rule ids: `Notification_{Admin|Requestor|Approver}_…`.
    pub fn graph_name(self) -> &'static str {
        match self {
            PolicyRow::Admin => "Admin",
            PolicyRow::Requestor => "Requestor",
            PolicyRow::Approver => "Approver",
        }
    }

    pub fn from_keyword(word: &str) -> Option<Self> {
        PolicyRow::ALL.into_iter().find(|r| r.keyword() == word)
    }
}

/// A section of a tenant's notification policy: which kind of assignment an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicySection {
    EligibleAssignment,
    ActiveAssignment,
    Activation,
}

impl PolicySection {
    pub const ALL: [PolicySection; 3] = [
        PolicySection::EligibleAssignment,
        PolicySection::ActiveAssignment,
        PolicySection::Activation,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            PolicySection::EligibleAssignment => "eligible-assignment",
            PolicySection::ActiveAssignment => "active-assignment",
            PolicySection::Activation => "activation",
        }
    }

    /// The suffix Graph uses in rule ids: `Notification_…_{Admin_Eligibility|…}`.
    pub fn graph_name(self) -> &'static str {
        match self {
            PolicySection::EligibleAssignment => "Admin_Eligibility",
            PolicySection::ActiveAssignment => "Admin_Assignment",
            PolicySection::Activation => "EndUser_Assignment",
        }
    }

    pub fn from_keyword(word: &str) -> Option<Self> {
        PolicySection::ALL.into_iter().find(|s| s.keyword() == word)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientClass {
    pub name: String,
    pub label: String,
    /// the policy row whose settings govern this class; `None`: the policy never changes it
    pub row: Option<PolicyRow>,
    /// only people whose role is active are emailed (the documents' "(Activated)")
    pub while_activated: bool,
    /// this class stands for the additional recipients a tenant policy adds
    pub from_policy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub name: String,
    pub label: String,
    pub critical: bool,
    pub section: EventSection,
    /// the scopes the event is declared to occur in (`occurs in …`); empty when not declared
    pub occurs_in: Vec<ScopeId>,
}

/// Which policy section governs an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventSection {
    /// outside the tenant policy (the policy never changes who gets it)
    None,
    Fixed(PolicySection),
    /// chosen by a fact: `sections[v]` for value index `v`
    ByFact {
        fact: FactId,
        sections: Vec<PolicySection>,
    },
}

impl EventSection {
    pub fn resolve(&self, facts: &FactValues) -> Option<PolicySection> {
        match self {
            EventSection::None => None,
            EventSection::Fixed(section) => Some(*section),
            EventSection::ByFact { fact, sections } => sections.get(facts.get(*fact)).copied(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub name: String,
    pub domain: Domain,
    /// index of the default value in the domain
    pub default: usize,
}

impl Fact {
    pub fn values(&self) -> &[String] {
        self.domain.values()
    }

    pub fn value_name(&self, index: usize) -> &str {
        self.values().get(index).map_or("?", String::as_str)
    }

    pub fn value_index(&self, name: &str) -> Option<usize> {
        self.values().iter().position(|v| v == name)
    }

    /// The mask with every value of the domain.
    pub fn full_mask(&self) -> u64 {
        let n = self.values().len();
        if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }
    }
}

/// The values a fact can take. A `bool` is the domain `false | true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Domain {
    Bool(Vec<String>),
    Enum(Vec<String>),
}

impl Domain {
    pub fn boolean() -> Domain {
        Domain::Bool(vec!["false".to_owned(), "true".to_owned()])
    }

    pub fn values(&self) -> &[String] {
        match self {
            Domain::Bool(v) | Domain::Enum(v) => v,
        }
    }

    pub fn is_bool(&self) -> bool {
        matches!(self, Domain::Bool(_))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub name: String,
    pub description: Option<String>,
}

/// One value per fact (an index into its domain): the facts of one event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FactValues(pub Vec<u8>);

impl FactValues {
    /// Every fact at its declared default.
    pub fn defaults(vocabulary: &Vocabulary) -> Self {
        FactValues(vocabulary.facts.iter().map(|f| f.default as u8).collect())
    }

    pub fn get(&self, fact: FactId) -> usize {
        self.0.get(fact.0).copied().unwrap_or(0) as usize
    }

    pub fn set(&mut self, fact: FactId, value: usize) {
        if let Some(slot) = self.0.get_mut(fact.0) {
            *slot = value as u8;
        }
    }
}

/// A checked rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub span: Span,
    pub events: Vec<EventId>,
    pub scopes: Vec<ScopeId>,
    pub notify: Vec<ClassId>,
    pub condition: Option<Condition>,
    /// where the condition is written (the rule's span when it has none)
    pub condition_span: Span,
    /// the `template` clause, if the rule has one
    pub explicit_template: Option<TemplateId>,
    /// the template of each event in `events`: the explicit one, else the event's namesake
    pub templates: Vec<TemplateId>,
}

/// A condition over facts, with every name resolved. Kept in the shape it was written, for
/// explanations; [`Condition::holds`] evaluates it directly (the reference semantics).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    Any(Vec<Condition>),
    All(Vec<Condition>),
    Not(Box<Condition>),
    Atom(Atom),
}

/// A test of one fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Atom {
    pub fact: FactId,
    pub test: AtomTest,
    /// the values as written (a bit per value index)
    pub written: u64,
}

/// How an atom was written; it decides which values make it true.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AtomTest {
    IsTrue,
    Equals,
    NotEquals,
    In,
    NotIn,
}

impl Atom {
    /// The values of the fact for which the atom holds.
    pub fn accepted(&self, fact: &Fact) -> u64 {
        match self.test {
            AtomTest::IsTrue | AtomTest::Equals | AtomTest::In => self.written,
            AtomTest::NotEquals | AtomTest::NotIn => fact.full_mask() & !self.written,
        }
    }
}

impl Condition {
    /// Evaluate directly over the facts of an event.
    pub fn holds(&self, vocabulary: &Vocabulary, facts: &FactValues) -> bool {
        match self {
            Condition::Any(parts) => parts.iter().any(|c| c.holds(vocabulary, facts)),
            Condition::All(parts) => parts.iter().all(|c| c.holds(vocabulary, facts)),
            Condition::Not(inner) => !inner.holds(vocabulary, facts),
            Condition::Atom(atom) => vocabulary
                .facts
                .get(atom.fact.0)
                .is_some_and(|fact| atom.accepted(fact) & (1u64 << facts.get(atom.fact)) != 0),
        }
    }

    /// The condition in the language's syntax, with the same parentheses `fmt` would write
    /// (one printer prints both: see [`crate::syntax::condition_text`]).
    pub fn display<'a>(&'a self, vocabulary: &'a Vocabulary) -> ConditionText<'a> {
        let parts = |parts: &'a [Condition]| parts.iter().map(|p| p.display(vocabulary)).collect();
        match self {
            Condition::Any(operands) => ConditionText::Any(parts(operands)),
            Condition::All(operands) => ConditionText::All(parts(operands)),
            Condition::Not(inner) => ConditionText::Not(Box::new(inner.display(vocabulary))),
            Condition::Atom(atom) => ConditionText::Test(atom.display(vocabulary)),
        }
    }
}

impl Atom {
    /// The test as written; an atom of a fact the vocabulary does not have is `?`.
    fn display<'a>(&self, vocabulary: &'a Vocabulary) -> FactTestText<'a> {
        let Some(fact) = vocabulary.facts.get(self.fact.0) else {
            return FactTestText {
                fact: Cow::Borrowed("?"),
                operator: Operator::IsTrue,
                values: Vec::new(),
            };
        };
        let operator = match self.test {
            AtomTest::IsTrue => Operator::IsTrue,
            AtomTest::Equals => Operator::Equals,
            AtomTest::NotEquals => Operator::NotEquals,
            AtomTest::In => Operator::In,
            AtomTest::NotIn => Operator::NotIn,
        };
        FactTestText {
            fact: Cow::Borrowed(&fact.name),
            operator,
            values: (0..fact.values().len())
                .filter(|v| self.written & (1u64 << v) != 0)
                .map(|v| Cow::Borrowed(fact.value_name(v)))
                .collect(),
        }
    }
}

/// A checked test block.
#[derive(Debug, Clone)]
pub struct Test {
    pub name: String,
    pub span: Span,
    /// `policy "file.json"`: the path as written, and where (relative to that file)
    pub policy: Option<(String, Span)>,
    /// `role "NAME"`: the index of the settings in [`RuleSet::settings`]
    pub role: Option<usize>,
    pub scope: ScopeId,
    pub event: EventId,
    pub facts: FactValues,
    pub expectations: Vec<(Span, Expectation)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    Present(Vec<ClassId>),
    Absent(Vec<ClassId>),
    Exactly(Vec<ClassId>),
}

impl Vocabulary {
    pub fn scope(&self, name: &str) -> Option<ScopeId> {
        self.scopes.iter().position(|s| s.name == name).map(ScopeId)
    }

    pub fn event(&self, name: &str) -> Option<EventId> {
        self.events.iter().position(|s| s.name == name).map(EventId)
    }

    pub fn class(&self, name: &str) -> Option<ClassId> {
        self.recipients
            .iter()
            .position(|s| s.name == name)
            .map(ClassId)
    }

    pub fn fact(&self, name: &str) -> Option<FactId> {
        self.facts.iter().position(|s| s.name == name).map(FactId)
    }

    pub fn scope_name(&self, id: ScopeId) -> &str {
        self.scopes.get(id.0).map_or("?", |s| s.name.as_str())
    }

    pub fn event_name(&self, id: EventId) -> &str {
        self.events.get(id.0).map_or("?", |s| s.name.as_str())
    }

    pub fn class_name(&self, id: ClassId) -> &str {
        self.recipients.get(id.0).map_or("?", |s| s.name.as_str())
    }

    pub fn template_name(&self, id: TemplateId) -> &str {
        self.templates.get(id.0).map_or("?", |s| s.name.as_str())
    }

    /// The class that carries a tenant policy's additional recipients, if declared.
    pub fn policy_class(&self) -> Option<ClassId> {
        self.recipients
            .iter()
            .position(|r| r.from_policy)
            .map(ClassId)
    }
}
