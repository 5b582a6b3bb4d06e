//! The SARIF output checked against the SARIF 2.1.0 schema by hand (the schema cannot be
//! fetched here): required properties, allowed property names, enumerations and value ranges of
//! every object `pimrules lint --format sarif` and `check --format sarif` write; and what GitHub
//! code scanning needs: files relative to `%SRCROOT%`, rule help, fingerprints that survive moves.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use pimrules::analysis;
use pimrules::diagnostic::emit::{Emitter, SarifEmitter, SourceRoot};
use pimrules::diagnostic::{Code, Diagnostic};
use pimrules::source::{Origin, Sources, Span};
use serde_json::Value;
use std::path::PathBuf;

/// The corpus case with a conflict (an error), a gap and an unused class.
const RULES: &str = include_str!("inputs/lint/several.pimrules");

/// The lint findings of `text`, or its errors when it has some, as diagnostics.
fn diagnostics_of(name: &str, text: &str) -> (Vec<Diagnostic>, Sources) {
    let build = pimrules::pipeline::build_text(name, text);
    let diagnostics = if build.has_errors() {
        build.diagnostics.clone()
    } else {
        analysis::lint(&build.loaded, &build.compiled[0])
            .into_iter()
            .map(Diagnostic::from)
            .collect()
    };
    (diagnostics, build.loaded.sources)
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("the SARIF output is JSON")
}

fn sarif_of(text: &str) -> Value {
    let (findings, sources) = diagnostics_of("dir with space/<rules>.pimrules", text);
    assert!(findings.len() >= 3, "{findings:#?}");
    parse(&SarifEmitter { root: None }.emit(&findings, &sources))
}

/// The property names the schema allows on an object (`additionalProperties: false`).
fn only_keys(object: &Value, allowed: &[&str], what: &str) {
    let map = object
        .as_object()
        .unwrap_or_else(|| panic!("{what} is an object"));
    for key in map.keys() {
        assert!(
            allowed.contains(&key.as_str()),
            "{what} has a property `{key}` the schema does not define"
        );
    }
}

fn require<'v>(object: &'v Value, key: &str, what: &str) -> &'v Value {
    object
        .get(key)
        .unwrap_or_else(|| panic!("{what} lacks the required `{key}`"))
}

/// A `message` / `multiformatMessageString`: `text` is required and a string.
fn check_message(message: &Value, what: &str) {
    assert!(
        require(message, "text", what).is_string(),
        "{what}.text is a string"
    );
}

const LEVELS: [&str; 4] = ["none", "note", "warning", "error"];

/// A URI reference (RFC 3986): no spaces, angle brackets, quotes or other excluded characters.
fn is_uri_reference(uri: &str) -> bool {
    !uri.is_empty()
        && uri
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c))
}

fn check_location(location: &Value, what: &str) {
    only_keys(
        location,
        &[
            "id",
            "physicalLocation",
            "logicalLocations",
            "message",
            "annotations",
            "relationships",
            "properties",
        ],
        what,
    );
    if let Some(id) = location.get("id") {
        assert!(
            id.as_i64().is_some_and(|i| i >= -1),
            "{what}.id is an integer ≥ -1"
        );
    }
    if let Some(message) = location.get("message") {
        check_message(message, what);
    }
    let physical = require(location, "physicalLocation", what);
    only_keys(
        physical,
        &[
            "address",
            "artifactLocation",
            "region",
            "contextRegion",
            "properties",
        ],
        what,
    );
    let artifact = require(physical, "artifactLocation", what);
    let uri = require(artifact, "uri", what)
        .as_str()
        .expect("uri is a string");
    assert!(
        is_uri_reference(uri),
        "{what}: `{uri}` is not a URI reference"
    );
    let region = require(physical, "region", what);
    let number = |key: &str| {
        region
            .get(key)
            .and_then(Value::as_u64)
            .unwrap_or_else(|| panic!("{what}.region.{key}"))
    };
    let (start_line, start_column) = (number("startLine"), number("startColumn"));
    let (end_line, end_column) = (number("endLine"), number("endColumn"));
    assert!(
        start_line >= 1 && start_column >= 1 && end_line >= 1 && end_column >= 1,
        "{what}: 1-based"
    );
    assert!(
        end_line > start_line || (end_line == start_line && end_column >= start_column),
        "{what}: region ends after it starts"
    );
}

