//! The messages an email is made of, and the Fluent variables each is given: the one list the
//! [`Composer`](super::content::Composer) formats by and the catalogue check (E017) goes by.
//!
//! [`variables`] gives each fact by its name (`$duration`),
//! `$scope`, `$event` and `$recipient` (the names of the scope, the event and the recipient's
//! first class, for selectors), and — except in links (`.link`), which get only those names,
//! never the instance's text — the instance's `$assignee`, `$requestor` (the assignee when not
//! given), `$approver`, `$role`, `$resource`, `$organization`, `$application`, `$start`, `$end`
//! and `$justification` (a value the instance does not give reads as the locale's
//! `email-missing`), `$scope-label` and `$sender`; `email-subject` also `$prefix` and `$title`,
//! `email-because` `$classes`. Instance values override facts of the same name.

use crate::instance::Details;
use crate::ruleset::Vocabulary;

/// The messages every locale needs besides its templates: the parts of every email.
pub const EMAIL_MESSAGES: &[&str] = &[
    "email-subject",
    "email-details",
    "email-because",
    "email-footer",
    "email-missing",
    "email-field-assignee",
    "email-field-requestor",
    "email-field-approver",
    "email-field-role",
    "email-field-scope",
    "email-field-resource",
    "email-field-organization",
    "email-field-application",
    "email-field-start",
    "email-field-end",
    "email-field-justification",
    "email-field-more-failures",
    "email-field-users-activated",
    "email-field-users-made-permanent",
    "email-field-assignments-in-pim",
    "email-field-assignments-outside-pim",
    "email-field-top-roles",
];

/// A Fluent variable the [`Composer`](super::content::Composer) sets, named by where its value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variable<'v> {
    /// a fact of the rule set, by its index and name: the name of the event's value
    Fact(usize, &'v str),
    /// the scope's name
    Scope,
    /// the event's name
    Event,
    /// the name of the recipient's first class (empty in the parts every recipient shares)
    Recipient,
    /// a person (shown by name) or text field of the instance, by field name
    Detail(&'static str),
    /// the scope's label
    ScopeLabel,
    /// the sender's display name
    Sender,
    /// the rule set's subject prefix (`email-subject`)
    Prefix,
    /// the localised heading (`email-subject`)
    Title,
    /// the labels of the recipient's classes (`email-because`)
    Classes,
}

impl<'v> Variable<'v> {
    /// The variable's name in a message (`duration` for `$duration`).
    pub fn name(&self) -> &'v str {
        match self {
            Variable::Fact(_, name) => name,
            Variable::Scope => "scope",
            Variable::Event => "event",
            Variable::Recipient => "recipient",
            Variable::Detail(name) => name,
            Variable::ScopeLabel => "scope-label",
            Variable::Sender => "sender",
            Variable::Prefix => "prefix",
            Variable::Title => "title",
            Variable::Classes => "classes",
        }
    }
}

/// The variables the [`Composer`](super::content::Composer) sets when it formats message `id` (its value, or its
/// `attribute`), in the order it sets them (of two with one name, the later wins); `None` for
/// what it never formats by itself (a message only other messages reference). Links get the
/// names only (facts, scope, event, recipient), never the instance's text; `email-missing`,
/// which stands in for that text, the names too; labels nothing. The one list the Composer
/// formats by and the check of the catalogues (E017) goes by.
pub fn variables<'v>(
    vocabulary: &'v Vocabulary,
    id: &str,
    attribute: Option<&str>,
) -> Option<Vec<Variable<'v>>> {
    let names = || {
        let facts = vocabulary.facts.iter().enumerate();
        facts
            .map(|(i, fact)| Variable::Fact(i, fact.name.as_str()))
            .chain([Variable::Scope, Variable::Event, Variable::Recipient])
    };
    let words = || {
        let none = Details::default();
        let people = none.people().map(|(name, _)| name);
        let texts = none.texts().map(|(name, _)| name);
        names()
            .chain(people.into_iter().chain(texts).map(Variable::Detail))
            .chain([Variable::ScopeLabel, Variable::Sender])
    };
    let label_of = |kind: &str| id.strip_prefix(kind);
    if vocabulary.templates.iter().any(|t| t.name == id) {
        return match attribute {
            None | Some("summary" | "action") => Some(words().collect()),
            Some("link") => Some(names().collect()),
            Some(_) => None,
        };
    }
    if attribute.is_some() {
        return None;
    }
    match id {
        "email-subject" => Some(words().chain([Variable::Prefix, Variable::Title]).collect()),
        "email-because" => Some(words().chain([Variable::Classes]).collect()),
        "email-missing" => Some(names().collect()),
        _ if EMAIL_MESSAGES.contains(&id) => Some(words().collect()),
        _ if label_of("class-")
            .is_some_and(|c| vocabulary.recipients.iter().any(|r| r.name == c))
            || label_of("scope-")
                .is_some_and(|s| vocabulary.scopes.iter().any(|d| d.name == s)) =>
        {
            Some(Vec::new())
        }
        _ => None,
    }
}
