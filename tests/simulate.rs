//! `simulate` over generated logs: the properties of the emails it sends over time, each check
//! also run on a deliberately wrong output to show that it catches the bug it is about.
//!
//! Logs mix approvals (some approved before the first email leaves), time-bound assignments
//! with extensions and removals, activations, alerts and bursts of provisioning failures.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use pimrules::diagnostic::Severity;
use pimrules::load::RuleSource;
use pimrules::pipeline::{self, Compiled};
use pimrules::render::Rendering;
use pimrules::render::locale::Catalogues;
use pimrules::simulate::log::{LineReader, LogError, LogLines, ReorderWindow};
use pimrules::simulate::replay::{Problem, Replay, ReplayOptions, Sink};
use pimrules::simulate::{
    Cause, DigestSettings, Dispatch, Mailer, Settings, Simulator, TimedEvent,
};
use pimrules::time::{DAY, HOUR, MINUTE, day_start};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// 2025-01-09T00:00:00Z, a Thursday: every generated log starts here.
const START: i64 = 1_736_380_800;
const APPROVAL_DELAY: i64 = 5 * MINUTE;

/// The two shipped rule sets a tenant's log needs, with their catalogues.
struct RuleSets {
    compiled: Vec<Compiled>,
    catalogues: Vec<Catalogues>,
}

fn rule_sets() -> &'static RuleSets {
    // catalogues are `Sync`: one copy for every test thread
    static RULE_SETS: std::sync::OnceLock<RuleSets> = std::sync::OnceLock::new();
    RULE_SETS.get_or_init(load_rule_sets)
}

fn load_rule_sets() -> RuleSets {
    let mut build = pipeline::build(&[
        RuleSource::Shipped("entra-pim".into()),
        RuleSource::Shipped("account-provisioning".into()),
    ])
    .expect("the shipped rule sets load");
    let (catalogues, problems) = Catalogues::load_all_checked(&mut build);
    assert!(problems.is_empty(), "{problems:?}");
    RuleSets {
        compiled: build.compiled,
        catalogues,
    }
}

/// One generated line: minutes after the previous one, and what happens.
#[derive(Debug, Clone)]
enum Happening {
    Pending { request: u8 },
    Approved { request: u8 },
    Assigned { assignment: u8, hours: Option<u16> },
    Extended { assignment: u8, hours: u16 },
    Removed { assignment: u8 },
    Activated,
    OutsidePim,
    ProvisioningFailure { application: u8 },
}

fn happening() -> impl Strategy<Value = Happening> {
    prop_oneof![
        (0..4u8).prop_map(|request| Happening::Pending { request }),
        (0..4u8).prop_map(|request| Happening::Approved { request }),
        (0..3u8, proptest::option::of(1..800u16))
            .prop_map(|(assignment, hours)| Happening::Assigned { assignment, hours }),
        (0..3u8, 1..800u16)
            .prop_map(|(assignment, hours)| Happening::Extended { assignment, hours }),
        (0..3u8).prop_map(|assignment| Happening::Removed { assignment }),
        Just(Happening::Activated),
        Just(Happening::OutsidePim),
        (0..2u8).prop_map(|application| Happening::ProvisioningFailure { application }),
    ]
}

/// A log: each line some minutes (0 to 3 days, often few) after the one before.
fn log() -> impl Strategy<Value = Vec<(i64, Happening)>> {
    let gap = prop_oneof![0..10i64, 0..(3 * 24 * 60i64)];
    proptest::collection::vec((gap, happening()), 1..40).prop_map(|lines| {
        let mut at = START;
        lines
            .into_iter()
            .map(|(minutes, happening)| {
                at += minutes * MINUTE;
                (at, happening)
            })
            .collect()
    })
}

fn person(name: &str) -> serde_json::Value {
    json!({"name": name, "email": format!("{}@contoso.com", name.to_lowercase())})
}

