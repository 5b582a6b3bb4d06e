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
//! together ([`OPEN_CAPACITY`]); nothing is sent after [`LATEST_TIME`](crate::time::LATEST_TIME).

mod assignments;
pub mod capacity;
pub mod digest;
mod failure_emails;
pub mod log;
mod mail;
pub mod provisioning;
pub mod replay;
pub mod schedule;
mod simulator;

pub use mail::Mailer;
pub use simulator::Simulator;

use crate::instance::{Instance, Person};
use crate::time::DAY;
use capacity::Capacity;
use digest::DigestEffect;

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
    /// [`LATEST_TIME`](crate::time::LATEST_TIME) is sent
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
