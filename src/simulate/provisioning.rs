//! Account provisioning's daily limit: at most one `provisioning-failure` email per application
//! per UTC day, with the failures it could not email counted and reported by a later one.
//!
//! The first failure of an application on a day is emailed at once (the limit allows it, and a
//! critical issue should not wait). Later failures that day are counted, not emailed. When any
//! were counted, one email at 00:00 UTC the next day reports the last of them "and N more" —
//! it is that day's one email, so failures later that day are counted and reported the day
//! after, and so on. A failure emailed when earlier ones are still unreported (at exactly
//! 00:00, before their report left) reports them itself. So every failure is reported exactly
//! once: as the failure an email is about, or among its "N more".

use super::schedule::Key;
use crate::instance::Instance;
use crate::time::{DAY, day_start};
use std::collections::HashMap;

/// A failure as the log gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub line: usize,
    pub rule_set: usize,
    pub instance: Instance,
}

/// What to do with a failure.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// email it now, reporting `more` earlier failures; cancel the report that would have
    EmailNow {
        failure: Box<Failure>,
        more: u64,
        cancel_report: Option<Key>,
    },
    /// counted; schedule the report at `report_at` (none when one is scheduled already)
    Counted { report_at: Option<i64> },
}

/// The daily limit's state for every application seen.
#[derive(Debug, Clone, Default)]
pub struct Throttle {
    applications: HashMap<String, Application>,
}

#[derive(Debug, Clone, Default)]
struct Application {
    /// the start of the last day an email was sent for the application
    emailed_on: Option<i64>,
    /// failures no email has reported yet
    unreported: u64,
    /// the last of them
    latest: Option<Failure>,
    /// the report scheduled for them
    report: Option<Key>,
}

impl Throttle {
    /// A failure of `application` at `at`.
    pub fn fail(&mut self, application: &str, at: i64, failure: Failure) -> Verdict {
        let state = self.applications.entry(application.to_owned()).or_default();
        let today = day_start(at);
        if state.emailed_on != Some(today) {
            state.emailed_on = Some(today);
            state.latest = None;
            return Verdict::EmailNow {
                failure: Box::new(failure),
                more: std::mem::take(&mut state.unreported),
                cancel_report: state.report.take(),
            };
        }
        state.unreported += 1;
        state.latest = Some(failure);
        Verdict::Counted {
            report_at: state.report.is_none().then_some(today + DAY),
        }
    }

    /// Remember the key of the report scheduled for `application`.
    pub fn report_scheduled(&mut self, application: &str, key: Key) {
        if let Some(state) = self.applications.get_mut(application) {
            state.report = Some(key);
        }
    }

    /// The report due for `application` at `at` (00:00 of a day): the last unreported failure
    /// and how many more there were; `None` when nothing is left to report.
    pub fn report(&mut self, application: &str, at: i64) -> Option<(Failure, u64)> {
        let state = self.applications.get_mut(application)?;
        state.report = None;
        let latest = state.latest.take()?;
        let more = std::mem::take(&mut state.unreported).saturating_sub(1);
        state.emailed_on = Some(day_start(at));
        Some((latest, more))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(line: usize) -> Failure {
        Failure {
            line,
            rule_set: 0,
            instance: Instance::default(),
        }
    }

    #[test]
    fn one_email_a_day_and_the_rest_reported_the_next_day() {
        let mut throttle = Throttle::default();
        let day = 20_000 * DAY;
        assert_eq!(
            throttle.fail("Salesforce", day + 10, failure(1)),
            Verdict::EmailNow {
                failure: Box::new(failure(1)),
                more: 0,
                cancel_report: None
            }
        );
        assert_eq!(
            throttle.fail("Salesforce", day + 20, failure(2)),
            Verdict::Counted {
                report_at: Some(day + DAY)
            }
        );
        let mut schedule = super::super::schedule::Schedule::default();
        throttle.report_scheduled("Salesforce", schedule.add(day + DAY, ()));
        assert_eq!(
            throttle.fail("Workday", day + 25, failure(3)),
            Verdict::EmailNow {
                failure: Box::new(failure(3)),
                more: 0,
                cancel_report: None
            },
            "each application has its own limit"
        );
        assert_eq!(
            throttle.fail("Salesforce", day + 30, failure(4)),
            Verdict::Counted { report_at: None }
        );
        let (latest, more) = throttle.report("Salesforce", day + DAY).expect("a report");
        assert_eq!((latest.line, more), (4, 1));
        assert_eq!(
            throttle.fail("Salesforce", day + DAY + 5, failure(5)),
            Verdict::Counted {
                report_at: Some(day + 2 * DAY)
            },
            "the report was the day's email"
        );
    }
}
