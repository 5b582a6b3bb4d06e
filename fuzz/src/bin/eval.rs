//! Fuzz target `eval`: a question (`SCOPE EVENT FACT=VALUE…` on the first line) and a Graph
//! policy (the rest) against the shipped rules; the decision must match a plain row scan.
#![no_main]

use pimrules::eval::{parse_settings, split_setting};
use pimrules::policy;
use pimrules::ruleset::tenant::NotificationPolicy;
use pimrules::ruleset::{EventId, FactValues, ScopeId};
use pimrules::table::ClassSet;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let shipped = pimrules_fuzz::shipped();
    let evaluator = pimrules_fuzz::evaluator();
    let table = shipped.table();
    let v = &table.vocabulary;
    let (question, policy_text) = pimrules_fuzz::first_line_and_rest(data);
    let mut words = question.split_whitespace();
    let scope = words.next().and_then(|s| v.scope(s)).unwrap_or(ScopeId(0));
    let event = words.next().and_then(|e| v.event(e)).unwrap_or(EventId(0));
    let settings: Result<Vec<(&str, &str)>, _> = words.map(split_setting).collect();
    let facts = settings
        .and_then(|s| parse_settings(v, s))
        .unwrap_or_else(|_| FactValues::defaults(v));

    // the dense index against the rows themselves
    let outcome = evaluator.decide(scope, event, &facts);
    let scanned = table
        .cell(scope, event)
        .rows
        .iter()
        .filter(|row| row.cube.contains(&facts))
        .fold(ClassSet::default(), |set, row| {
            ClassSet(set.0 | row.classes.0)
        });
    assert_eq!(outcome.classes, scanned);

    // the policy: the overlay, and import to settings text that must check cleanly
    let policy = NotificationPolicy::from_graph_json(&policy_text).ok();
    let decision = evaluator.evaluate(scope, event, &facts, policy.as_ref());
    if policy.is_none() {
        assert_eq!(decision.classes(), outcome.classes);
    }
    if let Ok(imported) = policy::import_tenant(&policy_text, &policy::RoleNames::default()) {
        let loaded = pimrules::load::load_text("imported.pimrules", &imported.text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        for program in &loaded.programs {
            let checked = pimrules::check::check_settings(&loaded, program);
            assert!(
                checked.is_ok(),
                "import wrote settings that do not check: {checked:?}"
            );
        }
    }
});
