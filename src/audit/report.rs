//! An audit's output formats: text (a line per policy and role, and a summary), versioned JSON,
//! and SARIF 2.1.0 (a rule per policy, a result per failure) through the lint's SARIF writer.

use super::{Audit, Failure, PolicyResult, Requirement};
use crate::diagnostic::Label;
use crate::diagnostic::emit::{Location, sarif};
use crate::source::Sources;
use serde_json::{Value, json};

/// One line per (policy, role), `pass` or `FAIL` with what to change, then a summary line.
pub fn text(audit: &Audit, sources: &Sources) -> String {
    let mut text = format!(
        "{} ({}), decided by {}{}\n",
        audit.baseline.title,
        policy_range(audit),
        audit.ruleset,
        audit
            .ruleset_version
            .as_deref()
            .map(|version| format!(" {version}"))
            .unwrap_or_default()
    );
    for result in &audit.results {
        let status = if result.passed() { "pass" } else { "FAIL" };
        text.push_str(&format!(
            "{status}  {}  {:<6}  {}",
            result.policy.id,
            result.policy.requirement.keyword(),
            result.role_name
        ));
        if !result.passed() {
            text.push_str(": ");
            text.push_str(&explanation(audit, result, sources));
        }
        text.push('\n');
    }
    let failed = audit.results.len() - audit.passed();
    text.push_str(&format!("{} passed, {failed} failed", audit.passed()));
    if failed > 0 {
        text.push_str(&format!(
            ", of which {} SHALL",
            audit.failed(Requirement::Shall)
        ));
    }
    text.push('\n');
    text
}

/// `MS.AAD.7.7v1–MS.AAD.7.9v1`
fn policy_range(audit: &Audit) -> String {
    let policies = audit.baseline.policies;
    match (policies.first(), policies.last()) {
        (Some(first), Some(last)) if first.id != last.id => format!("{}–{}", first.id, last.id),
        (Some(one), _) => one.id.to_owned(),
        _ => String::new(),
    }
}

/// What fails and what to change, for every failing check of a result.
fn explanation(audit: &Audit, result: &PolicyResult, sources: &Sources) -> String {
    let failures: Vec<String> = result
        .failures()
        .map(|f| {
            let mut text = match f.reason {
                super::Reason::NoRowReached => f.reason_text(&audit.ruleset),
                _ => format!("{} has {}", f.setting(), f.reason_text(&audit.ruleset)),
            };
            if let Some(fix) = f.fix() {
                text.push_str(&format!(" — set `{fix}`"));
            }
            if let Some(span) = f.span {
                text.push_str(&format!(" ({})", sources.locate(span)));
            }
            text
        })
        .collect();
    let mut text = String::new();
    if !result.in_tenant {
        text.push_str(NOT_IN_TENANT);
        text.push_str("; ");
    }
    text.push_str(&failures.join("; "));
    text
}

const NOT_IN_TENANT: &str = "the tenant has no settings for this role, so Graph's defaults apply";

