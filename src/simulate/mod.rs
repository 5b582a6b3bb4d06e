//! Simulate stage: a log of timed events → the emails sent over time, when each leaves.
//! [`Simulator`] is the timing engine; [`Mailer`] renders what it sends through `render`.
//!
//! The engine is fed one event at a time, in time order ([`log::ReorderWindow`] restores it),
//! and hands back [`Dispatch`]es — an instance to render and when it is sent — in send order:
//! - the request approval engine's emails (`approval-pending`, `request-approved`) leave
//!   after the approval delay; an approval that comes no later than the pending email's due
//!   time sets `approved-before-first-email` on it, and the rules decide who still gets it;
//! - a time-bound assignment (`assignment` with `end`) sends `role-expiring` 14 days and 1
//!   day before its end and `role-expired` at it; a later line for the assignment moves them,
//!   a removal cancels them;
//! - the weekly digest leaves every Monday 00:00 UTC with the week's counts ([`digest`]);
//! - `provisioning-failure` is limited to one email per application per UTC day
//!   ([`provisioning`]);
//! - every other event's emails leave at the event's time.
//!
//! Order: by send time; at one second, the log's events are applied first, then what is due
//! then leaves, in the order it was scheduled (see [`schedule`]).
//!
//! Memory holds the open state only: pending requests, live assignments, the week's counts,
//! one entry per application, the people last named for each class, what is scheduled. The
//! live assignments and the approval engine's emails waiting for their delay are bounded
//! together ([`OPEN_CAPACITY`]); nothing is sent after [`LATEST_TIME`].

pub mod capacity;
pub mod digest;
pub mod log;
mod mail;
pub mod provisioning;
pub mod replay;
pub mod schedule;

pub use mail::Mailer;

use crate::instance::{Instance, Person};
use crate::time::{self, DAY, LATEST_TIME, WEEK};
use capacity::{Capacity, Held};
use digest::{DigestEffect, DigestTracker};
use log::LogError;
use provisioning::{Failure, Throttle, Verdict};
use schedule::{Key, Schedule};
use std::collections::{BTreeMap, HashMap};

/// The events whose emails the request approval engine sends, after the approval delay.
pub const APPROVAL_PENDING: &str = "approval-pending";
pub const REQUEST_APPROVED: &str = "request-approved";
/// The events that create or move an assignment.
pub const ASSIGNMENT_EVENTS: [&str; 3] = ["role-assigned", "role-extended", "role-renewed"];
pub const PROVISIONING_FAILURE: &str = "provisioning-failure";
/// The events the simulator makes itself.
pub const ROLE_EXPIRING: &str = "role-expiring";
pub const ROLE_EXPIRED: &str = "role-expired";
pub const WEEKLY_DIGEST: &str = "weekly-digest";
/// The scope of the weekly digest.
pub const DIGEST_SCOPE: &str = "entra-role";
/// The fact the approval engine sets when a request is approved before its first email.
pub const APPROVED_BEFORE_FIRST_EMAIL: &str = "approved-before-first-email";
/// How long before an assignment's end each `role-expiring` reminder leaves.
pub const REMINDERS_BEFORE_END: [i64; 2] = [14 * DAY, DAY];

/// The most live assignments and approval engine emails waiting for their delay the
/// simulation holds at once, together (a million).
pub const MAX_OPEN_ASSIGNMENTS: usize = 1_000_000;

/// The most bytes of log lines those hold at once, together (256 MiB). With
/// [`MAX_OPEN_ASSIGNMENTS`], their memory stays under 2 GB: about 1.6 GB for a million
/// assignments like the examples'; a short line's assignment weighs about 1.4 KB, a longer
/// one's at most 3.3 times its bytes more.
pub const MAX_OPEN_BYTES: usize = 256 << 20;

/// What the simulation holds open at most: [`MAX_OPEN_ASSIGNMENTS`], [`MAX_OPEN_BYTES`].
pub const OPEN_CAPACITY: Capacity = Capacity {
    entries: MAX_OPEN_ASSIGNMENTS,
    bytes: MAX_OPEN_BYTES,
};

/// One line of the log, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedEvent {
    /// its line number in the log (1-based)
    pub line: usize,
    /// the length of its line, in bytes (what it weighs in the open state)
    pub bytes: usize,
    pub at: i64,
    pub change: Change,
}

/// What a line of the log says happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// an event, with its emails to send
    Occurred(Box<Occurrence>),
    /// an assignment ended early: its reminders and expiry are cancelled
    Removed { assignment: String },
}

