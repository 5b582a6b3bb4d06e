//! The `sarif` format: one SARIF 2.1.0 log with one run, every lint code described in
//! `tool.driver.rules`, and each finding a result with 1-based regions and its witness.

use super::json::{level_name, witness};
use super::{Emitter, Location};
use crate::analysis::{Finding, LintCode};
use crate::diagnostic::Label;
use crate::source::Sources;
use serde_json::{Value, json};

pub const SARIF_VERSION: &str = "2.1.0";
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub struct SarifEmitter;

impl Emitter for SarifEmitter {
    fn emit(&self, findings: &[Finding], sources: &Sources) -> String {
        let rules: Vec<Value> = LintCode::ALL.iter().map(|code| rule(*code)).collect();
        let results: Vec<Value> = findings.iter().map(|f| result(f, sources)).collect();
        log(rules, results)
    }
}

/// A SARIF log of one pimrules run: its `reportingDescriptor`s and results, pretty-printed.
pub fn log(rules: Vec<Value>, results: Vec<Value>) -> String {
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pimrules",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// A `reportingDescriptor`: the code's metadata.
fn rule(code: LintCode) -> Value {
    json!({
        "id": code.as_str(),
        "name": code.name(),
        "shortDescription": { "text": code.title() },
        "fullDescription": { "text": code.explanation() },
        "help": { "text": format!("run `pimrules lint --explain {code}` for the documentation") },
        "defaultConfiguration": { "level": level_name(code.default_level()) },
    })
}

fn result(finding: &Finding, sources: &Sources) -> Value {
    let mut text = finding.message.clone();
    if let Some(witness) = &finding.witness {
        text.push_str(&format!("\nwitness: {}", witness.text));
    }
    let related: Vec<Value> = finding
        .related
        .iter()
        .enumerate()
        .map(|(index, label)| {
            let mut location = location(label, sources);
            location["id"] = json!(index + 1);
            location
        })
        .collect();
    let rule_index = LintCode::ALL
        .iter()
        .position(|c| *c == finding.code)
        .unwrap_or_default();
    let mut result = json!({
        "ruleId": finding.code.as_str(),
        "ruleIndex": rule_index,
        "level": level_name(finding.level),
        "message": { "text": text },
        "locations": [location(&finding.primary, sources)],
        "partialFingerprints": { "pimrules/v1": fingerprint(finding) },
        "properties": { "ruleset": finding.rule_set },
    });
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    if let Some(witness_event) = &finding.witness {
        result["properties"]["witness"] = witness(witness_event);
    }
    result
}

/// A `location` with a `physicalLocation` and the label's words as its message.
pub fn location(label: &Label, sources: &Sources) -> Value {
    let at = Location::of(label.span, sources);
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&at.file) },
            "region": {
                "startLine": at.line,
                "startColumn": at.column,
                "endLine": at.end_line,
                "endColumn": at.end_column,
            }
        },
        "message": { "text": label.message },
    })
}

/// A file name as a URI reference: absolute paths as `file://` URIs, relative ones as relative
/// references, every character outside RFC 3986's unreserved set and `/` percent-encoded.
pub fn uri(file: &str) -> String {
    let path = file.replace('\\', "/");
    let mut encoded = String::new();
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// A stable identity of a finding across runs (FNV-1a of its code, rule set and message), so
/// code-scanning tools can follow it when lines move.
fn fingerprint(finding: &Finding) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [finding.code.as_str(), &finding.rule_set, &finding.message] {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
