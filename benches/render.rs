//! Rendering throughput: one `role-assigned` event to 1000 owners (the entra-pim cap), from
//! instance to finished `.eml` messages, in English and Swedish. `cargo bench --bench render`.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pimrules::instance::Instance;
use pimrules::load::RuleSource;
use pimrules::pipeline;
use pimrules::render::{self, locale::Catalogues, mime};
use std::hint::black_box;

const RECIPIENTS: usize = 1000;

/// An instance whose event reaches exactly `RECIPIENTS` people.
fn instance() -> String {
    let owners: Vec<String> = (1..RECIPIENTS)
        .map(|i| format!(r#"{{"name": "Owner {i}", "email": "owner{i}@contoso.com"}}"#))
        .collect();
    format!(
        r#"{{"event": "role-assigned", "scope": "azure-resource", "at": "2025-01-07T09:30:00Z",
            "facts": {{"assignment": "active", "duration": "permanent"}},
            "role": "Backup Reader", "resource": "Contoso subscription",
            "assignee": {{"name": "Alain Charon", "email": "alain@contoso.com"}},
            "people": {{"permanent-owner": [{}]}}}}"#,
        owners.join(",")
    )
}

fn throughput(c: &mut Criterion) {
    let mut build =
        pipeline::build(&[RuleSource::Shipped("entra-pim".into())]).expect("entra-pim builds");
    let compiled = build.compiled[0].clone();
    let (catalogues, problems) = Catalogues::load_checked(&mut build.loaded, &compiled);
    assert!(problems.is_empty(), "{problems:?}");
    let text = instance();
    let mut group = c.benchmark_group("render");
    group.throughput(Throughput::Elements(RECIPIENTS as u64));
    for locale in ["en", "sv"] {
        let catalogue = catalogues.locale(locale).expect("shipped locale");
        group.bench_function(format!("{RECIPIENTS} recipients to eml ({locale})"), |b| {
            b.iter(|| {
                let instance = Instance::from_json(black_box(&text)).expect("valid");
                let rendering =
                    render::render(&compiled.table, catalogue, &instance, 0).expect("renders");
                assert_eq!(rendering.emails.len(), RECIPIENTS);
                let bytes: usize = rendering
                    .emails
                    .iter()
                    .map(|email| mime::eml(&rendering, email).len())
                    .sum();
                black_box(bytes)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