/// An event of the log, resolved against the rule set that sends its emails.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// the index of that rule set among those given
    pub rule_set: usize,
    /// the event as `render` reads it, `at` included
    pub instance: Instance,
    /// the approval request (`approval-pending`, `request-approved`)
    pub request: Option<String>,
    /// the assignment, with its end when time-bound
    pub assignment: Option<String>,
    pub end: Option<i64>,
    /// what the event counts for in the weekly digest
    pub digest: DigestEffect,
}

/// Emails to send: an instance to render and when it leaves.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispatch {
    pub at: i64,
    pub rule_set: usize,
    /// `sent_at` is `at`
    pub instance: Instance,
    pub cause: Cause,
}

/// Why a dispatch leaves when it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// the event of this line, at its time
    Logged { line: usize },
    /// the approval engine's first email for `request`, after the delay
    PendingApproval {
        line: usize,
        request: String,
        /// the request was approved before this email left
        approved_first: bool,
    },
    /// the approval engine's approval email, after the delay
    Approved { line: usize, request: String },
    /// a reminder before the assignment's end
    Reminder { assignment: String, end: i64 },
    /// the assignment's end
    Expiry { assignment: String },
    /// the digest of the week that started at `week_start`
    Digest { week_start: i64 },
    /// a provisioning failure within the daily limit, reporting `more` others; `next_day` when
    /// it reports failures of the day before
    Provisioning {
        line: usize,
        application: String,
        more: u64,
        next_day: bool,
    },
}

/// How a simulation runs.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// seconds from an approval engine event to its email
    pub approval_delay: i64,
    /// the weekly digest, when a rule set sends it
    pub digest: Option<DigestSettings>,
    /// nothing is sent after this instant; without it everything scheduled up to
    /// [`LATEST_TIME`] is sent
    pub until: Option<i64>,
    /// people by recipient class who receive the time-driven emails (reminders, digest)
    pub directory: Vec<(String, Vec<Person>)>,
}

/// Which rule set sends the weekly digest, and the facts it is sent with.
#[derive(Debug, Clone, Default)]
pub struct DigestSettings {
    pub rule_set: usize,
    pub facts: Vec<(String, String)>,
}

/// Something scheduled.
#[derive(Debug, Clone)]
enum Job {
    /// emails whose content is fixed when scheduled; `held` is the bytes of its line when it
    /// counts in the open state (the approval engine's emails, waiting for their delay)
    Send {
        dispatch: Box<Dispatch>,
        held: Option<usize>,
    },
    Reminder {
        assignment: String,
    },
    Expiry {
        assignment: String,
    },
    Digest,
    ProvisioningReport {
        application: String,
    },
}

/// A live assignment: what its reminders say, and when.
#[derive(Debug, Clone)]
struct Assignment {
    rule_set: usize,
    /// the line that last set it; reminders are this instance with another event
    instance: Instance,
    end: Option<i64>,
    /// its scheduled reminders and expiry
    jobs: Vec<Key>,
    /// the role it makes its assignee a permanent or eligible administrator of (digest)
    administrator_of: Option<String>,
    /// the bytes of its line
    bytes: usize,
}

/// The timing engine. Clone it to carry a simulation's state over.
#[derive(Debug, Clone)]
pub struct Simulator {
    settings: Settings,
    schedule: Schedule<Job>,
    /// the time of the last event applied
    clock: Option<i64>,
    /// no more digests are scheduled
    finishing: bool,
    /// request → its pending first emails
    requests: HashMap<String, Vec<Key>>,
    assignments: HashMap<String, Assignment>,
    digest: Option<DigestTracker>,
    throttle: Throttle,
    /// class → the people the log last named for it
    last_named: BTreeMap<String, Vec<Person>>,
    capacity: Capacity,
    /// the live assignments and waiting approval emails, and their lines' bytes
    held: Held,
}

impl Simulator {
    /// A simulation that holds at most [`OPEN_CAPACITY`] open.
    pub fn new(settings: Settings) -> Self {
        Simulator::with_capacity(settings, OPEN_CAPACITY)
    }

    /// A simulation that holds at most `capacity` open: live assignments and approval engine
    /// emails waiting for their delay, together.
    pub fn with_capacity(settings: Settings, capacity: Capacity) -> Self {
        Simulator {
            settings,
            schedule: Schedule::default(),
            clock: None,
            finishing: false,
            requests: HashMap::new(),
            assignments: HashMap::new(),
            digest: None,
            throttle: Throttle::default(),
            last_named: BTreeMap::new(),
            capacity,
            held: Held::default(),
        }
    }

