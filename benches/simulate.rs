//! `simulate` throughput on 1 000 000 generated events: the timing engine alone, reading and
//! checking the JSON lines with it, and (on 100 000) rendering every email.
//!
//! `cargo bench --bench simulate`; the results and the log's mix are in BENCHMARKS.md.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use pimrules::diagnostic::Severity;
use pimrules::load::RuleSource;
use pimrules::pipeline::{self, Compiled};
use pimrules::render::Rendering;
use pimrules::render::locale::Catalogues;
use pimrules::ruleset::Vocabulary;
use pimrules::simulate::log::{LineReader, LogError};
use pimrules::simulate::replay::{Problem, Replay, ReplayOptions, Sink};
use pimrules::simulate::{
    Change, DigestSettings, Dispatch, Mailer, Settings, Simulator, TimedEvent,
};
use pimrules::time::{HOUR, rfc3339};
use std::hint::black_box;
use std::time::Duration;

/// Events of the engine and reading benchmarks.
const EVENTS: usize = 1_000_000;
/// Distinct events the engine benchmark replays (see [`replay`]).
const POOL: usize = 10_000;
/// Events of the benchmark that renders every email.
const RENDERED_EVENTS: usize = 100_000;
/// 2025-01-06T00:00:00Z, a Monday.
const START: i64 = 1_736_121_600;

/// A deterministic stream of numbers (xorshift64*), the same on every machine.
struct Numbers(u64);

