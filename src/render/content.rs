//! What an email says, in one locale: subject, heading, summary, details table, action and
//! footer, composed from the catalogue and the instance; and that content as plain text.
//!
//! Every message is formatted with these Fluent variables: each fact by its name (`$duration`),
//! `$scope`, `$event` and `$recipient` (the names of the scope, the event and the recipient's
//! first class, for selectors), `$scope-label`, `$sender`, and the instance's `$assignee`,
//! `$requestor` (the assignee when not given), `$approver`, `$role`, `$resource`,
//! `$organization`, `$application`, `$start`, `$end` and `$justification` — a value the
//! instance does not give reads as the locale's `email-missing`. The details table shows what
//! the instance gives, and its counts (`more-failures`, the digest's) as rows of their own. Instance values override facts
//! of the same name. Links (`.link`) are given the names only, never the instance's text.

use super::locale::LocaleCatalogue;
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
    /// names only (facts, scope, event): safe in links
    names: Vec<(String, String)>,
    /// the instance's text and labels, for the words
    texts: Vec<(&'static str, String)>,
    details: Vec<(String, String)>,
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
        let mut names: Vec<(String, String)> = vocabulary
            .facts
            .iter()
            .enumerate()
            .map(|(i, fact)| {
                let value = fact.value_name(facts.0.get(i).copied().unwrap_or(0) as usize);
                (fact.name.clone(), value.to_owned())
            })
            .collect();
        names.push(("scope".into(), vocabulary.scope_name(scope).to_owned()));
        names.push(("event".into(), vocabulary.event_name(event).to_owned()));
        let mut composer = Composer {
            catalogue,
            vocabulary,
            names,
            texts: Vec::new(),
            details: Vec::new(),
        };
        let missing = composer.message("email-missing");
        let scope_label = composer.label("scope", vocabulary.scope_name(scope), || {
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
        composer.texts = people
            .into_iter()
            .chain(texts.clone())
            .map(|(name, value)| (name, value.unwrap_or_else(|| missing.clone())))
            .chain([
                ("scope-label", scope_label.clone()),
                ("sender", vocabulary.header.sender.display_name.clone()),
            ])
            .collect();
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
            .chain([("scope", Some(scope_label))])
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
        let recipient = classes.first().map_or("", |c| v.class_name(*c));
        let words = self.arguments(recipient, true);
        let name = v.template_name(template);
        let title = self
            .catalogue
            .format(name, None, &words)
            .unwrap_or_else(|| {
                v.templates
                    .get(template.0)
                    .and_then(|t| t.description.clone())
                    .unwrap_or_else(|| name.to_owned())
            });
        let title = one_line(&title);
        let mut subject_args = self.arguments(recipient, true);
        subject_args.set("prefix", v.header.subject_prefix.as_str());
        subject_args.set("title", title.as_str());
        let subject = self
            .catalogue
            .format("email-subject", None, &subject_args)
            .unwrap_or_else(|| format!("{}{title}", v.header.subject_prefix));
        let summary = self.catalogue.format(name, Some("summary"), &words);
        let links = self.arguments(recipient, false);
        let action = self
            .catalogue
            .format(name, Some("action"), &words)
            .zip(self.catalogue.format(name, Some("link"), &links))
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
        let mut because_args = self.arguments(recipient, true);
        because_args.set("classes", class_labels.join(", "));
        Content {
            subject: one_line(&subject),
            title,
            summary,
            details_caption: self.message("email-details"),
            details: self.details.clone(),
            action,
            because: self
                .catalogue
                .format("email-because", None, &because_args)
                .unwrap_or_else(|| class_labels.join(", ")),
            footer: self.message("email-footer"),
        }
    }

    /// The variables: names always, the instance's text only for words (not for links).
    fn arguments(&self, recipient: &'a str, with_text: bool) -> FluentArgs<'_> {
        let mut args = FluentArgs::with_capacity(self.names.len() + self.texts.len() + 3);
        for (name, value) in &self.names {
            args.set(name.as_str(), value.as_str());
        }
        args.set("recipient", recipient);
        if with_text {
            for (name, value) in &self.texts {
                args.set(*name, value.as_str());
            }
        }
        args
    }

    /// A message without variables of its own; its id when the locale lacks it.
    fn message(&self, id: &str) -> String {
        self.catalogue
            .format(id, None, &self.arguments("", true))
            .unwrap_or_else(|| id.to_owned())
    }

    /// The locale's `kind-name` label, else the declared one, else the name.
    fn label(&self, kind: &str, name: &str, declared: impl Fn() -> Option<String>) -> String {
        self.catalogue
            .format(&format!("{kind}-{name}"), None, &FluentArgs::new())
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
