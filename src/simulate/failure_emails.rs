//! `provisioning-failure` events through the daily limit: each is emailed now, only counted,
//! or reported the next day, as [`Throttle`](super::provisioning::Throttle) decides.

use super::provisioning::{Failure, Verdict};
use super::simulator::{Job, Simulator};
use super::{Cause, Dispatch, Occurrence};

impl Simulator {
    pub(super) fn provisioning_failure(&mut self, line: usize, at: i64, occurrence: Occurrence) {
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
}

/// The email about a provisioning failure, sent at `at`, reporting `more` others.
pub(super) fn failure_dispatch(
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