/// `{"version": 1, "baseline", "ruleset", "results": [...]}`
pub fn json(audit: &Audit, sources: &Sources) -> String {
    let results: Vec<Value> = audit
        .results
        .iter()
        .map(|result| {
            let checks: Vec<Value> = result
                .checks
                .iter()
                .map(|check| {
                    let facts: serde_json::Map<String, Value> = check
                        .check
                        .facts
                        .iter()
                        .map(|(name, value)| ((*name).to_owned(), json!(value)))
                        .collect();
                    let mut entry = json!({
                        "event": check.check.event,
                        "facts": facts,
                        "alert": check.alert,
                        "addresses": check.addresses,
                    });
                    if let (Some(object), Some(failure)) = (entry.as_object_mut(), &check.failure) {
                        object.extend(failure_json(audit, result, failure, sources));
                    }
                    entry
                })
                .collect();
            let mut entry = json!({
                "policy": result.policy.id,
                "requirement": result.policy.requirement.keyword(),
                "statement": result.policy.statement,
                "role": result.role_name,
                "role_id": result.role.template_id,
                "in_tenant": result.in_tenant,
                "result": if result.passed() { "pass" } else { "fail" },
                "checks": checks,
            });
            let first = match result.failures().next() {
                Some(failure) => failure_json(audit, result, failure, sources),
                None => ["setting", "reason", "fix", "location"]
                    .into_iter()
                    .map(|key| (key.to_owned(), Value::Null))
                    .collect(),
            };
            if let Some(object) = entry.as_object_mut() {
                object.extend(first);
            }
            entry
        })
        .collect();
    let document = json!({
        "version": 1,
        "baseline": audit.baseline.name,
        "ruleset": audit.ruleset,
        "ruleset_version": audit.ruleset_version,
        "results": results,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// `"setting", "reason", "fix", "location"` of one failure.
fn failure_json(
    audit: &Audit,
    result: &PolicyResult,
    failure: &Failure,
    sources: &Sources,
) -> serde_json::Map<String, Value> {
    let mut reason = failure.reason_text(&audit.ruleset);
    if !result.in_tenant {
        reason = format!("{NOT_IN_TENANT}: {reason}");
    }
    let location = failure.span.map(|span| {
        let at = Location::of(span, sources);
        json!({"file": at.file, "line": at.line, "column": at.column})
    });
    [
        ("setting", json!(failure.setting())),
        ("reason", json!(reason)),
        ("fix", json!(failure.fix())),
        ("location", json!(location)),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value))
    .collect()
}

/// A SARIF 2.1.0 log: one rule per policy, one result per failing (policy, role), located at
/// the first located setting to change (the others as related locations).
pub fn sarif(audit: &Audit, sources: &Sources) -> String {
    let policies = audit.baseline.policies;
    let rules: Vec<Value> = policies
        .iter()
        .map(|policy| {
            json!({
                "id": policy.id,
                "shortDescription": { "text": policy.statement },
                "helpUri": audit.baseline.help_uri,
                "defaultConfiguration": { "level": level(policy.requirement) },
                "properties": { "requirement": policy.requirement.keyword() },
            })
        })
        .collect();
    let results: Vec<Value> = audit
        .results
        .iter()
        .filter(|r| !r.passed())
        .map(|result| {
            let mut locations: Vec<Value> = result
                .failures()
                .filter_map(|f| {
                    let label = Label {
                        span: f.span?,
                        message: format!("`{}`", f.setting()),
                    };
                    Some(sarif::location(&label, sources, None))
                })
                .collect();
            let rule_index = policies
                .iter()
                .position(|p| p.id == result.policy.id)
                .unwrap_or_default();
            let message = format!(
                "{}: {}",
                result.role_name,
                explanation(audit, result, sources)
            );
            let mut entry = json!({
                "ruleId": result.policy.id,
                "ruleIndex": rule_index,
                "level": level(result.policy.requirement),
                "message": { "text": message },
                "properties": {
                    "role": result.role_name,
                    "role_id": result.role.template_id,
                    "in_tenant": result.in_tenant,
                },
            });
            if !locations.is_empty() {
                let related = locations.split_off(1);
                entry["locations"] = json!(locations);
                if !related.is_empty() {
                    let related: Vec<Value> = related
                        .into_iter()
                        .zip(1..)
                        .map(|(mut location, id)| {
                            location["id"] = json!(id);
                            location
                        })
                        .collect();
                    entry["relatedLocations"] = json!(related);
                }
            }
            entry
        })
        .collect();
    sarif::log(rules, results, None)
}

/// SARIF's level: a SHALL is an error, a SHOULD a warning.
fn level(requirement: Requirement) -> &'static str {
    match requirement {
        Requirement::Shall => "error",
        Requirement::Should => "warning",
    }
}
