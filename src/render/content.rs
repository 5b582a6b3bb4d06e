//! What an email says, in one locale: subject, heading, summary, details table, action and
//! footer, composed from the catalogue and the instance; and that content as plain text.
//!
//! Each message is given the variables [`variables`] names. The details table shows what the
//! instance gives, and its counts (`more-failures`, the digest's) as rows of their own.

use super::locale::LocaleCatalogue;
use super::messages::{Variable, variables};
use crate::instance::{Details, one_line};
use crate::ruleset::{ClassId, EventId, FactValues, ScopeId, TemplateId, Vocabulary};
use fluent_bundle::FluentArgs;

/// An email's words, the same for every recipient with the same template and classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub subject: String,
    pub title: String,
    pub summary: Option<String>,
    pub details_caption: String,
    /// `(label, value)` rows, only for what the instance gives (the scope always)
    pub details: Vec<(String, String)>,
    pub action: Option<Action>,
    /// why this recipient gets the email: the classes it is reached through
    pub because: String,
    pub footer: String,
}

/// The button of an email: a label and an `https://` (or `http://`) link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub label: String,
    pub url: String,
}

/// Composes the content of one event's emails in one locale.
pub struct Composer<'a> {
    catalogue: &'a LocaleCatalogue,
    vocabulary: &'a Vocabulary,
    scope: ScopeId,
    event: EventId,
    /// the name of each fact's value, in the vocabulary's order
    facts: Vec<&'a str>,
    /// the instance's people (display names) and text fields; `None`: not given
    texts: Vec<(&'static str, Option<String>)>,
    /// what a value the instance does not give reads as
    missing: String,
    scope_label: String,
    details: Vec<(String, String)>,
}

/// The values of one formatting that are not the event's: the recipient's first class (empty
/// in the parts every recipient shares), and the heading and class labels of the subject and
/// the `because` line.
#[derive(Default)]
struct Moment<'m> {
    recipient: &'m str,
    title: &'m str,
    classes: &'m str,
}

impl<'a> Composer<'a> {
    pub fn new(
        catalogue: &'a LocaleCatalogue,
        vocabulary: &'a Vocabulary,
        scope: ScopeId,
        event: EventId,
        facts: &FactValues,
        details: &Details,
    ) -> Self {
        let facts = vocabulary
            .facts
            .iter()
            .enumerate()
            .map(|(i, fact)| fact.value_name(facts.0.get(i).copied().unwrap_or(0) as usize))
            .collect();
        let mut composer = Composer {
            catalogue,
            vocabulary,
            scope,
            event,
            facts,
            texts: Vec::new(),
            missing: String::new(),
            scope_label: String::new(),
            details: Vec::new(),
        };
        composer.missing = composer.message("email-missing");
        composer.scope_label = composer.label("scope", vocabulary.scope_name(scope), || {
            vocabulary.scopes.get(scope.0).map(|s| s.label.clone())
        });
        // a variable per person (the requestor is the assignee unless given) and text field
        let requestor = details.requestor.as_ref().or(details.assignee.as_ref());
        let people = details.people().map(|(name, person)| {
            let person = if name == "requestor" {
                requestor
            } else {
                person
            };
            (name, person.map(|p| p.display_name().to_owned()))
        });
        let texts = details.texts().map(|(name, text)| (name, text.cloned()));
        composer.texts = people.into_iter().chain(texts.clone()).collect();
        // a row per person with an address, the scope, and each text field the instance gives
        let people_rows = details.people().map(|(name, person)| {
            let row = person.map(|p| match &p.name {
                Some(display) => format!("{display} ({})", p.email),
                None => p.email.clone(),
            });
            (name, row)
        });
        let counts = details
            .counts()
            .into_iter()
            .map(|(name, n)| (name, Some(n)));
        let rows = people_rows
            .into_iter()
            .chain([("scope", Some(composer.scope_label.clone()))])
            .chain(texts)
            .chain(counts);
        composer.details = rows
            .filter_map(|(field, value)| {
                value.map(|v| (composer.message(&format!("email-field-{field}")), v))
            })
            .collect();
        composer
    }

