//! The weekly digest: the four counts of a week (Monday 00:00 UTC to the next) and the top
//! five roles by permanent plus eligible administrators, from the events of the log.
//!
//! What counts, for events in `entra-role` only (facts as the line sets them, else their
//! defaults):
//! - users activated: `activation-completed`;
//! - users made permanent: `role-assigned` with `assignment = active`, `duration = permanent`;
//! - role assignments in PIM: `role-assigned` with `assignment = eligible`;
//! - role assignments outside PIM: `alert` with `alert-type = roles-assigned-outside-pim`.
//!
//! An administrator of a role, for the top roles, is an assignment made by `role-assigned`,
//! `role-extended` or `role-renewed` in `entra-role` that is eligible, or active and permanent,
//! still held at the end of the week (not removed, its `end` after that instant).

use crate::instance::{Digest, TopRole};
use crate::time::{self, EARLIEST_TIME};
use std::collections::BTreeMap;

/// How many roles the digest lists.
pub const TOP_ROLES: usize = 5;

/// One of the digest's four counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tile {
    UsersActivated,
    UsersMadePermanent,
    AssignmentsInPim,
    AssignmentsOutsidePim,
}

/// What an event means for the digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DigestEffect {
    /// the count it adds one to
    pub tile: Option<Tile>,
    /// it makes its assignee a permanent or eligible administrator of its role
    pub makes_administrator: bool,
}

/// The digest's reading of an event: `fact` gives a fact's value by name (the line's, else
/// the default), `None` when the rule set has no such fact.
pub fn effect<'a>(
    scope: &str,
    event: &str,
    fact: impl Fn(&str) -> Option<&'a str>,
) -> DigestEffect {
    if scope != "entra-role" {
        return DigestEffect::default();
    }
    let is = |name: &str, value: &str| fact(name) == Some(value);
    let eligible = is("assignment", "eligible");
    let permanent_active = is("assignment", "active") && is("duration", "permanent");
    let tile = match event {
        "activation-completed" => Some(Tile::UsersActivated),
        "role-assigned" if permanent_active => Some(Tile::UsersMadePermanent),
        "role-assigned" if eligible => Some(Tile::AssignmentsInPim),
        "alert" if is("alert-type", "roles-assigned-outside-pim") => {
            Some(Tile::AssignmentsOutsidePim)
        }
        _ => None,
    };
    let assigns = matches!(event, "role-assigned" | "role-extended" | "role-renewed");
    DigestEffect {
        tile,
        makes_administrator: assigns && (eligible || permanent_active),
    }
}

/// The counts of the open week, the last closed week until its digest leaves, and the
/// administrators no assignment id can take away.
#[derive(Debug, Clone)]
pub struct DigestTracker {
    week_start: i64,
    counts: [u64; 4],
    closed: Option<ClosedWeek>,
    /// role → administrators assigned by lines without an `assignment` id (nothing ends them)
    lasting_administrators: BTreeMap<String, u64>,
}

/// A week whose digest is ready to leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedWeek {
    /// the week's start, or [`EARLIEST_TIME`] for a week that starts before it
    pub start: i64,
    pub digest: Digest,
}

impl DigestTracker {
    /// A tracker whose first week is the one of `at`.
    pub fn new(at: i64) -> Self {
        DigestTracker {
            week_start: time::week_start(at),
            counts: [0; 4],
            closed: None,
            lasting_administrators: BTreeMap::new(),
        }
    }

    /// When the open week ends and its digest is due.
    pub fn week_end(&self) -> i64 {
        self.week_start + time::WEEK
    }

    pub fn count(&mut self, tile: Tile) {
        self.counts[tile as usize] += 1;
    }

    /// An administrator of `role` that no later line can remove.
    pub fn add_lasting_administrator(&mut self, role: &str) {
        *self
            .lasting_administrators
            .entry(role.to_owned())
            .or_default() += 1;
    }