#[test]
fn the_sarif_log_follows_the_schema() {
    let log = sarif_of(RULES);
    only_keys(
        &log,
        &[
            "$schema",
            "version",
            "runs",
            "inlineExternalProperties",
            "properties",
        ],
        "sarifLog",
    );
    assert_eq!(require(&log, "version", "sarifLog"), "2.1.0");
    assert!(
        require(&log, "$schema", "sarifLog")
            .as_str()
            .is_some_and(|s| s.contains("sarif-2.1.0"))
    );
    let runs = require(&log, "runs", "sarifLog")
        .as_array()
        .expect("runs is an array");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    only_keys(
        run,
        &[
            "tool",
            "invocations",
            "conversion",
            "language",
            "versionControlProvenance",
            "originalUriBaseIds",
            "artifacts",
            "logicalLocations",
            "graphs",
            "results",
            "automationDetails",
            "runAggregates",
            "baselineGuid",
            "redactionTokens",
            "defaultEncoding",
            "defaultSourceLanguage",
            "newlineSequences",
            "columnKind",
            "externalPropertyFileReferences",
            "threadFlowLocations",
            "taxonomies",
            "addresses",
            "translations",
            "policies",
            "webRequests",
            "webResponses",
            "specialLocations",
            "properties",
        ],
        "run",
    );
    assert!(
        ["utf16CodeUnits", "unicodeCodePoints"].contains(&run["columnKind"].as_str().unwrap_or(""))
    );
    let driver = require(require(run, "tool", "run"), "driver", "tool");
    assert_eq!(require(driver, "name", "driver"), "pimrules");
    let rules = require(driver, "rules", "driver")
        .as_array()
        .expect("rules is an array");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().unwrap_or(""))
        .collect();
    let expected: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(ids, expected, "every code, E and W, is described, in order");
    for rule in rules {
        only_keys(
            rule,
            &[
                "id",
                "deprecatedIds",
                "guid",
                "deprecatedGuids",
                "name",
                "deprecatedNames",
                "shortDescription",
                "fullDescription",
                "messageStrings",
                "defaultConfiguration",
                "helpUri",
                "help",
                "relationships",
                "properties",
            ],
            "reportingDescriptor",
        );
        check_message(
            require(rule, "shortDescription", "rule"),
            "shortDescription",
        );
        check_message(require(rule, "fullDescription", "rule"), "fullDescription");
        let help = require(rule, "help", "rule");
        check_message(help, "help");
        assert!(
            help["markdown"]
                .as_str()
                .is_some_and(|m| m.contains("[Documentation](https://")),
            "help.markdown links to the documentation"
        );
        let uri = require(rule, "helpUri", "rule").as_str().unwrap_or("");
        assert!(
            uri.starts_with("https://") && is_uri_reference(uri),
            "helpUri `{uri}` is an absolute URI"
        );
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap_or("");
        assert!(
            LEVELS.contains(&level),
            "defaultConfiguration.level `{level}`"
        );
    }
    let results = require(run, "results", "run")
        .as_array()
        .expect("results is an array");
    assert!(results.len() >= 3);
    for result in results {
        only_keys(
            result,
            &[
                "ruleId",
                "ruleIndex",
                "rule",
                "kind",
                "level",
                "message",
                "analysisTarget",
                "locations",
                "guid",
                "correlationGuid",
                "occurrenceCount",
                "partialFingerprints",
                "fingerprints",
                "stacks",
                "codeFlows",
                "graphs",
                "graphTraversals",
                "relatedLocations",
                "suppressions",
                "baselineState",
                "rank",
                "attachments",
                "hostedViewerUri",
                "workItemUris",
                "provenance",
                "fixes",
                "taxa",
                "webRequest",
                "webResponse",
                "properties",
            ],
            "result",
        );
        check_message(require(result, "message", "result"), "result.message");
        let rule_id = result["ruleId"].as_str().expect("ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(ids.get(index), Some(&rule_id), "ruleIndex points at ruleId");
        assert!(LEVELS.contains(&result["level"].as_str().unwrap_or("")));
        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1);
        check_location(&locations[0], "result.locations[0]");
        let related = result
            .get("relatedLocations")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut seen = Vec::new();
        for location in &related {
            check_location(location, "relatedLocations");
            let id = location["id"].as_i64().expect("related locations have ids");
            assert!(!seen.contains(&id), "related location ids are unique");
            seen.push(id);
        }
        for (_, fingerprint) in result["partialFingerprints"]
            .as_object()
            .expect("partialFingerprints")
        {
            assert!(fingerprint.is_string());
        }
        if let Some(properties) = result.get("properties") {
            assert!(properties.is_object(), "a property bag is an object");
        }
    }
}