    /// The content for a recipient reached through `classes` (the first decides `$recipient`).
    pub fn compose(&self, template: TemplateId, classes: &[ClassId]) -> Content {
        let v = self.vocabulary;
        let words = Moment {
            recipient: classes.first().map_or("", |c| v.class_name(*c)),
            ..Moment::default()
        };
        let name = v.template_name(template);
        let title = self.format(name, None, &words).unwrap_or_else(|| {
            v.templates
                .get(template.0)
                .and_then(|t| t.description.clone())
                .unwrap_or_else(|| name.to_owned())
        });
        let title = one_line(&title);
        let subject = self
            .format(
                "email-subject",
                None,
                &Moment {
                    title: &title,
                    ..words
                },
            )
            .unwrap_or_else(|| format!("{}{title}", v.header.subject_prefix));
        let summary = self.format(name, Some("summary"), &words);
        let action = self
            .format(name, Some("action"), &words)
            .zip(self.format(name, Some("link"), &words))
            .filter(|(_, url)| url.starts_with("https://") || url.starts_with("http://"))
            .map(|(label, url)| Action {
                label: one_line(&label),
                url: one_line(&url),
            });
        let class_labels: Vec<String> = classes
            .iter()
            .map(|c| {
                self.label("class", v.class_name(*c), || {
                    v.recipients.get(c.0).map(|r| r.label.clone())
                })
            })
            .collect();
        let classes = class_labels.join(", ");
        Content {
            subject: one_line(&subject),
            title,
            summary,
            details_caption: self.message("email-details"),
            details: self.details.clone(),
            action,
            because: self
                .format(
                    "email-because",
                    None,
                    &Moment {
                        classes: &classes,
                        ..words
                    },
                )
                .unwrap_or(classes),
            footer: self.message("email-footer"),
        }
    }

    /// Message `id` (or its `attribute`) formatted with the [`variables`] it is given.
    fn format(&self, id: &str, attribute: Option<&str>, moment: &Moment<'_>) -> Option<String> {
        let v = self.vocabulary;
        let variables = variables(v, id, attribute).unwrap_or_default();
        let mut args = FluentArgs::with_capacity(variables.len());
        for variable in &variables {
            let value = match *variable {
                Variable::Fact(i, _) => self.facts.get(i).copied().unwrap_or_default(),
                Variable::Scope => v.scope_name(self.scope),
                Variable::Event => v.event_name(self.event),
                Variable::Recipient => moment.recipient,
                Variable::Detail(field) => self
                    .texts
                    .iter()
                    .find(|(name, _)| *name == field)
                    .and_then(|(_, value)| value.as_deref())
                    .unwrap_or(&self.missing),
                Variable::ScopeLabel => &self.scope_label,
                Variable::Sender => &v.header.sender.display_name,
                Variable::Prefix => &v.header.subject_prefix,
                Variable::Title => moment.title,
                Variable::Classes => moment.classes,
            };
            args.set(variable.name(), value);
        }
        self.catalogue.format(id, attribute, &args)
    }

    /// A message of the parts every recipient shares; its id when the locale lacks it.
    fn message(&self, id: &str) -> String {
        self.format(id, None, &Moment::default())
            .unwrap_or_else(|| id.to_owned())
    }

    /// The locale's `kind-name` label, else the declared one, else the name.
    fn label(&self, kind: &str, name: &str, declared: impl Fn() -> Option<String>) -> String {
        self.format(&format!("{kind}-{name}"), None, &Moment::default())
            .or_else(declared)
            .unwrap_or_else(|| name.to_owned())
    }
}

impl Content {
    /// The plain-text body: heading, summary, details aligned in two columns, the action as
    /// `label: link`, then the footer under a signature separator.
    pub fn plain_text(&self) -> String {
        let mut text = format!("{}\n\n", self.title);
        if let Some(summary) = &self.summary {
            text.push_str(summary);
            text.push_str("\n\n");
        }
        text.push_str(&self.details_caption);
        text.push('\n');
        let width = self
            .details
            .iter()
            .map(|(label, _)| label.chars().count())
            .max()
            .unwrap_or(0);
        for (label, value) in &self.details {
            let pad = width - label.chars().count();
            let value = value.replace('\n', &format!("\n  {:width$}  ", ""));
            text.push_str(&format!("  {label}:{:pad$} {value}\n", ""));
        }
        if let Some(action) = &self.action {
            text.push_str(&format!("\n{}: {}\n", action.label, action.url));
        }
        text.push_str(&format!("\n-- \n{}\n{}\n", self.because, self.footer));
        text
    }
}
