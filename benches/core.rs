//! Benchmarks of the performance requirements: `check` (parse + check + compile) of
//! generated N-rule files, and one `eval` decision against a hand-written `match` baseline.

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use pimrules::eval::Evaluator;
use pimrules::ruleset::{ClassId, EventId, FactId, FactValues, ScopeId};
use pimrules::table::DecisionTable;
use std::cell::OnceCell;
use std::hint::black_box;
use std::time::Duration;

mod generate;
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

// The shipped vocabulary's ids, in declaration order (asserted against the table in `eval`).
const ENTRA_ROLE: usize = 0;
const AZURE_RESOURCE: usize = 1;
const GROUP: usize = 2;

const PRIVILEGED_ROLE_ADMINISTRATOR: u128 = 1 << 0;
const SECURITY_ADMINISTRATOR: u128 = 1 << 1;
const GLOBAL_ADMINISTRATOR: u128 = 1 << 2;
const PERMANENT_OWNER: u128 = 1 << 3;
const ELIGIBLE_OWNER: u128 = 1 << 4;
const USER_ACCESS_ADMINISTRATOR: u128 = 1 << 5;
const ASSIGNEE: u128 = 1 << 6;
const APPROVER: u128 = 1 << 7;
const REVIEWER: u128 = 1 << 8;

const APPROVAL_PENDING: usize = 0;
const REQUEST_APPROVED: usize = 1;
const REQUEST_DENIED: usize = 2;
const ACTIVATION_COMPLETED: usize = 3;
const ROLE_ACTIVATED: usize = 4;
const ROLE_ASSIGNED: usize = 5;
const ROLE_EXPIRING: usize = 6;
const ROLE_EXPIRED: usize = 7;
const EXTENSION_ELIGIBLE: usize = 8;
const ROLE_EXTENDED: usize = 10;
const ROLE_RENEWED: usize = 11;
const PIM_ENABLED: usize = 12;
const WEEKLY_DIGEST: usize = 13;
const ALERT: usize = 14;
const ACCESS_REVIEW_STARTED: usize = 15;
const ACCESS_REVIEW_COMPLETED: usize = 16;

const NOTIFICATIONS_SETTING: usize = 0; // enable = 0, disable = 1
const EXPLICIT_APPROVERS: usize = 1; // bool
const CLOUD: usize = 2; // public = 0
const APPROVED_BEFORE_FIRST_EMAIL: usize = 3; // bool
const ALERT_ENABLED: usize = 4; // bool
const ALERT_TYPE: usize = 8;
const ROLES_ASSIGNED_OUTSIDE_PIM: u8 = 4;
/// admins-not-using-roles, no-mfa-on-activation, no-p2-license, stale-accounts,
/// too-many-global-admins, roles-activated-too-frequently
const OTHER_SECURITY_ALERTS: u16 = 0b110_1111;

const ADMINS_3: u128 =
    PRIVILEGED_ROLE_ADMINISTRATOR | SECURITY_ADMINISTRATOR | GLOBAL_ADMINISTRATOR;
const OWNERS_3: u128 = PERMANENT_OWNER | ELIGIBLE_OWNER | USER_ACCESS_ADMINISTRATOR;

/// rules/entra-pim.pimrules written by hand: the recipient classes of one event.
fn entra_pim_by_hand(scope: usize, event: usize, facts: &[u8]) -> u128 {
    let fact = |f: usize| facts[f];
    match (scope, event) {
        (_, APPROVAL_PENDING) => {
            let mut to = if fact(APPROVED_BEFORE_FIRST_EMAIL) == 0 {
                APPROVER
            } else {
                0
            };
            to |= match scope {
                ENTRA_ROLE if fact(EXPLICIT_APPROVERS) == 0 => PRIVILEGED_ROLE_ADMINISTRATOR,
                AZURE_RESOURCE => OWNERS_3,
                GROUP => PERMANENT_OWNER,
                _ => 0,
            };
            to
        }
        (_, REQUEST_APPROVED) => APPROVER,
        (ENTRA_ROLE, REQUEST_DENIED) => {
            APPROVER | PRIVILEGED_ROLE_ADMINISTRATOR | GLOBAL_ADMINISTRATOR
        }
        (_, REQUEST_DENIED) => APPROVER,
        (ENTRA_ROLE, ACTIVATION_COMPLETED) => {
            ASSIGNEE
                | if fact(NOTIFICATIONS_SETTING) == 0 {
                    ADMINS_3
                } else {
                    0
                }
        }
        (AZURE_RESOURCE, ACTIVATION_COMPLETED) => OWNERS_3 | ASSIGNEE,
        (GROUP, ACTIVATION_COMPLETED) => PERMANENT_OWNER | ASSIGNEE,
        (ENTRA_ROLE, ROLE_ACTIVATED) => GLOBAL_ADMINISTRATOR | PRIVILEGED_ROLE_ADMINISTRATOR,
        (ENTRA_ROLE, ROLE_ASSIGNED) => ASSIGNEE,
        (AZURE_RESOURCE, ROLE_ASSIGNED) => OWNERS_3 | ASSIGNEE,
        (GROUP, ROLE_ASSIGNED) => PERMANENT_OWNER | ASSIGNEE,
        (ENTRA_ROLE, ROLE_EXPIRING) => ASSIGNEE,
        (AZURE_RESOURCE, ROLE_EXPIRING | EXTENSION_ELIGIBLE) => OWNERS_3,
        (GROUP, ROLE_EXPIRING | EXTENSION_ELIGIBLE) => PERMANENT_OWNER,
        (_, ROLE_EXPIRED) => ASSIGNEE,
        (ENTRA_ROLE, ROLE_EXTENDED | ROLE_RENEWED) => {
            PRIVILEGED_ROLE_ADMINISTRATOR | GLOBAL_ADMINISTRATOR | ASSIGNEE
        }
        (_, ROLE_EXTENDED) => ASSIGNEE,
        (AZURE_RESOURCE, ROLE_RENEWED) => OWNERS_3,
        (GROUP, ROLE_RENEWED) => PERMANENT_OWNER,
        (ENTRA_ROLE, PIM_ENABLED) => ADMINS_3,
        (ENTRA_ROLE, WEEKLY_DIGEST) if fact(CLOUD) == 0 => ADMINS_3,
        (ENTRA_ROLE, ALERT) if fact(ALERT_ENABLED) == 1 => match fact(ALERT_TYPE) {
            ROLES_ASSIGNED_OUTSIDE_PIM => ADMINS_3,
            other if OTHER_SECURITY_ALERTS >> other & 1 == 1 => {
                PRIVILEGED_ROLE_ADMINISTRATOR | GLOBAL_ADMINISTRATOR
            }
            _ => 0,
        },
        (AZURE_RESOURCE, ALERT)
            if fact(ALERT_ENABLED) == 1 && fact(ALERT_TYPE) == ROLES_ASSIGNED_OUTSIDE_PIM =>
        {
            OWNERS_3
        }
        (_, ACCESS_REVIEW_STARTED) => REVIEWER | ASSIGNEE,
        (_, ACCESS_REVIEW_COMPLETED) => REVIEWER,
        _ => 0,
    }
}

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