    /// Apply an event (no earlier than the last one), after sending what is due before it:
    /// what leaves is added to `sent`. Events after `until` change nothing. An event earlier
    /// than the last one, or one that would hold more open than the capacity once what is due
    /// before it has left, is refused (an error naming its line) and changes nothing more.
    pub fn feed(&mut self, event: TimedEvent, sent: &mut Vec<Dispatch>) -> Result<(), LogError> {
        if let Some(clock) = self.clock.filter(|clock| event.at < *clock) {
            return Err(LogError::new(
                event.line,
                format!(
                    "`at` {} is before {}, when the simulation already is",
                    time::rfc3339(event.at),
                    time::rfc3339(clock)
                ),
            ));
        }
        if event.at > self.until() {
            return Ok(());
        }
        self.advance_to(event.at, sent);
        self.admit(&event)?;
        self.apply(event);
        Ok(())
    }

    /// The last instant anything is sent: `until`, and never after [`LATEST_TIME`].
    fn until(&self) -> i64 {
        self.settings
            .until
            .map_or(LATEST_TIME, |until| until.min(LATEST_TIME))
    }

    /// Whether the open state has room for what `event` adds to it.
    fn admit(&self, event: &TimedEvent) -> Result<(), LogError> {
        let Change::Occurred(occurrence) = &event.change else {
            return Ok(());
        };
        let name = occurrence.instance.event.as_str();
        let waits =
            matches!(name, APPROVAL_PENDING | REQUEST_APPROVED) && occurrence.request.is_some();
        let (added, replaced) = match &occurrence.assignment {
            Some(id) if ASSIGNMENT_EVENTS.contains(&name) => (
                usize::from(kept(occurrence)),
                self.assignments.get(id).map(|a| a.bytes),
            ),
            _ => (usize::from(waits), None),
        };
        let held = self.held.after(
            added,
            added * event.bytes,
            usize::from(replaced.is_some()),
            replaced.unwrap_or(0),
        );
        match self
            .capacity
            .exceeded(held, "assignments and approval emails")
        {
            Some(full) => Err(LogError::new(
                event.line,
                format!("with this line the simulation would hold more than {full} open at once"),
            )
            .help(
                "simulate the log in parts, or shorten `--approval-delay`: what counts is the \
                 assignments live and the approval emails waiting at the same time",
            )),
            None => Ok(()),
        }
    }

    /// Send everything due before `time` (and not after `until`) into `sent`.
    pub fn advance_to(&mut self, time: i64, sent: &mut Vec<Dispatch>) {
        let until = self.until();
        let (limit, inclusive) = if until < time {
            (until, true)
        } else {
            (time, false)
        };
        self.send_due(limit, inclusive, sent);
    }

    /// Send the rest into `sent`: everything scheduled up to `until` (and never after
    /// [`LATEST_TIME`]). The last digest is the one of the week of the last event: nothing is
    /// known of the weeks after.
    pub fn finish(&mut self, sent: &mut Vec<Dispatch>) {
        self.finishing = true;
        self.send_due(self.until(), true, sent);
    }

    fn send_due(&mut self, limit: i64, inclusive: bool, sent: &mut Vec<Dispatch>) {
        while let Some((key, job)) = self.schedule.pop_due(limit, inclusive) {
            sent.extend(self.run(key, job));
        }
    }

    /// How many sends are still scheduled (after [`finish`](Self::finish): those after `until`).
    pub fn scheduled(&self) -> usize {
        self.schedule.len()
    }

    fn apply(&mut self, event: TimedEvent) {
        let at = event.at;
        self.clock = Some(at);
        self.start_digest(at);
        if let Some(tracker) = &mut self.digest
            && at >= tracker.week_end()
        {
            // an event at the very second the week ends belongs to the next week
            let end = tracker.week_end();
            tracker.close(administrators_at(&self.assignments, end));
        }
        match event.change {
            Change::Removed { assignment } => self.remove_assignment(&assignment),
            Change::Occurred(occurrence) => self.occur(event.line, event.bytes, at, *occurrence),
        }
    }

    /// The first event starts the digest's weeks.
    fn start_digest(&mut self, at: i64) {
        if self.digest.is_none() && self.settings.digest.is_some() {
            let tracker = DigestTracker::new(at);
            self.schedule.add(tracker.week_end(), Job::Digest);
            self.digest = Some(tracker);
        }
    }

