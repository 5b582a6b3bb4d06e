//! Scaling of the release binary: `check`, `compile`, `lint` and `eval` on generated rule sets of
//! 1 000, 10 000 and 100 000 rules (wall time and peak RSS), and one decision's cost as rules grow.
//!
//! Run with `cargo bench --bench scaling` (sizes: `SCALING_SIZES=1000,10000`, repetitions:
//! `SCALING_RUNS=3`). Peak RSS is what `/usr/bin/time -f %M` reports for the process.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use pimrules::eval::Evaluator;
use pimrules::ruleset::{EventId, FactValues, ScopeId};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod generate;
use generate::{Rng, generate};

/// A rule on a scope and an event that no generated rule uses: its cell never grows.
const PROBE: &str = "
scope probe-scope \"Probe scope\"
event probe-event \"Probe event\"
template probe-event \"Probe\"
rule probe-rule {
  on probe-event in probe-scope
  notify assignee, approver
  when cloud == public and severity in {high, critical}
}
";

/// Decisions timed per question kind.
const DECISIONS: usize = 2_000_000;

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name).map_or_else(
        |_| default.to_vec(),
        |v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    )
}

/// The generated rule set of `rules` rules plus the probe, with a catalogue that words every
/// template (so `check` has nothing to report), in `dir`.
fn write_rule_set(dir: &Path, rules: usize) -> (PathBuf, String) {
    let text = generate(rules) + PROBE;
    let path = dir.join(format!("scaling-{rules}.pimrules"));
    std::fs::write(&path, &text).expect("write the generated rules");
    let catalogue: String = text
        .lines()
        .filter_map(|line| line.strip_prefix("template "))
        .map(|rest| {
            let name = rest.split_whitespace().next().expect("a template name");
            format!("{name} = {name}\n")
        })
        .collect();
    for locale in ["en", "sv"] {
        let folder = dir.join("locales").join(locale);
        std::fs::create_dir_all(&folder).expect("locales folder");
        std::fs::write(folder.join("pim.ftl"), &catalogue).expect("write the catalogue");
    }
    (path, text)
}

/// Median wall time (s) and largest peak RSS (MiB) of `pimrules ARGS` over `runs` runs.
fn measure(args: &[&str], runs: usize) -> (f64, f64, Option<i32>) {
    let mut times = Vec::new();
    let mut peak_kib: u64 = 0;
    let mut code = None;
    for _ in 0..runs {
        let output = Command::new("/usr/bin/time")
            .args(["-f", "%e %M"])
            .arg(env!("CARGO_BIN_EXE_pimrules"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .output()
            .expect("/usr/bin/time runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or_default();
        let mut fields = last.split_whitespace();
        let seconds: f64 = fields.next().and_then(|f| f.parse().ok()).expect("time");
        let kib: u64 = fields.next().and_then(|f| f.parse().ok()).expect("RSS");
        // /usr/bin/time reports the child's exit code on its own line when it is not 0
        code = Some(
            if stderr.contains("Command exited with non-zero status 1") {
                1
            } else if output.status.success() {
                0
            } else {
                output.status.code().unwrap_or(-1)
            },
        );
        times.push(seconds);
        peak_kib = peak_kib.max(kib);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], peak_kib as f64 / 1024.0, code)
}

/// Nanoseconds per `decide` over `questions`, cycled.
fn time_decisions(evaluator: &Evaluator, questions: &[(ScopeId, EventId, FactValues)]) -> f64 {
    let start = Instant::now();
    for i in 0..DECISIONS {
        let (scope, event, facts) = &questions[i % questions.len()];
        let outcome = evaluator.decide(black_box(*scope), black_box(*event), black_box(facts));
        black_box((outcome.classes, outcome.sends.as_slice()));
    }
    start.elapsed().as_nanos() as f64 / DECISIONS as f64
}

fn main() {
    let sizes = env_list("SCALING_SIZES", &[1_000, 10_000, 100_000]);
    let runs = env_list("SCALING_RUNS", &[3])[0].max(1);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scaling");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    println!("| rules | file | command | median wall time | peak RSS | exit |");
    println!("|---:|---:|---|---:|---:|---:|");
    let mut decisions = Vec::new();
    for &rules in &sizes {
        let (path, text) = write_rule_set(&dir, rules);
        let file = path.to_str().expect("UTF-8 path");
        let out = dir.join(format!("scaling-{rules}.json"));
        let out = out.to_str().expect("UTF-8 path");
        let commands: [(&str, Vec<&str>); 4] = [
            ("check", vec!["check", file]),
            ("compile", vec!["compile", file, "-o", out]),
            ("lint", vec!["lint", file, "--format", "json"]),
            (
                "eval",
                vec![
                    "eval",
                    "--rules",
                    file,
                    "--event",
                    "probe-event",
                    "--scope",
                    "probe-scope",
                    "--set",
                    "severity=high",
                ],
            ),
        ];
        for (name, args) in &commands {
            let (seconds, mib, code) = measure(args, runs);
            println!(
                "| {rules} | {:.1} MB | `{name}` | {seconds:.2} s | {mib:.0} MiB | {} |",
                text.len() as f64 / 1e6,
                code.map_or("?".to_owned(), |c| c.to_string())
            );
        }

        // one decision, in process: the probe's cell (no generated rule touches it) and random
        // cells of the generated rules
        let build = pimrules::pipeline::build_text("scaling.pimrules", &text);
        assert!(!build.has_errors(), "{:?}", build.diagnostics.first());
        let table = &build.compiled[0].table;
        let v = &table.vocabulary;
        let evaluator = Evaluator::new(table);
        let probe = FactValues::defaults(v);
        let mut probe_facts = probe.clone();
        let severity = v
            .fact("severity")
            .expect("the generated facts have severity");
        probe_facts.set(severity, 2);
        let probe = vec![(
            v.scope("probe-scope").expect("probe scope"),
            v.event("probe-event").expect("probe event"),
            probe_facts,
        )];
        assert_eq!(
            evaluator
                .decide(probe[0].0, probe[0].1, &probe[0].2)
                .classes
                .iter()
                .count(),
            2
        );
        let mut rng = Rng::new(0x5CA1E);
        let busy: Vec<(ScopeId, EventId, FactValues)> = (0..10_000)
            .map(|_| {
                let (scope, event) = (ScopeId(rng.below(20)), EventId(rng.below(40)));
                let facts = v.facts.iter().map(|f| rng.below(f.values().len()) as u8);
                (scope, event, FactValues(facts.collect()))
            })
            .collect();
        let rows = table.cells.iter().map(|c| c.rows.len()).sum::<usize>();
        decisions.push((
            rules,
            rows,
            time_decisions(&evaluator, &probe),
            time_decisions(&evaluator, &busy),
        ));
    }
    println!();
    println!(
        "| rules | table rows | decide: probe cell (untouched) | decide: random generated cells |"
    );
    println!("|---:|---:|---:|---:|");
    for (rules, rows, probe, busy) in decisions {
        println!("| {rules} | {rows} | {probe:.1} ns | {busy:.1} ns |");
    }
}