/// The JSON line of a generated event.
fn line(at: i64, happening: &Happening) -> String {
    let time = pimrules::time::rfc3339(at);
    let entra = |event: &str| json!({"at": time, "event": event, "scope": "entra-role"});
    let mut value = match happening {
        Happening::Pending { request } => {
            let mut v = entra("approval-pending");
            v["request"] = json!(format!("r{request}"));
            v["people"] = json!({"approver": [person("Ann"), person("Bob")]});
            v
        }
        Happening::Approved { request } => {
            let mut v = entra("request-approved");
            v["request"] = json!(format!("r{request}"));
            v["people"] = json!({"approver": [person("Ann")]});
            v
        }
        Happening::Assigned { assignment, hours } => {
            let mut v = json!({"at": time, "event": "role-assigned", "scope": "azure-resource",
                               "assignment": format!("a{assignment}"),
                               "facts": {"assignment": "eligible"}});
            if let Some(hours) = hours {
                v["end"] = json!(pimrules::time::rfc3339(at + i64::from(*hours) * HOUR));
            }
            v["people"] = json!({"permanent-owner": [person("Olivia")]});
            v
        }
        Happening::Extended { assignment, hours } => {
            json!({"at": time, "event": "role-extended", "scope": "azure-resource",
                   "assignment": format!("a{assignment}"),
                   "end": pimrules::time::rfc3339(at + i64::from(*hours) * HOUR)})
        }
        Happening::Removed { assignment } => {
            let removal =
                json!({"at": time, "assignment": format!("a{assignment}"), "removed": true});
            return removal.to_string();
        }
        Happening::Activated => entra("activation-completed"),
        Happening::OutsidePim => {
            let mut v = entra("alert");
            v["facts"] = json!({"alert-type": "roles-assigned-outside-pim"});
            v
        }
        Happening::ProvisioningFailure { application } => {
            let application = ["Salesforce", "Workday"][usize::from(*application)];
            json!({"at": time, "event": "provisioning-failure", "scope": "app-provisioning",
                   "application": application,
                   "people": {"provisioning-contact": [person("Ops")]}})
        }
    };
    value["role"] = json!("Backup Reader");
    value["assignee"] = person("Alain");
    value.to_string()
}

/// The events of a generated log, read as `simulate` reads them.
fn events(log: &[(i64, Happening)]) -> Vec<TimedEvent> {
    let sets = rule_sets();
    let reader = LineReader::new(sets.compiled.iter().map(|c| &c.table.vocabulary).collect());
    log.iter()
        .enumerate()
        .map(|(index, (at, happening))| {
            let text = line(*at, happening);
            reader
                .read(index + 1, &text)
                .unwrap_or_else(|e| panic!("line {text} is valid: {e:?}"))
        })
        .collect()
}

fn settings() -> Settings {
    Settings {
        approval_delay: APPROVAL_DELAY,
        digest: Some(DigestSettings::default()),
        until: None,
        directory: vec![(
            "global-administrator".to_owned(),
            vec![pimrules::instance::Person {
                name: Some("Gustav".to_owned()),
                email: "gustav@contoso.com".to_owned(),
                activated: true,
            }],
        )],
    }
}

/// The dispatches of a whole log, fed at once; with `split`, the first part is fed, what is
/// due before the rest is drained, and a clone of the simulator goes on with the rest.
fn dispatches(events: &[TimedEvent], split: Option<usize>) -> Vec<Dispatch> {
    let mut simulator = Simulator::new(settings());
    let mut sent = Vec::new();
    let (first, rest) = events.split_at(split.unwrap_or(events.len()).min(events.len()));
    for event in first {
        simulator.feed(event.clone(), &mut sent).expect("in order");
    }
    if let Some(next) = rest.first() {
        simulator.advance_to(next.at, &mut sent);
        simulator = simulator.clone();
    }
    for event in rest {
        simulator.feed(event.clone(), &mut sent).expect("in order");
    }
    simulator.finish(&mut sent);
    sent
}

/// One email as the checks see it.
#[derive(Debug, Clone, PartialEq)]
struct Sent {
    at: i64,
    event: String,
    to: String,
    class: String,
    subject: String,
    cause: Cause,
}