impl Numbers {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// A tenant's log: every 30 seconds on average an event, of the mix documented in
/// BENCHMARKS.md (activations, approvals, time-bound assignments with extensions and removals,
/// alerts, bursts of provisioning failures over 50 applications).
fn log(events: usize) -> Vec<String> {
    let mut numbers = Numbers(0x9E37_79B9_7F4A_7C15);
    let mut at = START;
    let mut lines = Vec::with_capacity(events);
    for index in 0..events {
        at += numbers.below(61) as i64;
        let time = rfc3339(at);
        let user = numbers.below(5_000);
        let person = format!(r#"{{"name": "User {user}", "email": "user{user}@contoso.com"}}"#);
        let common = format!(
            r#""at": "{time}", "role": "Role {}", "assignee": {person}"#,
            numbers.below(40)
        );
        let request = index / 2;
        let assignment = numbers.below(20_000);
        let end = rfc3339(at + (1 + numbers.below(60 * 24) as i64) * HOUR);
        let line = match numbers.below(100) {
            0..30 => {
                format!(r#"{{{common}, "event": "activation-completed", "scope": "entra-role"}}"#)
            }
            30..40 => format!(
                r#"{{{common}, "event": "approval-pending", "scope": "entra-role", "request": "r{request}", "people": {{"approver": [{person}]}}}}"#
            ),
            40..50 => format!(
                r#"{{{common}, "event": "request-approved", "scope": "entra-role", "request": "r{}", "people": {{"approver": [{person}]}}}}"#,
                request.saturating_sub(numbers.below(3) as usize)
            ),
            50..62 => format!(
                r#"{{{common}, "event": "role-assigned", "scope": "azure-resource", "assignment": "a{assignment}", "end": "{end}", "facts": {{"assignment": "eligible", "duration": "time-bound"}}, "people": {{"permanent-owner": [{person}]}}}}"#
            ),
            62..67 => format!(
                r#"{{{common}, "event": "role-assigned", "scope": "entra-role", "assignment": "e{assignment}", "facts": {{"assignment": "eligible"}}}}"#
            ),
            67..70 => format!(
                r#"{{{common}, "event": "role-extended", "scope": "azure-resource", "assignment": "a{assignment}", "end": "{end}"}}"#
            ),
            70..72 => {
                format!(r#"{{"at": "{time}", "assignment": "a{assignment}", "removed": true}}"#)
            }
            72..80 => format!(
                r#"{{{common}, "event": "provisioning-failure", "scope": "app-provisioning", "application": "App {}", "people": {{"provisioning-contact": [{person}]}}}}"#,
                numbers.below(50)
            ),
            80..90 => format!(
                r#"{{{common}, "event": "alert", "scope": "entra-role", "facts": {{"alert-type": "roles-assigned-outside-pim"}}, "people": {{"global-administrator": [{person}]}}}}"#
            ),
            _ => format!(
                r#"{{{common}, "event": "role-activated", "scope": "entra-role", "people": {{"global-administrator": [{person}]}}}}"#
            ),
        };
        lines.push(line);
    }
    lines
}

/// The two shipped rule sets a tenant's log needs, with their catalogues.
fn rule_sets() -> (Vec<Compiled>, Vec<Catalogues>) {
    let sources =
        ["entra-pim", "account-provisioning"].map(|name| RuleSource::Shipped(name.into()));
    let mut build = pipeline::build(&sources).expect("the shipped rule sets build");
    let (catalogues, _) = Catalogues::load_all_checked(&mut build);
    (build.compiled, catalogues)
}

fn settings() -> Settings {
    Settings {
        approval_delay: 300,
        digest: Some(DigestSettings::default()),
        until: None,
        directory: Vec::new(),
    }
}

/// `count` events from a pool of read events (in time order), the pool replayed again and
/// again, each round later by the pool's span so the log goes on (ids repeat, as a tenant's
/// do). Events are made as the engine takes them, so memory stays as small as a stream's.
fn replay(pool: &[TimedEvent], count: usize) -> impl Iterator<Item = TimedEvent> + '_ {
    let span = pool.last().map_or(0, |e| e.at) - pool.first().map_or(0, |e| e.at) + 60;
    (0..count).map(move |index| {
        let mut event = pool[index % pool.len()].clone();
        let shift = (index / pool.len()) as i64 * span;
        event.at += shift;
        if let Change::Occurred(occurrence) = &mut event.change {
            occurrence.end = occurrence.end.map(|end| end + shift);
        }
        event
    })
}

/// Feed `events` (in time order) and finish; how many dispatches left.
fn run_engine(events: impl IntoIterator<Item = TimedEvent>) -> usize {
    let mut simulator = Simulator::new(settings());
    let mut count = 0;
    let mut sent = Vec::new();
    for event in events {
        simulator.feed(event, &mut sent).expect("in order");
        count += sent.len();
        sent.clear();
    }
    simulator.finish(&mut sent);
    count + sent.len()
}

/// Replay `log` as `simulate` does (reorder window of an hour), rendering with `mailer` when
/// given; `each` sees every dispatch and its emails. How many dispatches left.
fn run_log(
    vocabularies: &[&Vocabulary],
    log: &[u8],
    mailer: Option<&Mailer>,
    each: impl FnMut(&Dispatch, Option<&Rendering>),
) -> usize {
    let options = ReplayOptions {
        reorder_window: HOUR,
        keep_going: false,
    };
    let mut replay = Replay::new(vocabularies.to_vec(), settings(), options);
    let mut counted = Counted { count: 0, each };
    replay
        .run(log, mailer, &mut counted)
        .expect("the log replays");
    counted.count
}

/// Counts the dispatches of a replay and shows each to `each`; a bad line fails the benchmark.
struct Counted<F> {
    count: usize,
    each: F,
}

impl<F: FnMut(&Dispatch, Option<&Rendering>)> Sink for Counted<F> {
    type Stop = std::convert::Infallible;

    fn sent(
        &mut self,
        dispatch: &Dispatch,
        rendering: Option<&Rendering>,
    ) -> Result<(), Self::Stop> {
        self.count += 1;
        (self.each)(dispatch, rendering);
        Ok(())
    }

    fn problem(&mut self, _: Problem, error: &LogError, _: Option<&str>, _: Severity) {
        panic!("a bad generated line: {error:?}")
    }
}

fn throughput(c: &mut Criterion) {
    let (compiled, catalogues) = rule_sets();
    let vocabularies: Vec<_> = compiled.iter().map(|c| &c.table.vocabulary).collect();
    let reader = LineReader::new(vocabularies.clone());
    let lines = log(EVENTS);
    // the log the release binary is timed on (BENCHMARKS.md)
    let text = lines.join("\n");
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("simulate-events.jsonl");
    std::fs::write(&file, &text).expect("the log is written");
    let pool: Vec<TimedEvent> = lines[..POOL]
        .iter()
        .enumerate()
        .map(|(index, text)| reader.read(index + 1, text).expect("a valid line"))
        .collect();
    assert!(
        pool.windows(2).all(|pair| pair[0].at <= pair[1].at),
        "generated in time order"
    );
    let mut group = c.benchmark_group("simulate");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(EVENTS as u64));
    group.bench_function(
        "replay only (1M events made and dropped, the baseline)",
        |b| b.iter(|| replay(&pool, EVENTS).map(|e| black_box(e).at).max()),
    );
    group.bench_function("engine (1M events, timing only)", |b| {
        b.iter(|| black_box(run_engine(replay(&pool, EVENTS))))
    });
    group.bench_function("read + engine (1M JSON lines)", |b| {
        b.iter(|| black_box(run_log(&vocabularies, text.as_bytes(), None, |_, _| {})))
    });
    let mailer = Mailer::new(
        compiled
            .iter()
            .zip(&catalogues)
            .map(|(c, catalogues)| (&c.table, catalogues.locale("en").expect("en")))
            .collect(),
    );
    group.throughput(Throughput::Elements(RENDERED_EVENTS as u64));
    // the first 100 000 lines
    let rendered = text
        .match_indices('\n')
        .nth(RENDERED_EVENTS - 1)
        .map_or(text.as_str(), |(end, _)| &text[..end]);
    group.bench_function("read + engine + render (100k JSON lines)", |b| {
        b.iter(|| {
            let mut bytes = 0;
            run_log(
                &vocabularies,
                rendered.as_bytes(),
                Some(&mailer),
                |_, rendering| {
                    for email in rendering.map_or(&[][..], |r| r.emails.as_slice()) {
                        bytes += email.body.content.subject.len() + email.recipient.address.len();
                    }
                },
            );
            black_box(bytes)
        })
    });
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
