//! The `json` format: `{"version": 1, "findings": [...]}`, one object per finding with its code,
//! level, message, location, related locations and witness event (documented in the README).

use super::{Emitter, Location};
use crate::analysis::{Finding, Witness};
use crate::diagnostic::{Label, Severity};
use crate::source::Sources;
use serde_json::{Value, json};

/// The version of the JSON layout; it changes only when a field changes meaning or goes away.
pub const VERSION: u32 = 1;

pub struct JsonEmitter;

impl Emitter for JsonEmitter {
    fn emit(&self, findings: &[Finding], sources: &Sources) -> String {
        let findings: Vec<Value> = findings.iter().map(|f| finding(f, sources)).collect();
        let document = json!({ "version": VERSION, "findings": findings });
        let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
        text.push('\n');
        text
    }
}

fn finding(finding: &Finding, sources: &Sources) -> Value {
    json!({
        "code": finding.code.as_str(),
        "name": finding.code.name(),
        "level": level_name(finding.level),
        "ruleset": finding.rule_set,
        "message": finding.message,
        "location": location(&finding.primary, sources),
        "related": finding.related.iter().map(|l| location(l, sources)).collect::<Vec<_>>(),
        "witness": finding.witness.as_ref().map(witness),
    })
}

pub(super) fn level_name(level: Severity) -> &'static str {
    match level {
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

fn location(label: &Label, sources: &Sources) -> Value {
    let at = Location::of(label.span, sources);
    json!({
        "file": at.file,
        "line": at.line,
        "column": at.column,
        "end_line": at.end_line,
        "end_column": at.end_column,
        "message": label.message,
    })
}

/// The witness as `eval` takes it: scope, event, and every fact's value.
pub(super) fn witness(witness: &Witness) -> Value {
    let facts: serde_json::Map<String, Value> = witness
        .named_facts
        .iter()
        .map(|(name, value)| (name.clone(), Value::String(value.clone())))
        .collect();
    json!({
        "scope": witness.scope_name,
        "event": witness.event_name,
        "facts": facts,
        "text": witness.text,
    })
}
