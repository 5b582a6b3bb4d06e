//! Recipients: the classes a decision notifies, expanded to addresses — one per address, in a
//! fixed order, at most the rule set's cap.
//!
//! The order (and so who is cut at the cap):
//! 1. classes in the order the rule set declares them;
//! 2. within a class: the instance's `assignee` (for the class named `assignee`), then
//!    `people.<class>` in the order listed, then the tenant policy's additional addresses
//!    (for the rule set's `from policy` class);
//! 3. addresses are compared without regard to case: the first occurrence decides the
//!    recipient's place and name, a later one only adds its class to that recipient.
//!
//! Someone listed with `"activated": false` is skipped for classes marked `while activated`.
//! Once the cap is reached, every further distinct address is dropped and counted.
//!
//! Before any of that, [`within_limit`] bounds what one instance can name at all: its people
//! and its tenant policy's additional addresses, together at most
//! [`MAX_INSTANCE_PEOPLE`].

use crate::eval::Decision;
use crate::instance::{Instance, InstanceError, Location, MAX_INSTANCE_PEOPLE, Person};
use crate::ruleset::tenant::NotificationPolicy;
use crate::ruleset::{ClassId, TemplateId, Vocabulary};
use std::collections::HashMap;

/// The name of the class that the instance's `assignee` belongs to.
pub const ASSIGNEE_CLASS: &str = "assignee";

/// One address an event emails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub name: Option<String>,
    pub address: String,
    /// every class this address is reached through, in the order above; never empty
    pub classes: Vec<ClassId>,
    /// the template of the first class
    pub template: TemplateId,
}

/// The recipients of one event, and how many distinct addresses the cap dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recipients {
    pub list: Vec<Recipient>,
    pub dropped: usize,
}

/// Whether an instance names at most [`MAX_INSTANCE_PEOPLE`] addresses: every person of its
/// `people` (all classes) and every additional address of every rule of `policy`, the tenant
/// policy that applies to it (its own `policy`, else the rule set's settings for its `role`).
/// Past the limit: a limit error (E014) at `people`, else at `policy`, else at the role.
pub fn within_limit(
    instance: &Instance,
    policy: Option<&NotificationPolicy>,
) -> Result<(), InstanceError> {
    let listed: usize = instance.people.iter().map(|(_, list)| list.len()).sum();
    let additional: usize = policy.map_or(0, |policy| {
        policy.settings.values().map(|s| s.additional.len()).sum()
    });
    let total = listed.saturating_add(additional);
    if total <= MAX_INSTANCE_PEOPLE {
        return Ok(());
    }
    let location = if listed > 0 {
        Location::Literal("people".to_owned())
    } else if instance.policy.is_some() {
        Location::Literal("policy".to_owned())
    } else {
        instance
            .details
            .role
            .clone()
            .map_or(Location::Nowhere, Location::Literal)
    };
    let message = if additional == 0 {
        format!("the instance lists {listed} people, more than {MAX_INSTANCE_PEOPLE}")
    } else {
        let whose = match (&instance.policy, &instance.details.role) {
            (None, Some(role)) => format!("the rule set's settings for `{role}`"),
            _ => "its `policy`".to_owned(),
        };
        format!(
            "the instance names {total} addresses, more than {MAX_INSTANCE_PEOPLE}: \
             {listed} people and {additional} additional addresses of {whose}"
        )
    };
    Err(InstanceError::limit(message, location).help(
        "render the event in several instances, each with part of the people; \
         a policy's additional addresses count as people",
    ))
}

