//! The `sarif` format: one SARIF 2.1.0 log with one run, every code of the registry described in
//! `tool.driver.rules`, and each diagnostic a result with 1-based regions relative to `%SRCROOT%`.

use super::json::{level_name, witness};
use super::{Emitter, Location, message_with_notes};
use crate::diagnostic::{Code, Diagnostic, Label};
use crate::source::{FileId, Origin, Sources};
use serde_json::{Value, json};
use std::path::{Component, Path, PathBuf};

pub const SARIF_VERSION: &str = "2.1.0";
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base id file locations are relative to: the repository root.
pub const SOURCE_ROOT_ID: &str = "%SRCROOT%";

/// Where each code is documented: the README's section of its kind, in the repository Cargo.toml
/// names (`<repository>/blob/HEAD/README.md#diagnostics`, `#lint`).
pub fn documentation(code: Code) -> String {
    let section = if code.is_lint() {
        "lint"
    } else {
        "diagnostics"
    };
    format!(
        "{}/blob/HEAD/README.md#{section}",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// The repository root files are named relative to, and the folder relative names start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRoot {
    /// the root (the nearest folder with `.git`, else the current folder), absolute
    pub root: PathBuf,
    /// the folder a relative file name is relative to (the current folder), absolute
    pub current: PathBuf,
}

impl SourceRoot {
    /// `file`'s path relative to the root, `/`-separated, if it is inside it.
    fn relative(&self, file: &Path) -> Option<String> {
        let absolute = normalized(&self.current.join(file));
        let inside = absolute.strip_prefix(normalized(&self.root)).ok()?;
        let parts: Vec<String> = inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }

    /// The root as a `file://` URI ending in `/`, as `originalUriBaseIds` gives it.
    fn uri(&self) -> String {
        let root = uri(&normalized(&self.root).to_string_lossy());
        if root.ends_with('/') {
            root
        } else {
            format!("{root}/")
        }
    }
}

/// `path` with `.` left out and each `..` taking away the folder before it (no file system).
fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The SARIF writer; without a root, file names are written as given.
pub struct SarifEmitter {
    pub root: Option<SourceRoot>,
}

impl Emitter for SarifEmitter {
    fn emit(&self, diagnostics: &[Diagnostic], sources: &Sources) -> String {
        let rules: Vec<Value> = Code::ALL.iter().map(|code| rule(*code)).collect();
        let mut seen = std::collections::HashMap::new();
        let results: Vec<Value> = diagnostics
            .iter()
            .map(|d| {
                let root = self.root.as_ref();
                let mut result = result(d, sources, root);
                // identical findings on identical lines are told apart by their order
                let key = fingerprint(d, sources, root);
                let occurrence = seen.entry(key.clone()).or_insert(0);
                *occurrence += 1;
                result["partialFingerprints"] =
                    json!({ "pimrules/v2": format!("{key}:{occurrence}") });
                result
            })
            .collect();
        log(rules, results, self.root.as_ref())
    }
}

/// A SARIF log of one pimrules run: its `reportingDescriptor`s and results, pretty-printed;
/// with a root, `%SRCROOT%` in `originalUriBaseIds`.
pub fn log(rules: Vec<Value>, results: Vec<Value>, root: Option<&SourceRoot>) -> String {
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "pimrules",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(root) = root {
        run["originalUriBaseIds"] = json!({ SOURCE_ROOT_ID: { "uri": root.uri() } });
    }
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [run],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// A `reportingDescriptor`: the code's metadata from the registry.
fn rule(code: Code) -> Value {
    let link = documentation(code);
    json!({
        "id": code.as_str(),
        "name": code.name(),
        "shortDescription": { "text": code.title() },
        "fullDescription": { "text": code.explanation() },
        "helpUri": link,
        "help": {
            "text": format!("{}\n\n`pimrules lint --explain {code}` prints this; {link}", code.explanation()),
            "markdown": format!(
                "**{code} `{}`**: {}\n\n{}\n\n[Documentation]({link}) · `pimrules lint --explain {code}`",
                code.name(),
                code.about().summary,
                code.explanation()
            ),
        },
        "defaultConfiguration": { "level": level_name(code.default_level()) },
    })
}

fn result(diagnostic: &Diagnostic, sources: &Sources, root: Option<&SourceRoot>) -> Value {
    let related: Vec<Value> = diagnostic
        .secondary
        .iter()
        .enumerate()
        .map(|(index, label)| {
            let mut location = location(label, sources, root);
            location["id"] = json!(index + 1);
            location
        })
        .collect();
    let rule_index = Code::ALL
        .iter()
        .position(|c| *c == diagnostic.code)
        .unwrap_or_default();
    let mut result = json!({
        "ruleId": diagnostic.code.as_str(),
        "ruleIndex": rule_index,
        "level": level_name(diagnostic.severity),
        "message": { "text": message_with_notes(diagnostic) },
        "locations": diagnostic.primary.iter().map(|l| location(l, sources, root)).collect::<Vec<_>>(),
    });
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    if let Some(rule_set) = diagnostic.rule_set() {
        result["properties"] = json!({ "ruleset": rule_set });
    }
    if let Some(witness_event) = diagnostic.witness() {
        result["properties"]["witness"] = witness(witness_event);
    }
    result
}

/// A `location` with a `physicalLocation` and the label's words as its message.
pub fn location(label: &Label, sources: &Sources, root: Option<&SourceRoot>) -> Value {
    let at = Location::of(label.span, sources);
    json!({
        "physicalLocation": {
            "artifactLocation": artifact(label.span.file, sources, root),
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

/// A file as an `artifactLocation`: a file on disk inside the root relative to `%SRCROOT%`,
/// anything else (a shipped file, text in memory, a file outside the root) by its name.
fn artifact(file: FileId, sources: &Sources, root: Option<&SourceRoot>) -> Value {
    let relative = match (sources.origin(file), root) {
        (Some(Origin::Disk(path)), Some(root)) => root.relative(path),
        _ => None,
    };
    match relative {
        Some(path) => json!({ "uri": uri(&path), "uriBaseId": SOURCE_ROOT_ID }),
        None => json!({ "uri": uri(sources.name(file)) }),
    }
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

/// A stable identity of a diagnostic across runs, so code-scanning tools follow it when lines
/// move: FNV-1a of its code, its file (as the result names it), the text it marks and its first
/// line with runs of white space made one. No line number, no message (which may name one).
fn fingerprint(diagnostic: &Diagnostic, sources: &Sources, root: Option<&SourceRoot>) -> String {
    let (file, marked, line) = match &diagnostic.primary {
        Some(primary) => {
            let span = primary.span;
            let text = sources.text(span.file);
            let marked = text.get(span.range()).unwrap_or_default();
            let start = text
                .get(..span.start)
                .map_or(0, |t| t.rfind('\n').map_or(0, |i| i + 1));
            let end = text
                .get(span.start..)
                .and_then(|t| t.find('\n'))
                .map_or(text.len(), |i| span.start + i);
            let line = text.get(start..end).unwrap_or_default();
            let file = artifact(span.file, sources, root)["uri"].to_string();
            (
                file,
                marked,
                line.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        }
        None => (String::new(), "", diagnostic.message.clone()),
    };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [diagnostic.code.as_str(), &file, marked, &line] {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
