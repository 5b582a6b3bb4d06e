//! Benchmarks of `pimrules lint` and `pimrules fmt` on a generated rule set of 10 000 rules
//! (`cargo bench --bench lint`); a small deterministic generator, so every run sees the same file.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write;
use std::hint::black_box;

const RULES: usize = 10_000;
const SCOPES: usize = 8;
const EVENTS: usize = 40;
const CLASSES: usize = 30;
/// values per fact; 0 is a `bool`
const FACTS: [usize; 12] = [0, 0, 0, 3, 3, 4, 5, 0, 2, 3, 6, 0];

/// A linear congruential generator: deterministic, no dependency.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }

    /// Distinct indices below `n`, between 1 and `most`, in increasing order.
    fn some(&mut self, n: usize, most: usize) -> Vec<usize> {
        let count = 1 + self.below(most);
        let mut picked: Vec<usize> = (0..count).map(|_| self.below(n)).collect();
        picked.sort_unstable();
        picked.dedup();
        picked
    }
}

fn names(prefix: &str, ids: &[usize]) -> String {
    ids.iter()
        .map(|i| format!("{prefix}{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn value(fact: usize, index: usize) -> String {
    if FACTS[fact] == 0 {
        (index == 1).to_string()
    } else {
        format!("v{index}")
    }
}

fn atom(random: &mut Lcg) -> String {
    let fact = random.below(FACTS.len());
    let size = FACTS[fact].max(2);
    match random.below(4) {
        0 if FACTS[fact] == 0 => format!("f{fact}"),
        0 | 1 => format!("f{fact} == {}", value(fact, random.below(size))),
        2 => format!("f{fact} != {}", value(fact, random.below(size))),
        _ => {
            let values: Vec<String> = random
                .some(size, size - 1)
                .iter()
                .map(|v| value(fact, *v))
                .collect();
            format!("f{fact} in {{{}}}", values.join(", "))
        }
    }
}

/// A rule set of `rules` rules over a fixed vocabulary, every event declared to occur in a
/// few scopes; conditions of one to three atoms joined by `and`/`or`; some explicit templates.
fn generate(rules: usize) -> String {
    let mut random = Lcg(0x5eed);
    let mut text = String::from(
        "ruleset \"bench\"\nsender \"B\" <b@contoso.com>\nsubject-prefix \"B: \"\nmax-recipients 1000\n\n",
    );
    for s in 0..SCOPES {
        let _ = writeln!(text, "scope s{s} \"Scope {s}\"");
    }
    for c in 0..CLASSES {
        let _ = writeln!(text, "recipient c{c} \"Class {c}\"");
    }
    for e in 0..EVENTS {
        let critical = if e % 7 == 0 { " critical" } else { "" };
        let scopes = random.some(SCOPES, 3);
        let _ = writeln!(
            text,
            "event e{e} \"Event {e}\"{critical} occurs in {}",
            names("s", &scopes)
        );
        let _ = writeln!(text, "template e{e}");
    }
    text.push_str("template digest \"A digest\"\n");
    for (f, size) in FACTS.iter().enumerate() {
        if *size == 0 {
            let _ = writeln!(text, "fact f{f}: bool = false");
        } else {
            let values: Vec<String> = (0..*size).map(|v| format!("v{v}")).collect();
            let _ = writeln!(text, "fact f{f}: {} = v0", values.join(" | "));
        }
    }
    for r in 0..rules {
        let events = random.some(EVENTS, 2);
        let scopes = random.some(SCOPES, 2);
        let classes = random.some(CLASSES, 3);
        let _ = write!(
            text,
            "\nrule rule-{r} {{\n  on {} in {}\n  notify {}\n",
            names("e", &events),
            names("s", &scopes),
            names("c", &classes)
        );
        let atoms: Vec<String> = (0..random.below(4)).map(|_| atom(&mut random)).collect();
        if !atoms.is_empty() {
            let joiner = if random.below(2) == 0 {
                " and "
            } else {
                " or "
            };
            let _ = writeln!(text, "  when {}", atoms.join(joiner));
        }
        if random.below(50) == 0 {
            text.push_str("  template digest\n");
        }
        text.push_str("}\n");
    }
    text
}

fn benches(c: &mut Criterion) {
    let text = generate(RULES);
    let build = pimrules::pipeline::build_text("bench.pimrules", &text);
    assert!(
        build.diagnostics.is_empty(),
        "{:?}",
        build.diagnostics.first()
    );
    let compiled = &build.compiled[0];
    eprintln!(
        "{RULES} rules, {} bytes, {} findings",
        text.len(),
        pimrules::analysis::lint(&build.loaded, compiled).len()
    );
    let mut group = c.benchmark_group("lint");
    group.sample_size(10);
    group.bench_function("analysis of 10 000 rules", |b| {
        b.iter(|| pimrules::analysis::lint(black_box(&build.loaded), black_box(compiled)))
    });
    group.bench_function("parse, check, compile and analyse 10 000 rules", |b| {
        b.iter(|| {
            let build = pimrules::pipeline::build_text("bench.pimrules", black_box(&text));
            build
                .compiled
                .iter()
                .map(|compiled| pimrules::analysis::lint(&build.loaded, compiled).len())
                .sum::<usize>()
        })
    });
    group.bench_function("fmt of 10 000 rules", |b| {
        b.iter(|| pimrules::fmt::format_source(pimrules::source::FileId(0), black_box(&text)))
    });
    group.finish();
}

criterion_group!(lint, benches);
criterion_main!(lint);
