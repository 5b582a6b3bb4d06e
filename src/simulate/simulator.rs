//! The timing engine: the [`Simulator`]'s open state, the events it is fed, and the jobs it
//! runs when they fall due (sends, reminders, expiries, digests, provisioning reports).

use super::assignments::{Assignment, administrators_at, kept};
use super::capacity::{Capacity, Held};
use super::digest::DigestTracker;
use super::failure_emails::failure_dispatch;
use super::log::LogError;
use super::provisioning::Throttle;
use super::schedule::{Key, Schedule};
use super::{
    APPROVAL_PENDING, ASSIGNMENT_EVENTS, Cause, Change, DIGEST_SCOPE, Dispatch, OPEN_CAPACITY,
    Occurrence, PROVISIONING_FAILURE, REQUEST_APPROVED, ROLE_EXPIRED, ROLE_EXPIRING, Settings,
    TimedEvent, WEEKLY_DIGEST,
};
use crate::instance::{Instance, Person};
use crate::time::{self, LATEST_TIME, WEEK};
use std::collections::{BTreeMap, HashMap};

/// Something scheduled.
#[derive(Debug, Clone)]
pub(super) enum Job {
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

/// The timing engine. Clone it to carry a simulation's state over.
#[derive(Debug, Clone)]
pub struct Simulator {
    settings: Settings,
    pub(super) schedule: Schedule<Job>,
    /// the time of the last event applied
    clock: Option<i64>,
    /// no more digests are scheduled
    finishing: bool,
    /// request → its pending first emails
    requests: HashMap<String, Vec<Key>>,
    pub(super) assignments: HashMap<String, Assignment>,
    digest: Option<DigestTracker>,
    pub(super) throttle: Throttle,
    /// class → the people the log last named for it
    last_named: BTreeMap<String, Vec<Person>>,
    capacity: Capacity,
    /// the live assignments and waiting approval emails, and their lines' bytes
    pub(super) held: Held,
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
    pub(super) fn send(dispatch: Dispatch) -> Job {
        Job::Send {
            dispatch: Box::new(dispatch),
            held: None,
        }
    }
}