/// Who receives the event's emails: `people` holds the instance's people by class.
pub fn expand(
    decision: &Decision,
    vocabulary: &Vocabulary,
    assignee: Option<&Person>,
    people: &[(ClassId, Vec<Person>)],
) -> Recipients {
    let cap = vocabulary.header.max_recipients.map(|c| c as usize);
    let mut recipients = Recipients::default();
    // lower-cased address → its index in `list`, or `None` when the cap dropped it
    let mut seen: HashMap<String, Option<usize>> = HashMap::new();
    for notification in &decision.notifications {
        let class = notification.class;
        let Some(declared) = vocabulary.recipients.get(class.0) else {
            continue;
        };
        let from_assignee = assignee
            .filter(|_| declared.name == ASSIGNEE_CLASS)
            .map(|p| (p.name.as_deref(), p.email.as_str(), p.activated));
        let listed = people
            .iter()
            .filter(|(c, _)| *c == class)
            .flat_map(|(_, list)| list)
            .map(|p| (p.name.as_deref(), p.email.as_str(), p.activated));
        let from_policy = notification
            .addresses
            .iter()
            .map(|address| (None, address.as_str(), true));
        for (name, address, activated) in from_assignee.into_iter().chain(listed).chain(from_policy)
        {
            if declared.while_activated && !activated {
                continue;
            }
            let key = address.to_ascii_lowercase();
            match seen.get(&key) {
                Some(Some(index)) => {
                    if let Some(existing) = recipients.list.get_mut(*index)
                        && !existing.classes.contains(&class)
                    {
                        existing.classes.push(class);
                    }
                }
                Some(None) => {}
                None if cap.is_some_and(|cap| recipients.list.len() >= cap) => {
                    recipients.dropped += 1;
                    seen.insert(key, None);
                }
                None => {
                    seen.insert(key, Some(recipients.list.len()));
                    recipients.list.push(Recipient {
                        name: name.map(str::to_owned),
                        address: address.to_owned(),
                        classes: vec![class],
                        template: notification.template,
                    });
                }
            }
        }
    }
    recipients
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Notification, Source};
    use crate::pipeline;
    use crate::ruleset::{EventId, RuleId, ScopeId};

    fn vocabulary(cap: &str) -> Vocabulary {
        let text = format!(
            "ruleset \"t\" version \"1\"\nsender \"N\" <n@contoso.com>\nsubject-prefix \"\"\n\
             max-recipients {cap}\nscope s \"S\"\n\
             recipient admin \"Admin\" while activated\nrecipient assignee \"Assignee\"\n\
             recipient owner \"Owner\"\nrecipient extra \"Extra\" from policy\n\
             event e \"E\"\ntemplate e \"E\"\nrule r {{\n  on e in s\n  notify admin, assignee, owner\n}}\n"
        );
        let build = pipeline::build_text("t.pimrules", &text);
        assert!(!build.has_errors(), "{:?}", build.diagnostics);
        build.compiled[0].table.vocabulary.clone()
    }

    fn decision(classes: &[usize], policy_addresses: &[&str]) -> Decision {
        Decision {
            scope: ScopeId(0),
            event: EventId(0),
            critical: false,
            notifications: classes
                .iter()
                .map(|c| Notification {
                    class: ClassId(*c),
                    source: Source::Rule(RuleId(0)),
                    template: TemplateId(0),
                    addresses: if *c == 3 {
                        policy_addresses.iter().map(|a| a.to_string()).collect()
                    } else {
                        Vec::new()
                    },
                })
                .collect(),
            dropped: Vec::new(),
        }
    }

    fn person(name: &str, email: &str, activated: bool) -> Person {
        Person {
            name: Some(name.to_owned()),
            email: email.to_owned(),
            activated,
        }
    }

    #[test]
    fn class_order_then_listed_order_and_first_occurrence_wins() {
        let v = vocabulary("10");
        let assignee = person("Alain", "alain@contoso.com", true);
        let people = vec![
            (ClassId(2), vec![person("Owen", "OWEN@contoso.com", true)]),
            (
                ClassId(0),
                vec![
                    person("Owen again", "owen@contoso.com", true),
                    person("Ada", "ada@contoso.com", true),
                ],
            ),
        ];
        let recipients = expand(
            &decision(&[0, 1, 2, 3], &["Ada@Contoso.com", "ops@contoso.com"]),
            &v,
            Some(&assignee),
            &people,
        );
        let summary: Vec<(&str, Vec<usize>)> = recipients
            .list
            .iter()
            .map(|r| (r.address.as_str(), r.classes.iter().map(|c| c.0).collect()))
            .collect();
        assert_eq!(
            summary,
            [
                ("owen@contoso.com", vec![0, 2]),
                ("ada@contoso.com", vec![0, 3]),
                ("alain@contoso.com", vec![1]),
                ("ops@contoso.com", vec![3]),
            ]
        );
        assert_eq!(recipients.list[0].name.as_deref(), Some("Owen again"));
        assert_eq!(recipients.dropped, 0);
    }

    #[test]
    fn people_not_activated_are_skipped_only_for_while_activated_classes() {
        let v = vocabulary("10");
        let idle = person("Idle", "idle@contoso.com", false);
        let people = vec![
            (ClassId(0), vec![idle.clone()]),
            (ClassId(2), vec![idle.clone()]),
        ];
        let recipients = expand(&decision(&[0, 2], &[]), &v, None, &people);
        assert_eq!(recipients.list.len(), 1);
        assert_eq!(recipients.list[0].classes, [ClassId(2)]);
    }

    #[test]
    fn the_cap_drops_distinct_addresses_past_it() {
        let v = vocabulary("2");
        let owners: Vec<Person> = (0..5)
            .map(|i| person("O", &format!("o{i}@contoso.com"), true))
            .chain([person("dup", "O4@contoso.com", true)])
            .collect();
        let recipients = expand(&decision(&[2], &[]), &v, None, &[(ClassId(2), owners)]);
        assert_eq!(recipients.list.len(), 2);
        assert_eq!(recipients.dropped, 3);
        let unlimited = vocabulary("unlimited");
        let owners: Vec<Person> = (0..5)
            .map(|i| person("O", &format!("o{i}@contoso.com"), true))
            .collect();
        let recipients = expand(
            &decision(&[2], &[]),
            &unlimited,
            None,
            &[(ClassId(2), owners)],
        );
        assert_eq!((recipients.list.len(), recipients.dropped), (5, 0));
    }
}