    /// An event of line `line`, of `bytes` bytes, at `at`.
    fn occur(&mut self, line: usize, bytes: usize, at: i64, occurrence: Occurrence) {
        for (class, people) in &occurrence.instance.people {
            if self.last_named.get(class) != Some(people) {
                self.last_named.insert(class.clone(), people.clone());
            }
        }
        if let Some(tracker) = &mut self.digest {
            if let Some(tile) = occurrence.digest.tile {
                tracker.count(tile);
            }
            if occurrence.digest.makes_administrator
                && occurrence.assignment.is_none()
                && let Some(role) = &occurrence.instance.details.role
            {
                tracker.add_lasting_administrator(role);
            }
        }
        let event = occurrence.instance.event.as_str();
        if event == PROVISIONING_FAILURE {
            return self.provisioning_failure(line, at, occurrence);
        }
        if ASSIGNMENT_EVENTS.contains(&event)
            && let Some(id) = &occurrence.assignment
        {
            self.set_assignment(id.clone(), at, bytes, &occurrence);
        }
        let delayed = at.saturating_add(self.settings.approval_delay);
        let (due, cause) = match (event, occurrence.request.clone()) {
            (APPROVAL_PENDING, Some(request)) => (
                delayed,
                Cause::PendingApproval {
                    line,
                    request,
                    approved_first: false,
                },
            ),
            (REQUEST_APPROVED, Some(request)) => {
                self.approve_first_emails(&request);
                (delayed, Cause::Approved { line, request })
            }
            _ => (at, Cause::Logged { line }),
        };
        let pending_request = match &cause {
            Cause::PendingApproval { request, .. } => Some(request.clone()),
            _ => None,
        };
        let held = match &cause {
            Cause::PendingApproval { .. } | Cause::Approved { .. } => {
                self.held.add(bytes);
                Some(bytes)
            }
            _ => None,
        };
        let dispatch = Dispatch {
            at: due,
            rule_set: occurrence.rule_set,
            instance: Instance {
                sent_at: Some(due),
                ..occurrence.instance
            },
            cause,
        };
        let key = self.schedule.add(
            due,
            Job::Send {
                dispatch: Box::new(dispatch),
                held,
            },
        );
        if let Some(request) = pending_request {
            self.requests.entry(request).or_default().push(key);
        }
    }

    /// A request was approved: its first emails that have not left say so.
    fn approve_first_emails(&mut self, request: &str) {
        for key in self.requests.remove(request).unwrap_or_default() {
            if let Some(Job::Send { dispatch, .. }) = self.schedule.get_mut(key)
                && let Cause::PendingApproval { approved_first, .. } = &mut dispatch.cause
            {
                *approved_first = true;
            }
        }
    }