    /// Close the open week, with `roles` the role of each assignment still held at its end,
    /// and open the next week.
    pub fn close<'a>(&mut self, roles: impl Iterator<Item = &'a str>) {
        let mut administrators: BTreeMap<&str, u64> = self
            .lasting_administrators
            .iter()
            .map(|(role, count)| (role.as_str(), *count))
            .collect();
        for role in roles {
            *administrators.entry(role).or_default() += 1;
        }
        let mut ranked: Vec<(&str, u64)> = administrators.into_iter().collect();
        // most administrators first; ties by name (the map's order, kept by a stable sort)
        ranked.sort_by_key(|(_, admins)| std::cmp::Reverse(*admins));
        let [
            users_activated,
            users_made_permanent,
            assignments_in_pim,
            assignments_outside_pim,
        ] = self.counts;
        self.closed = Some(ClosedWeek {
            // the first week of the year 0000 starts in the year before: it is reported from
            // the earliest time pimrules writes
            start: self.week_start.max(EARLIEST_TIME),
            digest: Digest {
                users_activated,
                users_made_permanent,
                assignments_in_pim,
                assignments_outside_pim,
                top_roles: ranked
                    .into_iter()
                    .take(TOP_ROLES)
                    .map(|(role, admins)| TopRole {
                        role: role.to_owned(),
                        admins,
                    })
                    .collect(),
            },
        });
        self.week_start = self.week_end();
        self.counts = [0; 4];
    }

    /// The closed week whose digest is to leave now.
    pub fn take_closed(&mut self) -> Option<ClosedWeek> {
        self.closed.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> {
        move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    #[test]
    fn each_tile_counts_its_events_in_entra_roles_only() {
        let eligible = [("assignment", "eligible"), ("duration", "time-bound")];
        let permanent = [("assignment", "active"), ("duration", "permanent")];
        let time_bound_active = [("assignment", "active"), ("duration", "time-bound")];
        let outside = [("alert-type", "roles-assigned-outside-pim")];
        let stale = [("alert-type", "stale-accounts")];
        /// scope, event, facts, the tile it counts for, whether it makes an administrator
        type Case<'a> = (
            &'a str,
            &'a str,
            &'a [(&'a str, &'a str)],
            Option<Tile>,
            bool,
        );
        let cases: [Case; 8] = [
            (
                "entra-role",
                "activation-completed",
                &[],
                Some(Tile::UsersActivated),
                false,
            ),
            (
                "entra-role",
                "role-assigned",
                &permanent,
                Some(Tile::UsersMadePermanent),
                true,
            ),
            (
                "entra-role",
                "role-assigned",
                &eligible,
                Some(Tile::AssignmentsInPim),
                true,
            ),
            (
                "entra-role",
                "role-assigned",
                &time_bound_active,
                None,
                false,
            ),
            (
                "entra-role",
                "alert",
                &outside,
                Some(Tile::AssignmentsOutsidePim),
                false,
            ),
            ("entra-role", "alert", &stale, None, false),
            ("entra-role", "role-extended", &eligible, None, true),
            ("azure-resource", "role-assigned", &eligible, None, false),
        ];
        for (scope, event, pairs, tile, administrator) in cases {
            let effect = effect(scope, event, facts(pairs));
            assert_eq!(effect.tile, tile, "{scope} {event} {pairs:?}");
            assert_eq!(effect.makes_administrator, administrator, "{scope} {event}");
        }
    }

    #[test]
    fn a_closed_week_holds_its_counts_and_the_top_five_roles() {
        let mut tracker = DigestTracker::new(0);
        tracker.count(Tile::UsersActivated);
        tracker.count(Tile::UsersActivated);
        tracker.count(Tile::AssignmentsOutsidePim);
        tracker.add_lasting_administrator("Global Administrator");
        let roles = ["B", "A", "Global Administrator", "C", "D", "E", "B", "A"];
        let end = tracker.week_end();
        tracker.close(roles.into_iter());
        assert_eq!(tracker.week_end(), end + time::WEEK);
        let week = tracker.take_closed().expect("closed");
        assert_eq!(week.digest.users_activated, 2);
        assert_eq!(week.digest.assignments_outside_pim, 1);
        let top: Vec<(&str, u64)> = week
            .digest
            .top_roles
            .iter()
            .map(|t| (t.role.as_str(), t.admins))
            .collect();
        assert_eq!(
            top,
            [
                ("A", 2),
                ("B", 2),
                ("Global Administrator", 2),
                ("C", 1),
                ("D", 1)
            ]
        );
        tracker.close(std::iter::empty());
        let next = tracker.take_closed().expect("closed");
        assert_eq!(next.digest.users_activated, 0, "a new week starts at zero");
        assert_eq!(
            next.digest.top_roles.len(),
            1,
            "lasting administrators stay"
        );
    }
}