/// The baseline's hard-coded ids must be the shipped vocabulary's.
fn assert_ids(table: &DecisionTable) {
    let v = &table.vocabulary;
    let scopes = [
        ("entra-role", ENTRA_ROLE),
        ("azure-resource", AZURE_RESOURCE),
        ("group", GROUP),
    ];
    for (name, id) in scopes {
        assert_eq!(v.scope(name), Some(ScopeId(id)), "scope {name}");
    }
    let classes = [
        (
            "privileged-role-administrator",
            PRIVILEGED_ROLE_ADMINISTRATOR,
        ),
        ("security-administrator", SECURITY_ADMINISTRATOR),
        ("global-administrator", GLOBAL_ADMINISTRATOR),
        ("permanent-owner", PERMANENT_OWNER),
        ("eligible-owner", ELIGIBLE_OWNER),
        ("user-access-administrator", USER_ACCESS_ADMINISTRATOR),
        ("assignee", ASSIGNEE),
        ("approver", APPROVER),
        ("reviewer", REVIEWER),
    ];
    for (name, bit) in classes {
        assert_eq!(
            v.class(name),
            Some(ClassId(bit.trailing_zeros() as usize)),
            "class {name}"
        );
    }
    let events = [
        ("approval-pending", APPROVAL_PENDING),
        ("request-approved", REQUEST_APPROVED),
        ("request-denied", REQUEST_DENIED),
        ("activation-completed", ACTIVATION_COMPLETED),
        ("role-activated", ROLE_ACTIVATED),
        ("role-assigned", ROLE_ASSIGNED),
        ("role-expiring", ROLE_EXPIRING),
        ("role-expired", ROLE_EXPIRED),
        ("extension-eligible", EXTENSION_ELIGIBLE),
        ("role-extended", ROLE_EXTENDED),
        ("role-renewed", ROLE_RENEWED),
        ("pim-enabled", PIM_ENABLED),
        ("weekly-digest", WEEKLY_DIGEST),
        ("alert", ALERT),
        ("access-review-started", ACCESS_REVIEW_STARTED),
        ("access-review-completed", ACCESS_REVIEW_COMPLETED),
    ];
    for (name, id) in events {
        assert_eq!(v.event(name), Some(EventId(id)), "event {name}");
    }
    let facts = [
        ("notifications-setting", NOTIFICATIONS_SETTING, "enable", 0),
        ("explicit-approvers", EXPLICIT_APPROVERS, "true", 1),
        ("cloud", CLOUD, "public", 0),
        (
            "approved-before-first-email",
            APPROVED_BEFORE_FIRST_EMAIL,
            "true",
            1,
        ),
        ("alert-enabled", ALERT_ENABLED, "true", 1),
        (
            "alert-type",
            ALERT_TYPE,
            "roles-assigned-outside-pim",
            ROLES_ASSIGNED_OUTSIDE_PIM.into(),
        ),
    ];
    for (name, id, value, index) in facts {
        assert_eq!(v.fact(name), Some(FactId(id)), "fact {name}");
        assert_eq!(
            v.facts[id].value_index(value),
            Some(index),
            "{name} = {value}"
        );
    }
    let alert_type = &v.facts[ALERT_TYPE];
    let others = [
        "admins-not-using-roles",
        "no-mfa-on-activation",
        "no-p2-license",
        "stale-accounts",
        "too-many-global-admins",
        "roles-activated-too-frequently",
    ];
    let mask = others
        .iter()
        .fold(0u16, |m, o| m | 1 << alert_type.value_index(o).expect(o));
    assert_eq!(mask, OTHER_SECURITY_ALERTS);
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
        assert_eq!(outcome.sends.len(), outcome.classes.len());
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
        let mut next = 0;
        b.iter(|| {
            let q = &questions[next];
            next = if next + 1 == questions.len() {
                0
            } else {
                next + 1
            };
            let outcome =
                evaluator.decide(black_box(q.scope), black_box(q.event), black_box(&q.facts));
            // what a caller reads: the class set and the rule attribution
            black_box((outcome.classes, outcome.sends.as_slice()));
        });
    });
    group.bench_function("hand-written-match", |b| {
        let mut next = 0;
        b.iter(|| {
            let q = &questions[next];
            next = if next + 1 == questions.len() {
                0
            } else {
                next + 1
            };
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
