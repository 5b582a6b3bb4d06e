//! Benchmarks of the performance requirements: `check` (parse + check + compile) of
//! generated N-rule files, and one `eval` decision against a hand-written `match` baseline.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use pimrules::eval::Evaluator;
use pimrules::ruleset::{EventId, FactValues, ScopeId};
use pimrules::table::DecisionTable;
use std::cell::OnceCell;
use std::hint::black_box;
use std::time::Duration;

mod by_hand;
mod generate;
use by_hand::{assert_ids, entra_pim_by_hand};
use generate::{Rng, generate};

/// The rule counts of the `check` group; the last one is the 0.5 s requirement.
const RULE_COUNTS: [usize; 4] = [1_000, 2_500, 5_000, 10_000];

/// How many random questions the `eval` group cycles through.
const QUESTIONS: usize = 10_000;

// ---------------------------------------------------------------------------------------------
// `check`: the front half of the pipeline on generated rule sets
// ---------------------------------------------------------------------------------------------

/// The generated text of `rules` rules, asserted to check clean, and written to
/// `target/tmp/bench-RULES.pimrules` for timing the binary on (see BENCHMARKS.md).
fn checked_text(rules: usize) -> String {
    let text = generate(rules);
    let build = pimrules::pipeline::build_text(&format!("bench-{rules}.pimrules"), &text);
    assert!(
        build.diagnostics.is_empty(),
        "the generated {rules}-rule set has {} diagnostics, the first: {:?}",
        build.diagnostics.len(),
        build.diagnostics.first()
    );
    assert_eq!(build.compiled.len(), 1);
    assert_eq!(build.compiled[0].rule_set.rules.len(), rules);
    let path =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-{rules}.pimrules"));
    std::fs::write(&path, &text).expect("write the generated rule set");
    text
}

// Setup runs inside the benchmark closures, once, so that a filtered run (`-- eval`) skips it.

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group
        .sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    for rules in RULE_COUNTS {
        let name = format!("bench-{rules}.pimrules");
        let mut text: Option<String> = None;
        group.throughput(Throughput::Elements(rules as u64));
        group.bench_function(BenchmarkId::from_parameter(rules), |b| {
            let text = text.get_or_insert_with(|| checked_text(rules));
            b.iter(|| pimrules::pipeline::build_text(black_box(&name), black_box(text)));
        });
    }
    group.finish();
}

struct Stages {
    name: String,
    text: String,
    loaded: pimrules::load::Loaded,
    program: pimrules::load::Program,
    rule_set: pimrules::ruleset::RuleSet,
}

/// The three stages of `check` at the largest size, to show where its time goes.
fn check_stages(c: &mut Criterion) {
    let rules = RULE_COUNTS[RULE_COUNTS.len() - 1];
    let setup = OnceCell::new();
    let stages = || {
        setup.get_or_init(|| {
            let name = format!("bench-{rules}.pimrules");
            let text = checked_text(rules);
            let loaded = pimrules::load::load_text(&name, &text);
            let program = loaded.programs[0].clone();
            let rule_set =
                pimrules::check::check(&loaded, &program).expect("the generated rules check");
            Stages {
                name,
                text,
                loaded,
                program,
                rule_set,
            }
        })
    };
    let mut group = c.benchmark_group(format!("check-stages-{rules}"));
    group
        .sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    group.bench_function("parse", |b| {
        let s = stages();
        b.iter(|| pimrules::load::load_text(black_box(&s.name), black_box(&s.text)));
    });
    group.bench_function("check", |b| {
        let s = stages();
        b.iter(|| pimrules::check::check(black_box(&s.loaded), black_box(&s.program)));
    });
    group.bench_function("compile", |b| {
        let s = stages();
        b.iter(|| pimrules::table::compile(black_box(&s.rule_set), &s.loaded.sources));
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// `eval`: one decision of the shipped entra-pim rules against a hand-written `match`
// ---------------------------------------------------------------------------------------------

/// A question: (scope, event, facts), drawn uniformly from the vocabulary's domains.
struct Question {
    scope: ScopeId,
    event: EventId,
    facts: FactValues,
}

fn questions(table: &DecisionTable, count: usize) -> Vec<Question> {
    let vocabulary = &table.vocabulary;
    let mut rng = Rng::new(0xE7A1);
    (0..count)
        .map(|_| Question {
            scope: ScopeId(rng.below(vocabulary.scopes.len())),
            event: EventId(rng.below(vocabulary.events.len())),
            facts: FactValues(
                vocabulary
                    .facts
                    .iter()
                    .map(|f| rng.below(f.values().len()) as u8)
                    .collect(),
            ),
        })
        .collect()
}

fn eval(c: &mut Criterion) {
    let build = pimrules::pipeline::build(&[]).expect("the shipped rule set loads");
    assert!(build.diagnostics.is_empty(), "{:?}", build.diagnostics);
    let table = &build.compiled[0].table;
    assert_eq!(table.vocabulary.header.name, "entra-pim");
    assert_ids(table);
    let evaluator = Evaluator::new(table);
    let questions = questions(table, QUESTIONS);
    // the baseline is only a fair comparison if it gives the same answers
    let mut nonempty = 0;
    for q in &questions {
        let outcome = evaluator.decide(q.scope, q.event, &q.facts);
        let by_hand = entra_pim_by_hand(q.scope.0, q.event.0, &q.facts.0);
        assert_eq!(
            outcome.classes.0,
            by_hand,
            "{} in {} with {:?}",
            table.vocabulary.event_name(q.event),
            table.vocabulary.scope_name(q.scope),
            q.facts
        );
        assert_eq!(outcome.sends.len(), outcome.classes.iter().count());
        nonempty += usize::from(by_hand != 0);
    }
    assert!(
        nonempty > QUESTIONS / 4,
        "too few questions notify anyone: {nonempty}"
    );

    let mut group = c.benchmark_group("eval");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(1));
    group.bench_function("pimrules-decide", |b| {
        let mut next = round_robin(&questions);
        b.iter(|| {
            let q = next();
            let outcome =
                evaluator.decide(black_box(q.scope), black_box(q.event), black_box(&q.facts));
            // what a caller reads: the class set and the rule attribution
            black_box((outcome.classes, outcome.sends.as_slice()));
        });
    });
    group.bench_function("hand-written-match", |b| {
        let mut next = round_robin(&questions);
        b.iter(|| {
            let q = next();
            black_box(entra_pim_by_hand(
                black_box(q.scope.0),
                black_box(q.event.0),
                black_box(&q.facts.0),
            ))
        });
    });
    group.finish();
}

criterion_group!(benches, check, check_stages, eval);
criterion_main!(benches);

/// The items in turn, round and round (each call the next one). A compare, not `%`: a division
/// would cost more than the decisions being timed.
fn round_robin<'a, T>(items: &'a [T]) -> impl FnMut() -> &'a T {
    let mut next = 0;
    move || {
        let item = &items[next];
        next = if next + 1 == items.len() { 0 } else { next + 1 };
        item
    }
}
