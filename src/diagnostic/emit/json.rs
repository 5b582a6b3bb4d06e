//! The `json` format: `{"version": 1, "findings": [...]}`, one object per diagnostic (an error or
//! a finding) with its code, level, message, location, related locations, help and witness event.

use super::{Emitter, Location};
use crate::diagnostic::{Diagnostic, Label, Severity, WitnessEvent};
use crate::source::Sources;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value, json};

/// The version of the JSON layout; it changes only when a field changes meaning or goes away.
pub const VERSION: u32 = 1;

pub struct JsonEmitter;

impl Emitter for JsonEmitter {
    fn emit(&self, diagnostics: &[Diagnostic], sources: &Sources) -> String {
        let document = Document {
            diagnostics,
            sources,
        };
        let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// `{"version": 1, "findings": [...]}`, serialized one diagnostic at a time: a run with very
/// many never holds the JSON tree of all of them, only the text.
struct Document<'a> {
    diagnostics: &'a [Diagnostic],
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
        let mut seq = serializer.serialize_seq(Some(self.0.diagnostics.len()))?;
        for d in self.0.diagnostics {
            seq.serialize_element(&finding(d, self.0.sources))?;
        }
        seq.end()
    }
}

/// One diagnostic; `ruleset` and `witness` are `null` for errors, `location` for an error that
/// concerns no place in a file.
fn finding(diagnostic: &Diagnostic, sources: &Sources) -> Value {
    json!({
        "code": diagnostic.code.as_str(),
        "name": diagnostic.code.name(),
        "level": level_name(diagnostic.severity),
        "ruleset": diagnostic.rule_set(),
        "message": diagnostic.message,
        "location": diagnostic.primary.as_ref().map(|l| location(l, sources)),
        "related": diagnostic.secondary.iter().map(|l| location(l, sources)).collect::<Vec<_>>(),
        "help": diagnostic.help,
        "witness": diagnostic.witness().map(witness),
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
pub(super) fn witness(witness: &WitnessEvent) -> Value {
    let facts: serde_json::Map<String, Value> = witness
        .facts
        .iter()
        .map(|(name, value)| (name.clone(), Value::String(value.clone())))
        .collect();
    json!({
        "scope": witness.scope,
        "event": witness.event,
        "facts": facts,
        "text": witness.text,
    })
}