/// The findings of the sample are all there: the conflict (an error), the gap, the unused
/// class; file names become percent-encoded URI references.
#[test]
fn the_sarif_results_say_what_was_found() {
    let log = sarif_of(RULES);
    let results = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let codes: Vec<&str> = results
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    for code in ["W003", "W005", "W007"] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    let uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str();
    assert_eq!(uri, Some("dir%20with%20space/%3Crules%3E.pimrules"));
    let conflict = results
        .iter()
        .find(|r| r["ruleId"] == "W003")
        .expect("a conflict");
    assert_eq!(conflict["level"], "error");
    assert_eq!(conflict["properties"]["witness"]["event"], "role-assigned");
    assert_eq!(conflict["relatedLocations"][0]["id"], 1);
    assert!(
        conflict["message"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("witness: role-assigned in entra-role"))
    );
}

/// A file of `text` on disk at `path`, with one error at `needle`, as SARIF under `root`.
fn sarif_on_disk(path: &str, text: &str, needle: &str, root: SourceRoot) -> Value {
    let mut sources = Sources::new();
    let file = sources.add(
        path.to_owned(),
        text.to_owned(),
        Origin::Disk(PathBuf::from(path)),
    );
    let start = text.find(needle).expect("the needle is in the text");
    let error = Diagnostic::error(Code::E004, "unknown event `x`")
        .at(Span::new(file, start..start + needle.len()), "here");
    parse(&SarifEmitter { root: Some(root) }.emit(&[error], &sources))
}

fn artifact(log: &Value) -> &Value {
    &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
}

#[test]
fn files_are_named_relative_to_the_repository_root() {
    let root = || SourceRoot {
        root: PathBuf::from("/repo"),
        current: PathBuf::from("/repo/rules/entra"),
    };
    let log = sarif_on_disk("../shared/./x.pimrules", "on x\n", "x", root());
    assert_eq!(artifact(&log)["uri"], "rules/shared/x.pimrules");
    assert_eq!(artifact(&log)["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///repo/"
    );
    // a file outside the root keeps its absolute name, with no base
    let outside = sarif_on_disk("/elsewhere/x.pimrules", "on x\n", "x", root());
    assert_eq!(artifact(&outside)["uri"], "file:///elsewhere/x.pimrules");
    assert!(artifact(&outside).get("uriBaseId").is_none());
}

/// The fingerprints of every result of `text`, in order.
fn fingerprints(text: &str) -> Vec<(String, String)> {
    let (findings, sources) = diagnostics_of("rules.pimrules", text);
    let log = parse(&SarifEmitter { root: None }.emit(&findings, &sources));
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let print = r["partialFingerprints"]["pimrules/v2"]
                .as_str()
                .unwrap_or("");
            (
                r["ruleId"].as_str().unwrap_or("").to_owned(),
                print.to_owned(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_lines_moving_and_tell_findings_apart() {
    let before = fingerprints(RULES);
    // a comment above everything and blank lines move every finding down
    let moved = fingerprints(&format!("// moved down\n\n\n{RULES}"));
    assert_eq!(before, moved, "moving lines keeps every fingerprint");
    let mut unique = before.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        before.len(),
        "no two results share one: {before:?}"
    );
    // errors too: the same broken line, moved, keeps its fingerprint
    let broken = "ruleset \"x\"\nrule r {\n  on nothing in nowhere\n}\n";
    let errors = fingerprints(broken);
    assert!(!errors.is_empty() && errors.iter().all(|(code, _)| code.starts_with('E')));
    assert_eq!(errors, fingerprints(&format!("\n\n{broken}")));
}

/// Broken rules are results too, each with its code and a located region.
#[test]
fn errors_in_the_rules_are_results() {
    let (errors, sources) = diagnostics_of(
        "broken.pimrules",
        "ruleset \"x\"\nrule r {\n  on nope in x\n}\n",
    );
    assert!(errors.iter().all(Diagnostic::is_error) && !errors.is_empty());
    let log = parse(&SarifEmitter { root: None }.emit(&errors, &sources));
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), errors.len());
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(result["level"], "error");
        check_location(&result["locations"][0], "an error's location");
    }
}