    /// Create or move an assignment (of a line of `bytes` bytes): its reminders and expiry
    /// follow its (new) end. One without an end that makes nobody an administrator is not kept.
    fn set_assignment(&mut self, id: String, at: i64, bytes: usize, occurrence: &Occurrence) {
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
    fn remove_assignment(&mut self, id: &str) {
        for key in self.take_assignment(id).map(|a| a.jobs).unwrap_or_default() {
            self.schedule.cancel(key);
        }
    }

    /// Take a live assignment out of the open state.
    fn take_assignment(&mut self, id: &str) -> Option<Assignment> {
        let assignment = self.assignments.remove(id)?;
        self.held.remove(assignment.bytes);
        Some(assignment)
    }

    fn provisioning_failure(&mut self, line: usize, at: i64, occurrence: Occurrence) {
        let Some(application) = occurrence.instance.details.application.clone() else {
            // the log requires an application; without one there is nothing to limit by
            let dispatch = Dispatch {
                at,
                rule_set: occurrence.rule_set,
                instance: occurrence.instance,
                cause: Cause::Logged { line },
            };
            self.schedule.add(at, Job::send(dispatch));
            return;
        };
        let failure = Failure {
            line,
            rule_set: occurrence.rule_set,
            instance: occurrence.instance,
        };
        match self.throttle.fail(&application, at, failure) {
            Verdict::EmailNow {
                failure,
                more,
                cancel_report,
            } => {
                if let Some(key) = cancel_report {
                    self.schedule.cancel(key);
                }
                let dispatch = failure_dispatch(*failure, application, at, more, false);
                self.schedule.add(at, Job::send(dispatch));
            }
            Verdict::Counted {
                report_at: Some(due),
            } => {
                let job = Job::ProvisioningReport {
                    application: application.clone(),
                };
                let key = self.schedule.add(due, job);
                self.throttle.report_scheduled(&application, key);
            }
            Verdict::Counted { report_at: None } => {}
        }
    }

    /// Carry out a scheduled job due at `key.due`.
    fn run(&mut self, key: Key, job: Job) -> Option<Dispatch> {
        let at = key.due;
        match job {
            Job::Send { dispatch, held } => {
                if let Some(bytes) = held {
                    self.held.remove(bytes);
                }
                if let Cause::PendingApproval { request, .. } = &dispatch.cause
                    && let Some(keys) = self.requests.get_mut(request)
                {
                    keys.retain(|k| *k != key);
                    if keys.is_empty() {
                        self.requests.remove(request);
                    }
                }
                Some(*dispatch)
            }
            Job::Reminder { assignment } => {
                let live = self.assignments.get_mut(&assignment)?;
                live.jobs.retain(|k| *k != key);
                let end = live.end.unwrap_or(at);
                let (rule_set, instance) = (live.rule_set, live.instance.clone());
                Some(self.time_driven(
                    at,
                    rule_set,
                    instance,
                    ROLE_EXPIRING,
                    Cause::Reminder { assignment, end },
                ))
            }
            Job::Expiry { assignment } => {
                let ended = self.take_assignment(&assignment)?;
                Some(self.time_driven(
                    at,
                    ended.rule_set,
                    ended.instance,
                    ROLE_EXPIRED,
                    Cause::Expiry { assignment },
                ))
            }
            Job::Digest => self.digest_due(at),
            Job::ProvisioningReport { application } => {
                let (failure, more) = self.throttle.report(&application, at)?;
                Some(failure_dispatch(failure, application, at, more, true))
            }
        }
    }

    /// The weekly digest due at `at`, the end of its week; the next one is scheduled.
    fn digest_due(&mut self, at: i64) -> Option<Dispatch> {
        let settings = self.settings.digest.clone()?;
        let tracker = self.digest.as_mut()?;
        let week = match tracker.take_closed() {
            Some(week) => week,
            None => {
                tracker.close(administrators_at(&self.assignments, at));
                tracker.take_closed()?
            }
        };
        // finishing, the next week has a digest only when the last event fell in it
        if !self.finishing || self.clock.is_some_and(|clock| clock >= at) {
            self.schedule.add(at + WEEK, Job::Digest);
        }
        let mut instance = Instance {
            event: WEEKLY_DIGEST.to_owned(),
            scope: DIGEST_SCOPE.to_owned(),
            facts: settings.facts,
            ..Instance::default()
        };
        instance.details.start = Some(time::readable(week.start));
        instance.details.end = Some(time::readable(at));
        instance.details.digest = Some(week.digest);
        Some(self.time_driven(
            at,
            settings.rule_set,
            instance,
            WEEKLY_DIGEST,
            Cause::Digest {
                week_start: week.start,
            },
        ))
    }

    /// A time-driven email: `instance` as `event`, sent at `at` to the people of the directory
    /// and those the log last named for each class.
    fn time_driven(
        &self,
        at: i64,
        rule_set: usize,
        instance: Instance,
        event: &str,
        cause: Cause,
    ) -> Dispatch {
        let people = self
            .settings
            .directory
            .iter()
            .cloned()
            .chain(
                self.last_named
                    .iter()
                    .map(|(class, people)| (class.clone(), people.clone())),
            )
            .collect();
        Dispatch {
            at,
            rule_set,
            instance: Instance {
                event: event.to_owned(),
                sent_at: Some(at),
                people,
                ..instance
            },
            cause,
        }
    }
}

impl Job {
    /// Emails that do not count in the open state (they leave at the time of their line).
    fn send(dispatch: Dispatch) -> Job {
        Job::Send {
            dispatch: Box::new(dispatch),
            held: None,
        }
    }
}

/// Whether an assignment line is kept live: it has an end (reminders and an expiry), or makes
/// its assignee an administrator of a role (the digest's top roles).
fn kept(occurrence: &Occurrence) -> bool {
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
fn administrators_at(
    assignments: &HashMap<String, Assignment>,
    at: i64,
) -> impl Iterator<Item = &str> {
    assignments
        .values()
        .filter(move |a| a.end.is_none_or(|end| end > at))
        .filter_map(|a| a.administrator_of.as_deref())
}

/// The email about a provisioning failure, sent at `at`, reporting `more` others.
fn failure_dispatch(
    failure: Failure,
    application: String,
    at: i64,
    more: u64,
    next_day: bool,
) -> Dispatch {
    let mut instance = failure.instance;
    instance.sent_at = Some(at);
    instance.details.more_failures = (more > 0).then_some(more);
    Dispatch {
        at,
        rule_set: failure.rule_set,
        instance,
        cause: Cause::Provisioning {
            line: failure.line,
            application,
            more,
            next_day,
        },
    }
}
