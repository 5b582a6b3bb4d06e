//! The `json` format: `{"version": 1, "findings": [...]}`, one object per finding with its code,
//! level, message, location, related locations and witness event (documented in the README).

use super::{Emitter, Location};
use crate::analysis::{Finding, Witness};
use crate::diagnostic::{Label, Severity};
use crate::source::Sources;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value, json};

/// The version of the JSON layout; it changes only when a field changes meaning or goes away.
pub const VERSION: u32 = 1;

pub struct JsonEmitter;

impl Emitter for JsonEmitter {
    fn emit(&self, findings: &[Finding], sources: &Sources) -> String {
        let document = Document { findings, sources };
        let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// `{"version": 1, "findings": [...]}`, serialized one finding at a time: a run with very many
/// findings never holds the JSON tree of all of them, only the text.
struct Document<'a> {
    findings: &'a [Finding],
    sources: &'a Sources,
}

/// The `findings` array of a [`Document`].
struct Findings<'a>(&'a Document<'a>);

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("version", &VERSION)?;
        map.serialize_entry("findings", &Findings(self))?;
        map.end()
    }
}

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.findings.len()))?;
        for f in self.0.findings {
            seq.serialize_element(&finding(f, self.0.sources))?;
        }
        seq.end()
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
