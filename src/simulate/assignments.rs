//! Live assignments and their reminders and expiry: `role-expiring` before a time-bound
//! assignment's end, `role-expired` at it; a later line moves them, a removal cancels them.

use super::schedule::Key;
use super::simulator::{Job, Simulator};
use super::{Occurrence, REMINDERS_BEFORE_END};
use crate::instance::Instance;
use std::collections::HashMap;

/// A live assignment: what its reminders say, and when.
#[derive(Debug, Clone)]
pub(super) struct Assignment {
    pub(super) rule_set: usize,
    /// the line that last set it; reminders are this instance with another event
    pub(super) instance: Instance,
    pub(super) end: Option<i64>,
    /// its scheduled reminders and expiry
    pub(super) jobs: Vec<Key>,
    /// the role it makes its assignee a permanent or eligible administrator of (digest)
    administrator_of: Option<String>,
    /// the bytes of its line
    pub(super) bytes: usize,
}

impl Simulator {
    /// Create or move an assignment (of a line of `bytes` bytes): its reminders and expiry
    /// follow its (new) end. One without an end that makes nobody an administrator is not kept.
    pub(super) fn set_assignment(
        &mut self,
        id: String,
        at: i64,
        bytes: usize,
        occurrence: &Occurrence,
    ) {
        self.remove_assignment(&id);
        if !kept(occurrence) {
            return;
        }
        let mut jobs = Vec::new();
        if let Some(end) = occurrence.end {
            for before in REMINDERS_BEFORE_END {
                let due = end - before;
                if due >= at {
                    let reminder = Job::Reminder {
                        assignment: id.clone(),
                    };
                    jobs.push(self.schedule.add(due, reminder));
                }
            }
            let expiry = Job::Expiry {
                assignment: id.clone(),
            };
            jobs.push(self.schedule.add(end, expiry));
        }
        let instance = Instance {
            people: Vec::new(),
            ..occurrence.instance.clone()
        };
        self.held.add(bytes);
        self.assignments.insert(
            id,
            Assignment {
                rule_set: occurrence.rule_set,
                instance,
                end: occurrence.end,
                jobs,
                administrator_of: administrator_of(occurrence),
                bytes,
            },
        );
    }

    /// An assignment ends early: its reminders and expiry are cancelled.
    pub(super) fn remove_assignment(&mut self, id: &str) {
        for key in self.take_assignment(id).map(|a| a.jobs).unwrap_or_default() {
            self.schedule.cancel(key);
        }
    }

    /// Take a live assignment out of the open state.
    pub(super) fn take_assignment(&mut self, id: &str) -> Option<Assignment> {
        let assignment = self.assignments.remove(id)?;
        self.held.remove(assignment.bytes);
        Some(assignment)
    }
}

/// Whether an assignment line is kept live: it has an end (reminders and an expiry), or makes
/// its assignee an administrator of a role (the digest's top roles).
pub(super) fn kept(occurrence: &Occurrence) -> bool {
    occurrence.end.is_some() || administrator_of(occurrence).is_some()
}

/// The role an assignment line makes its assignee a permanent or eligible administrator of.
fn administrator_of(occurrence: &Occurrence) -> Option<String> {
    occurrence
        .instance
        .details
        .role
        .clone()
        .filter(|_| occurrence.digest.makes_administrator)
}

/// The role of each assignment that makes someone an administrator and is still held at `at`.
pub(super) fn administrators_at(
    assignments: &HashMap<String, Assignment>,
    at: i64,
) -> impl Iterator<Item = &str> {
    assignments
        .values()
        .filter(move |a| a.end.is_none_or(|end| end > at))
        .filter_map(|a| a.administrator_of.as_deref())
}