fn emails(dispatches: &[Dispatch]) -> Vec<Sent> {
    let sets = rule_sets();
    let mailer = Mailer::new(
        sets.compiled
            .iter()
            .zip(&sets.catalogues)
            .map(|(c, catalogues)| (&c.table, catalogues.locale("en").expect("en")))
            .collect(),
    );
    let mut sent = Vec::new();
    for dispatch in dispatches {
        let Some(rendering) = mailer.render(dispatch).expect("renders") else {
            continue;
        };
        let v = mailer.vocabulary(dispatch.rule_set).expect("a rule set");
        for email in &rendering.emails {
            sent.push(Sent {
                at: dispatch.at,
                event: dispatch.instance.event.clone(),
                to: email.recipient.address.clone(),
                class: v.class_name(email.recipient.classes[0]).to_owned(),
                subject: email.body.content.subject.clone(),
                cause: dispatch.cause.clone(),
            });
        }
    }
    sent
}

// ---------------------------------------------------------------------------------------------
// The checks: each returns what is wrong with an output.

fn sorted_by_time(emails: &[Sent]) -> Result<(), String> {
    match emails.windows(2).find(|pair| pair[1].at < pair[0].at) {
        Some(pair) => Err(format!("{:?} comes after {:?}", pair[1], pair[0])),
        None => Ok(()),
    }
}

fn one_provisioning_email_per_application_and_day(emails: &[Sent]) -> Result<(), String> {
    let mut seen: HashMap<(String, String, i64), usize> = HashMap::new();
    for email in emails.iter().filter(|e| e.event == "provisioning-failure") {
        let Cause::Provisioning { application, .. } = &email.cause else {
            return Err(format!("{email:?} has no application"));
        };
        let key = (application.clone(), email.to.clone(), day_start(email.at));
        let count = seen.entry(key).or_default();
        *count += 1;
        if *count > 1 {
            return Err(format!(
                "a second email for {application} that day: {email:?}"
            ));
        }
    }
    Ok(())
}

/// The pending lines whose request was approved no later than their first email's due time,
/// by a line after them: computed from the log alone, not by the engine.
fn approved_before_first_email(log: &[(i64, Happening)]) -> Vec<usize> {
    log.iter()
        .enumerate()
        .filter_map(|(index, (at, happening))| {
            let Happening::Pending { request } = happening else {
                return None;
            };
            let approved = log[index + 1..].iter().any(|(later, h)| {
                matches!(h, Happening::Approved { request: r } if r == request)
                    && *later <= at + APPROVAL_DELAY
            });
            approved.then_some(index + 1)
        })
        .collect()
}

fn suppressed_pending_never_sent(emails: &[Sent], suppressed: &[usize]) -> Result<(), String> {
    for email in emails.iter().filter(|e| e.event == "approval-pending") {
        if let Cause::PendingApproval { line, .. } = email.cause
            && suppressed.contains(&line)
            && email.class == "approver"
        {
            return Err(format!("line {line} was approved first, yet {email:?}"));
        }
    }
    Ok(())
}

fn at_most_two_reminders_per_end(emails: &[Sent]) -> Result<(), String> {
    let mut seen: HashMap<(String, i64, String), usize> = HashMap::new();
    for email in emails.iter().filter(|e| e.event == "role-expiring") {
        let Cause::Reminder { assignment, end } = &email.cause else {
            return Err(format!("{email:?} is not a reminder"));
        };
        let count = seen
            .entry((assignment.clone(), *end, email.to.clone()))
            .or_default();
        *count += 1;
        if *count > 2 {
            return Err(format!("a third reminder for {assignment}: {email:?}"));
        }
    }
    Ok(())
}

fn same_emails(whole: &[Sent], split: &[Sent]) -> Result<(), String> {
    if whole.len() != split.len() {
        return Err(format!(
            "{} emails vs {} when split",
            whole.len(),
            split.len()
        ));
    }
    match whole.iter().zip(split).position(|(a, b)| a != b) {
        Some(i) => Err(format!("email {i}: {:?} vs {:?}", whole[i], split[i])),
        None => Ok(()),
    }
}

