//! Render stage: an [`Instance`] → the emails its event sends, in one locale: decision →
//! recipients → words → HTML and MIME.
//!
//! The decision comes from the decision table ([`Evaluator`], with the instance's tenant
//! policy); then the recipients ([`recipients`]: people of each class, one email per address,
//! capped, in a fixed order); then each email's words ([`content`], [`locale`]), its HTML
//! ([`html`]) and its MIME form ([`mime`]), with a Message-ID hashed from all of that
//! (module `identity`). Names in the instance are looked up, never re-checked.

pub mod content;
pub mod html;
mod identity;
pub mod locale;
pub mod messages;
pub mod mime;
pub mod recipients;

use crate::check::backticked_all;
use crate::diagnostic::did_you_mean;
use crate::eval::{Evaluator, parse_settings};
use crate::instance::{Instance, InstanceError, Location, Person};
use crate::ruleset::tenant::NotificationPolicy;
use crate::ruleset::{ClassId, EventId, FactValues, ScopeId, Sender, TemplateId, Vocabulary};
use crate::table::DecisionTable;
use content::{Composer, Content};
use locale::LocaleCatalogue;
use recipients::Recipient;
use std::collections::HashMap;
use std::sync::Arc;

/// The emails of one event in one locale.
#[derive(Debug, Clone)]
pub struct Rendering {
    pub sender: Sender,
    pub locale: String,
    pub scope: ScopeId,
    pub event: EventId,
    /// the Date of every email: the instance's `at`, else the time given to [`render`]
    pub sent_at: i64,
    /// in the recipients' order (see [`recipients`])
    pub emails: Vec<Email>,
    /// distinct addresses past the rule set's `max-recipients`
    pub dropped: usize,
}

/// One email: who it goes to and what it says.
#[derive(Debug, Clone)]
pub struct Email {
    pub recipient: Recipient,
    /// without angle brackets: `pimrules.<hash>.<n>@<sender's domain>`, where `<n>` is the
    /// email's place in [`Rendering::emails`] (from 1) and `<hash>` 32 hex digits of a 128-bit
    /// hash of the email's content: rule set, sender, locale, time, the whole instance (event,
    /// scope, facts, people named, details, people of each class, policy), the recipient's
    /// address (without regard to case), name, classes and template, and the final subject and
    /// bodies. Emails that differ in any of these get different ids; the same input always
    /// gets the same id.
    pub message_id: String,
    /// shared by every recipient with the same template and classes
    pub body: Arc<Body>,
}

/// An email's words and its two bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub content: Content,
    pub text: String,
    pub html: String,
}

/// An instance's names resolved against a rule set.
struct Resolved {
    scope: ScopeId,
    event: EventId,
    facts: FactValues,
    policy: Option<NotificationPolicy>,
    people: Vec<(ClassId, Vec<Person>)>,
}

/// Render the emails of an instance in the catalogue's locale. `now` (seconds since the Unix
/// epoch) dates the emails when the instance has no `at`.
pub fn render(
    table: &DecisionTable,
    catalogue: &LocaleCatalogue,
    instance: &Instance,
    now: i64,
) -> Result<Rendering, InstanceError> {
    render_with(&Evaluator::new(table), catalogue, instance, now)
}

/// [`render`] with an evaluator made once for many instances of its table.
pub fn render_with(
    evaluator: &Evaluator,
    catalogue: &LocaleCatalogue,
    instance: &Instance,
    now: i64,
) -> Result<Rendering, InstanceError> {
    let table = evaluator.table();
    let v = &table.vocabulary;
    let mut resolved = resolve(v, instance)?;
    if resolved.policy.is_none() {
        // the tenant settings of the event's role, when the rules declare them
        resolved.policy = instance
            .details
            .role
            .as_deref()
            .and_then(|role| table.role_settings(role))
            .map(|settings| settings.policy.clone());
    }
    recipients::within_limit(instance, resolved.policy.as_ref())?;
    let decision = evaluator.evaluate(
        resolved.scope,
        resolved.event,
        &resolved.facts,
        resolved.policy.as_ref(),
    );
    let recipients = recipients::expand(
        &decision,
        v,
        instance.details.assignee.as_ref(),
        &resolved.people,
    );
    let composer = Composer::new(
        catalogue,
        v,
        resolved.scope,
        resolved.event,
        &resolved.facts,
        &instance.details,
    );
    let sender = v.header.sender.clone();
    let sent_at = instance.sent_at.unwrap_or(now);
    let domain = sender
        .address
        .rsplit_once('@')
        .map_or("pimrules.invalid", |(_, domain)| domain)
        .to_owned();
    let run = identity::rendering(
        &v.header.name,
        &sender,
        catalogue.locale(),
        sent_at,
        instance,
    );
    // one body (and its hash) per template and classes, shared by the recipients alike
    let mut bodies: HashMap<(TemplateId, Vec<ClassId>), (Arc<Body>, u128)> = HashMap::new();
    let mut emails = Vec::with_capacity(recipients.list.len());
    for (index, recipient) in recipients.list.into_iter().enumerate() {
        let (body, body_hash) = bodies
            .entry((recipient.template, recipient.classes.clone()))
            .or_insert_with(|| {
                let content = composer.compose(recipient.template, &recipient.classes);
                let body = Body {
                    text: content.plain_text(),
                    html: html::email(&content, &sender.display_name, catalogue.locale()),
                    content,
                };
                let hash = identity::body(&body);
                (Arc::new(body), hash)
            })
            .clone();
        emails.push(Email {
            message_id: identity::message_id(run, &recipient, body_hash, index + 1, &domain),
            recipient,
            body,
        });
    }
    Ok(Rendering {
        sender,
        locale: catalogue.locale().to_owned(),
        scope: resolved.scope,
        event: resolved.event,
        sent_at,
        emails,
        dropped: recipients.dropped,
    })
}

