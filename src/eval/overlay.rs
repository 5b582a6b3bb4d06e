//! The tenant policy overlay: how a role's notification settings change the rule set's decision
//! for one event, and what they changed, for `explain` to say.
//!
//! Semantics (SPEC section 4, with the choices the SPEC leaves open written down here):
//! an event in a policy section is governed, row by row (admin, requestor, approver), by the rule
//! `Notification_{Row}_{Section}`; a rule missing from the policy has Graph's defaults (level
//! `All`, default recipients on, no additional recipients). Level `None` silences the row;
//! `Critical` lets only critical events through; default recipients off drops the row's classes.
//! Additional recipients receive a copy of what their row receives: they are added (as the
//! rule set's `from policy` class) when the level lets the event through and, before the policy,
//! at least one class of that row was notified. Events outside every section are never changed.

use super::{Notification, Source};
use crate::ruleset::tenant::{Level, NotificationPolicy, rule_id};
use crate::ruleset::{ClassId, EventId, FactValues, PolicyRow, Vocabulary};
use std::collections::HashSet;

/// A class the rule set notified and the policy dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub class: ClassId,
    /// the Graph id of the rule that dropped it (`Notification_Admin_Admin_Assignment`)
    pub rule_id: String,
    pub why: DropReason,
}

/// Which setting of the rule dropped the class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// level `None`
    LevelNone,
    /// level `Critical`, and the event is not critical
    NotCritical,
    /// default recipients off
    DefaultRecipientsOff,
}

/// The decision's notifications after the policy, and the classes it dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Overlaid {
    pub notifications: Vec<Notification>,
    pub dropped: Vec<Dropped>,
}

/// Apply `policy` to the rule set's `notifications` for one event.
pub fn apply(
    policy: &NotificationPolicy,
    vocabulary: &Vocabulary,
    event: EventId,
    facts: &FactValues,
    notifications: Vec<Notification>,
) -> Overlaid {
    let unchanged = |notifications| Overlaid {
        notifications,
        dropped: Vec::new(),
    };
    let Some(event) = vocabulary.events.get(event.0) else {
        return unchanged(notifications);
    };
    let Some(section) = event.section.resolve(facts) else {
        return unchanged(notifications);
    };
    let row_of = |n: &Notification| vocabulary.recipients.get(n.class.0).and_then(|c| c.row);
    let mut extra: Option<Notification> = None;
    // the addresses already added, without regard to case: a set, as a row may list many
    let mut seen: HashSet<String> = HashSet::new();
    let mut kept = Vec::with_capacity(notifications.len());
    let mut dropped = Vec::new();
    for notification in &notifications {
        let why = row_of(notification).and_then(|row| {
            let setting = policy.get(section, row);
            if !setting.level.lets_through(event.critical) {
                Some(match setting.level {
                    Level::None => DropReason::LevelNone,
                    _ => DropReason::NotCritical,
                })
            } else if !setting.default_recipients {
                Some(DropReason::DefaultRecipientsOff)
            } else {
                None
            }
            .map(|why| (rule_id(section, row), why))
        });
        match why {
            Some((rule_id, why)) => dropped.push(Dropped {
                class: notification.class,
                rule_id,
                why,
            }),
            None => kept.push(notification.clone()),
        }
    }
    for row in PolicyRow::ALL {
        let setting = policy.get(section, row);
        let first_of_row = notifications.iter().find(|n| row_of(n) == Some(row));
        let (Some(first), Some(class), true) = (
            first_of_row,
            vocabulary.policy_class(),
            setting.level.lets_through(event.critical),
        ) else {
            continue;
        };
        if setting.additional.is_empty() {
            continue;
        }
        let entry = extra.get_or_insert_with(|| Notification {
            class,
            source: Source::Policy(rule_id(section, row)),
            template: first.template,
            addresses: Vec::new(),
        });
        for address in &setting.additional {
            if seen.insert(address.to_ascii_lowercase()) {
                entry.addresses.push(address.clone());
            }
        }
    }
    if let Some(extra) = extra {
        match kept.iter_mut().find(|n| n.class == extra.class) {
            Some(existing) => existing.addresses.extend(extra.addresses),
            None => {
                let at = kept.partition_point(|n| n.class < extra.class);
                kept.insert(at, extra);
            }
        }
    }
    Overlaid {
        notifications: kept,
        dropped,
    }
}