/// Every failure is reported once: as the failure of an email, or among its "N more".
fn every_failure_reported_once(emails: &[Sent], failures: usize) -> Result<(), String> {
    let mut reported: BTreeMap<(i64, String), u64> = BTreeMap::new();
    for email in emails.iter().filter(|e| e.event == "provisioning-failure") {
        if let Cause::Provisioning { more, .. } = email.cause {
            // one recipient per failure email in these logs
            reported.insert((email.at, email.subject.clone()), 1 + more);
        }
    }
    let total: u64 = reported.values().sum();
    if total as usize == failures {
        Ok(())
    } else {
        Err(format!("{failures} failures, {total} reported"))
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/simulate.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn emails_over_time_keep_their_promises(log in log(), split in any::<prop::sample::Index>()) {
        let events = events(&log);
        let whole = emails(&dispatches(&events, None));
        prop_assert_eq!(sorted_by_time(&whole), Ok(()));
        prop_assert_eq!(one_provisioning_email_per_application_and_day(&whole), Ok(()));
        let suppressed = approved_before_first_email(&log);
        prop_assert_eq!(suppressed_pending_never_sent(&whole, &suppressed), Ok(()));
        prop_assert_eq!(at_most_two_reminders_per_end(&whole), Ok(()));
        let failures = log
            .iter()
            .filter(|(_, h)| matches!(h, Happening::ProvisioningFailure { .. }))
            .count();
        prop_assert_eq!(every_failure_reported_once(&whole, failures), Ok(()));
        // not vacuous: every pending line not approved first reaches both approvers
        let pending = log.iter().filter(|(_, h)| matches!(h, Happening::Pending { .. })).count();
        let to_approvers = whole
            .iter()
            .filter(|e| e.event == "approval-pending" && e.class == "approver")
            .count();
        prop_assert_eq!(to_approvers, 2 * (pending - suppressed.len()));
        let at = split.index(events.len() + 1);
        let split = emails(&dispatches(&events, Some(at)));
        prop_assert_eq!(same_emails(&whole, &split), Ok(()));
    }

    #[test]
    fn the_reorder_window_sorts_lines_stably(log in log(), early in prop::collection::vec(0..=HOUR, 40)) {
        let events = events(&log);
        // read each line as if it were written up to an hour early: every line is then at most
        // the window before the latest line read before it
        let mut shuffled = events.clone();
        shuffled.sort_by_key(|e| e.at - early[(e.line - 1) % early.len()]);
        let mut window = ReorderWindow::new(HOUR);
        let mut read = Vec::new();
        for event in shuffled {
            match window.push(event) {
                Ok(ready) => read.extend(ready),
                Err(error) => return Err(TestCaseError::fail(format!("{error:?}"))),
            }
        }
        read.extend(window.finish());
        let mut expected = events.clone();
        expected.sort_by_key(|e| (e.at, e.line));
        prop_assert_eq!(read, expected);
    }
}

// ---------------------------------------------------------------------------------------------
// Each check catches the bug it is about: a real output, made wrong on purpose.

/// A week that exercises every check: approvals (one approved first), an assignment with both
/// reminders, a burst of provisioning failures, a Monday.
fn sample_log() -> Vec<(i64, Happening)> {
    use Happening::*;
    let minutes = |m: i64| START + m * MINUTE;
    vec![
        (minutes(0), Pending { request: 1 }),
        (minutes(2), Approved { request: 1 }),
        (minutes(10), Pending { request: 2 }),
        (minutes(30), Approved { request: 2 }),
        (
            minutes(40),
            Assigned {
                assignment: 1,
                hours: Some(20 * 24),
            },
        ),
        (minutes(60), ProvisioningFailure { application: 0 }),
        (minutes(70), ProvisioningFailure { application: 0 }),
        (minutes(80), ProvisioningFailure { application: 0 }),
        (START + 2 * DAY, Activated),
        (START + 5 * DAY, OutsidePim),
    ]
}

fn sample() -> (Vec<(i64, Happening)>, Vec<Sent>) {
    let log = sample_log();
    let sent = emails(&dispatches(&events(&log), None));
    (log, sent)
}

#[test]
fn the_sample_passes_every_check() {
    let (log, sent) = sample();
    assert_eq!(sorted_by_time(&sent), Ok(()));
    assert_eq!(
        one_provisioning_email_per_application_and_day(&sent),
        Ok(())
    );
    assert_eq!(approved_before_first_email(&log), [1]);
    assert_eq!(suppressed_pending_never_sent(&sent, &[1]), Ok(()));
    assert_eq!(at_most_two_reminders_per_end(&sent), Ok(()));
    assert_eq!(every_failure_reported_once(&sent, 3), Ok(()));
    let count = |event: &str| sent.iter().filter(|e| e.event == event).count();
    assert_eq!(
        count("role-expiring"),
        2,
        "14 days and 1 day before the end"
    );
    assert_eq!(
        count("provisioning-failure"),
        2,
        "one at once, one the next day"
    );
    assert_eq!(count("weekly-digest"), 2, "Monday 13 and Monday 20 January");
}

#[test]
fn sorting_check_catches_a_late_email() {
    let (_, mut sent) = sample();
    let last = sent.len() - 1;
    sent.swap(0, last);
    assert!(sorted_by_time(&sent).is_err());
}

#[test]
fn daily_limit_check_catches_a_second_email_on_a_day() {
    let (_, mut sent) = sample();
    let first = sent
        .iter()
        .position(|e| e.event == "provisioning-failure")
        .expect("a provisioning email");
    let mut again = sent[first].clone();
    again.at += HOUR;
    sent.insert(first + 1, again);
    assert!(one_provisioning_email_per_application_and_day(&sent).is_err());
}

#[test]
fn suppression_check_catches_a_pending_email_sent_anyway() {
    let (_, mut sent) = sample();
    let approved_later = sent
        .iter()
        .find(|e| {
            e.event == "approval-pending"
                && matches!(e.cause, Cause::PendingApproval { line: 3, .. })
        })
        .expect("request 2 was approved too late to suppress")
        .clone();
    sent.push(Sent {
        cause: Cause::PendingApproval {
            line: 1,
            request: "r1".into(),
            approved_first: true,
        },
        ..approved_later
    });
    assert!(suppressed_pending_never_sent(&sent, &[1]).is_err());
}

#[test]
fn reminder_check_catches_a_third_reminder() {
    let (_, mut sent) = sample();
    let reminder = sent
        .iter()
        .find(|e| e.event == "role-expiring")
        .expect("a reminder")
        .clone();
    sent.push(reminder);
    assert!(at_most_two_reminders_per_end(&sent).is_err());
}

#[test]
fn split_check_catches_a_lost_email() {
    let (_, sent) = sample();
    for lost in [0, sent.len() / 2, sent.len() - 1] {
        let mut split = sent.clone();
        split.remove(lost);
        assert!(same_emails(&sent, &split).is_err());
    }
    let mut reordered = sent.clone();
    reordered.swap(0, 1);
    assert!(same_emails(&sent, &reordered).is_err());
}

#[test]
fn reported_once_check_catches_an_uncounted_failure() {
    let (_, sent) = sample();
    assert!(every_failure_reported_once(&sent, 4).is_err());
}

// ---------------------------------------------------------------------------------------------
// The example week, end to end.

fn example(file: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/week")
        .join(file)
}

/// The dispatches of the example week, replayed as the command replays it.
fn example_week() -> Vec<Dispatch> {
    let sets = rule_sets();
    let vocabularies: Vec<_> = sets.compiled.iter().map(|c| &c.table.vocabulary).collect();
    let directory = std::fs::read_to_string(example("directory.json")).expect("the directory");
    let directory =
        pimrules::simulate::log::read_directory(&directory, &vocabularies).expect("valid");
    let settings = Settings {
        approval_delay: APPROVAL_DELAY,
        digest: Some(DigestSettings::default()),
        until: None,
        directory,
    };
    let options = ReplayOptions {
        reorder_window: HOUR,
        keep_going: false,
    };
    let mut replay = Replay::new(vocabularies, settings, options);
    let log = std::fs::read(example("events.jsonl")).expect("the log");
    let mut sent = Dispatches(Vec::new());
    replay
        .run(&log[..], None, &mut sent)
        .expect("the example week replays");
    sent.0
}

/// The dispatches of a replay; a problem with the log fails the test.
struct Dispatches(Vec<Dispatch>);

impl Sink for Dispatches {
    type Stop = std::convert::Infallible;

    fn sent(&mut self, dispatch: &Dispatch, _: Option<&Rendering>) -> Result<(), Self::Stop> {
        self.0.push(dispatch.clone());
        Ok(())
    }

    fn problem(&mut self, _: Problem, error: &LogError, _: Option<&str>, _: Severity) {
        panic!("a problem with the example week: {error:?}")
    }
}

#[test]
fn the_example_weeks_digests_count_what_the_readme_says() {
    let digests: Vec<(String, pimrules::instance::Digest)> = example_week()
        .into_iter()
        .filter(|d| matches!(d.cause, Cause::Digest { .. }))
        .map(|d| {
            let digest = d.instance.details.digest.clone().expect("a digest");
            (pimrules::time::rfc3339(d.at), digest)
        })
        .collect();
    /// when, the four counts, the top roles with their administrators
    type Summary<'a> = (&'a str, [u64; 4], Vec<(&'a str, u64)>);
    let summary: Vec<Summary> = digests
        .iter()
        .map(|(at, d)| {
            (
                at.as_str(),
                [
                    d.users_activated,
                    d.users_made_permanent,
                    d.assignments_in_pim,
                    d.assignments_outside_pim,
                ],
                d.top_roles
                    .iter()
                    .map(|t| (t.role.as_str(), t.admins))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                // Thursday to Sunday: two activations, four eligible assignments, one alert; the
                // permanent assignment at Monday 00:00 belongs to the next week
                "2025-01-13T00:00:00Z",
                [2, 0, 4, 1],
                vec![
                    ("Security Reader", 2),
                    ("Exchange Administrator", 1),
                    ("Global Administrator", 1)
                ]
            ),
            (
                // a-300 made permanent; a-100 removed on Tuesday leaves Security Reader one
                "2025-01-20T00:00:00Z",
                [2, 1, 0, 0],
                vec![
                    ("Global Administrator", 2),
                    ("Exchange Administrator", 1),
                    ("Security Reader", 1)
                ]
            ),
        ]
    );
}

/// Run the binary on the example week with `args` after the rules, input and directory.
fn run_example(args: &[&str], stdin: Option<&[u8]>) -> std::process::Output {
    use std::io::Write;
    let events = example("events.jsonl");
    let input = if stdin.is_some() {
        "-".to_owned()
    } else {
        events.display().to_string()
    };
    let directory = example("directory.json").display().to_string();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pimrules"))
        .args([
            "simulate",
            "--rules",
            "entra-pim",
            "--rules",
            "account-provisioning",
        ])
        .args(["--input", &input, "--directory", &directory])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(mut pipe) = child.stdin.take() {
        // a run that fails before reading closes the pipe: its output says what happened
        let _ = pipe.write_all(stdin.unwrap_or_default());
    }
    child.wait_with_output().expect("the binary ends")
}

#[test]
fn out_dir_holds_every_email_in_send_order() {
    let dir = std::env::temp_dir().join(format!("pimrules-simulate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let output = run_example(&["--out-dir", dir.to_str().expect("a UTF-8 path")], None);
    assert!(output.status.success(), "{output:?}");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .expect("the folder was made")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    files.sort();
    assert_eq!(files.len(), lines.len(), "one file per email");
    for (file, line) in files.iter().zip(&lines) {
        let bytes = std::fs::read(file).expect("readable");
        let message = mail_parser::MessageParser::default()
            .parse(&bytes)
            .expect("a message");
        let to = message
            .to()
            .and_then(|to| to.first())
            .and_then(|a| a.address())
            .expect("a recipient");
        assert_eq!(to, line["to"], "{}", file.display());
        assert_eq!(message.subject(), line["subject"].as_str());
        let name = file
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let stamp = line["at"].as_str().expect("at").replace(['-', ':'], "");
        assert!(name.starts_with(&stamp), "{name} is named by its time");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn standard_input_reads_the_same_log() {
    let from_file = run_example(&[], None);
    let log = std::fs::read(example("events.jsonl")).expect("the log");
    let from_stdin = run_example(&[], Some(&log));
    assert!(from_file.status.success() && from_stdin.status.success());
    assert!(!from_file.stdout.is_empty());
    assert_eq!(from_file.stdout, from_stdin.stdout);
}

#[test]
fn a_byte_order_mark_before_the_log_changes_nothing() {
    let log = std::fs::read(example("events.jsonl")).expect("the log");
    let with_bom = [&b"\xef\xbb\xbf"[..], &log].concat();
    let from_file = run_example(&[], None);
    let from_stdin = run_example(&[], Some(&with_bom));
    assert!(from_stdin.status.success(), "{from_stdin:?}");
    assert_eq!(from_file.stdout, from_stdin.stdout);
    // only the first line may start with one; its columns are counted after it
    let text = "\u{feff}{\"at\": 1}\n\n\u{feff}{}\n";
    let lines: Vec<(usize, Result<String, LogError>)> = LogLines::new(text.as_bytes())
        .map(|line| line.expect("read"))
        .collect();
    assert_eq!(lines[0], (1, Ok("{\"at\": 1}".to_owned())));
    assert_eq!(lines[1], (3, Ok("\u{feff}{}".to_owned())));
    assert_eq!(lines.len(), 2);
}

#[test]
fn a_key_given_twice_is_a_bad_line_at_the_second() {
    let sets = rule_sets();
    let reader = LineReader::new(sets.compiled.iter().map(|c| &c.table.vocabulary).collect());
    let line = |people: &str| {
        format!(
            r#"{{"at": "2025-01-09T08:00:00Z", "event": "role-activated", "scope": "entra-role", "role": "Björn's role", "people": {people}}}"#
        )
    };
    let once = line(r#"{"global-administrator": [{"email": "a@contoso.com"}]}"#);
    assert!(reader.read(1, &once).is_ok());
    for (people, key) in [
        (
            r#"{"global-administrator": [{"email": "a@contoso.com", "email": "b@contoso.com"}]}"#,
            "email",
        ),
        (
            r#"{"global-administrator": [], "global-administrator": [{"email": "b@contoso.com"}]}"#,
            "global-administrator",
        ),
    ] {
        let text = line(people);
        let error = reader.read(7, &text).expect_err("a key twice");
        assert_eq!(error.line, 7);
        assert_eq!(
            error.message,
            format!("`{key}` is given twice in one object")
        );
        // the column counts characters (`ö` is two bytes)
        let quoted = format!("\"{key}\"");
        let second = text.rfind(&quoted).expect("the key");
        assert_eq!(error.column, Some(text[..second].chars().count() + 1));
    }
}

#[test]
fn an_event_at_monday_midnight_gets_the_digest_of_its_own_week() {
    let monday = START + 4 * DAY; // 2025-01-13T00:00:00Z
    let log = [
        (START, Happening::Activated),
        (monday, Happening::Activated),
    ];
    let digests = |until: Option<i64>| {
        let mut simulator = Simulator::new(Settings {
            until,
            ..settings()
        });
        let mut sent = Vec::new();
        for event in events(&log) {
            simulator.feed(event, &mut sent).expect("in order");
        }
        simulator.finish(&mut sent);
        let weeks: Vec<(i64, u64)> = sent
            .iter()
            .filter_map(|d| match (&d.cause, &d.instance.details.digest) {
                (Cause::Digest { .. }, Some(digest)) => Some((d.at, digest.users_activated)),
                _ => None,
            })
            .collect();
        (weeks, simulator.scheduled())
    };
    // the activation at 00:00 belongs to the new week, whose digest leaves a week later
    assert_eq!(digests(None), (vec![(monday, 1), (monday + 7 * DAY, 1)], 0));
    // until that Monday: its digest leaves, the next one is left scheduled
    assert_eq!(digests(Some(monday)), (vec![(monday, 1)], 1));
}