/// An instance's names looked up in a vocabulary as [`render`] looks them up, without
/// rendering: the event's facts, or the error `render` would report (the limit on people
/// counts the instance's own `policy`; the rule set's settings for its role count when it is
/// rendered).
pub fn resolve_facts(v: &Vocabulary, instance: &Instance) -> Result<FactValues, InstanceError> {
    let resolved = resolve(v, instance)?;
    recipients::within_limit(instance, resolved.policy.as_ref())?;
    Ok(resolved.facts)
}

/// Look the instance's names up in the vocabulary; an unknown one points at where it is written.
fn resolve(v: &Vocabulary, instance: &Instance) -> Result<Resolved, InstanceError> {
    let scope_names: Vec<&str> = v.scopes.iter().map(|s| s.name.as_str()).collect();
    let event_names: Vec<&str> = v.events.iter().map(|e| e.name.as_str()).collect();
    let class_names: Vec<&str> = v.recipients.iter().map(|c| c.name.as_str()).collect();
    let scope = ScopeId(lookup("scope", &instance.scope, &scope_names)?);
    let event = EventId(lookup("event", &instance.event, &event_names)?);
    let facts = parse_settings(
        v,
        instance
            .facts
            .iter()
            .map(|(fact, value)| (fact.as_str(), value.as_str())),
    )
    .map_err(|error| {
        // point at the first fact that is wrong on its own
        let culprit = instance
            .facts
            .iter()
            .find(|(fact, value)| parse_settings(v, [(fact.as_str(), value.as_str())]).is_err())
            .map_or(Location::Nowhere, |(fact, _)| {
                Location::Literal(fact.clone())
            });
        InstanceError::new(format!("in `facts`: {error}"), culprit)
    })?;
    let mut people = Vec::with_capacity(instance.people.len());
    for (class, list) in &instance.people {
        let id = lookup("recipient class", class, &class_names)
            .map_err(|e| InstanceError::new(format!("in `people`: {}", e.message), e.location))?;
        people.push((ClassId(id), list.clone()));
    }
    let policy = match &instance.policy {
        None => None,
        Some(text) => {
            let policy = NotificationPolicy::from_graph_json(text).map_err(|problem| {
                let error = InstanceError::at_literal(
                    format!("invalid `policy`: {}", problem.message),
                    "policy",
                );
                match problem.help {
                    Some(help) => error.help(help),
                    None => error,
                }
            })?;
            if policy.has_additional() && v.policy_class().is_none() {
                return Err(InstanceError::at_literal(
                    "the policy adds recipients, but the rule set declares no `from policy` recipient class",
                    "policy",
                ));
            }
            Some(policy)
        }
    };
    Ok(Resolved {
        scope,
        event,
        facts,
        policy,
        people,
    })
}

/// The index of `name` among `names`, or an error at its literal with a suggestion.
fn lookup(kind: &str, name: &str, names: &[&str]) -> Result<usize, InstanceError> {
    names.iter().position(|n| *n == name).ok_or_else(|| {
        let hint = did_you_mean(name, names.iter().copied())
            .unwrap_or_else(|| format!("the {kind}s are {}", backticked_all(names)));
        InstanceError::at_literal(format!("unknown {kind} `{name}`"), name).help(hint)
    })
}
