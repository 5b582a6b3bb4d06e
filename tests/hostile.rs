//! Hostile input for `pimrules check`: absurd nesting, huge and binary files, truncations and
//! garbage. Each must end in a located diagnostic and exit 1 (2 for I/O) — never a crash or hang.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

#[path = "support/scratch.rs"]
mod scratch;

use scratch::{Scratch, pimrules};
use std::path::Path;
use std::process::Output;

fn check(path: &Path) -> Output {
    pimrules([Path::new("check"), path])
}

/// Exit 1 with a diagnostic of `code` located at `file:line:col`.
fn assert_located(output: &Output, code: &str, location: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "exit code; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("error[{code}]")),
        "expected {code} in:\n{stderr}"
    );
    assert!(
        stderr.contains(location),
        "expected location {location} in:\n{stderr}"
    );
}

const HEADER: &str = "ruleset \"hostile\" version \"1\"\nsender \"N\" <n@contoso.com>\n\
subject-prefix \"PIM: \"\nmax-recipients 10\nscope s \"S\"\nrecipient r \"R\"\nevent e \"E\"\n\
template e \"E\"\nfact f: bool = false\n";

#[test]
fn hundred_thousand_nested_parentheses() {
    let scratch = Scratch::new("parens");
    let depth = 100_000;
    let text = format!(
        "{HEADER}rule deep {{\n  on e in s\n  notify r\n  when {}f{}\n}}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let path = scratch.write("deep.pimrules", text.as_bytes());
    assert_located(&check(&path), "E003", "deep.pimrules:13:72");
}

#[test]
fn hundred_thousand_nots() {
    let scratch = Scratch::new("nots");
    let text = format!(
        "{HEADER}rule deep {{\n  on e in s\n  notify r\n  when {}f\n}}\n",
        "not ".repeat(100_000)
    );
    let path = scratch.write("nots.pimrules", text.as_bytes());
    assert_located(&check(&path), "E003", "nots.pimrules:13:8");
}

#[test]
fn twenty_megabytes_of_valid_rules_check_clean() {
    let scratch = Scratch::new("big-valid");
    let mut text = String::from(HEADER);
    let mut i = 0;
    while text.len() < 20 * 1024 * 1024 {
        text.push_str(&format!(
            "// a long explanation of rule {i} that pads the file with comment text to reach the size\n\
             rule r{i} {{\n  on e in s\n  notify r\n  when f or not f\n}}\n"
        ));
        i += 1;
    }
    let path = scratch.write("big.pimrules", text.as_bytes());
    // the template `e` needs its wording in every locale (E017), next to the rule set
    for locale in ["en", "sv"] {
        std::fs::create_dir_all(scratch.0.join("locales").join(locale)).expect("temp dir");
        scratch.write(&format!("locales/{locale}/pim.ftl"), b"e = E\n");
    }
    let output = check(&path);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn twenty_megabytes_of_garbage_stop_after_fifty_errors() {
    let scratch = Scratch::new("big-garbage");
    let line = "rule 12345 is { not [ a rule\nand this line is garbage too\n";
    let text = line.repeat(20 * 1024 * 1024 / line.len());
    let path = scratch.write("garbage.pimrules", text.as_bytes());
    let output = check(&path);
    assert_located(&output, "E001", "garbage.pimrules:1:6");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("too many syntax errors"), "{stderr}");
    assert!(
        stderr.matches("error[E001]").count() <= 51,
        "errors are capped"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let scratch = Scratch::new("huge");
    let path = scratch.0.join("huge.pimrules");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(pimrules::load::MAX_FILE_BYTES + 1)
        .expect("sparse file");
    assert_located(&check(&path), "E014", "huge.pimrules:1:1");
}

#[test]
fn binary_data_is_not_text() {
    let scratch = Scratch::new("binary");
    // a deterministic pseudo-random byte string (xorshift), with invalid UTF-8 early on
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let bytes: Vec<u8> = (0..1_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let path = scratch.write("random.pimrules", &bytes);
    let output = check(&path);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error[E002]"));
}

#[test]
fn a_missing_file_is_an_io_error() {
    let output = check(Path::new("definitely/not/here.pimrules"));
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("definitely/not/here.pimrules"));
}

/// Every prefix of a shipped rule file (in steps) is handled: parsed, or diagnosed at a span
/// inside the text, with no panic.
#[test]
fn truncated_shipped_rules_are_diagnosed_within_the_text() {
    for shipped in pimrules::shipped::FILES {
        let text = shipped.text;
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                let build = pimrules::pipeline::build_text("truncated.pimrules", &text[..cut]);
                for diagnostic in &build.diagnostics {
                    if let Some(label) = &diagnostic.primary {
                        assert!(
                            label.span.end <= cut,
                            "span past the end at cut {cut}: {diagnostic:?}"
                        );
                    }
                }
            }
            cut += 37;
        }
    }
}

/// One notification rule as Graph writes it, with these recipients.
fn graph_rule(id: &str, row: &str, recipients: &str) -> String {
    format!(
        r##"{{"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule", "id": "{id}", "notificationType": "Email", "recipientType": "{row}", "notificationLevel": "All", "isDefaultRecipientsEnabled": true, "notificationRecipients": [{recipients}], "target": {{"caller": "EndUser", "operations": ["All"], "level": "Assignment", "inheritableSettings": [], "enforcedSettings": []}}}}"##
    )
}

#[test]
fn a_policy_document_of_two_thousand_roles_imports() {
    let scratch = Scratch::new("many-roles");
    let assignments: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                r#"{{"policyId": "DirectoryRole_p{i}", "scopeId": "/", "scopeType": "DirectoryRole", "roleDefinitionId": "00000000-0000-4000-8000-{i:012}", "policy": {{"id": "DirectoryRole_p{i}", "rules": [{}]}}}}"#,
                graph_rule("Notification_Admin_EndUser_Assignment", "Admin", "\"secops@contoso.com\"")
            )
        })
        .collect();
    let document = format!("{{\"value\": [{}]}}", assignments.join(","));
    let path = scratch.write("tenant.json", document.as_bytes());
    let output = pimrules([Path::new("policy"), Path::new("import"), &path]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(text.matches("settings \"").count(), 2000);
}

#[test]
fn a_rule_with_two_hundred_thousand_recipients_is_read_or_refused_in_place() {
    let scratch = Scratch::new("many-recipients");
    let mut recipients: Vec<String> = (0..200_000)
        .map(|i| format!("\"a{i}@contoso.com\""))
        .collect();
    let context = "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies('DirectoryRole_x')/rules";
    let good = format!(
        "{{\"@odata.context\": \"{context}\", \"value\": [{}]}}",
        graph_rule(
            "Notification_Admin_EndUser_Assignment",
            "Admin",
            &recipients.join(",")
        )
    );
    let path = scratch.write("good.json", good.as_bytes());
    let output = pimrules([Path::new("policy"), Path::new("import"), &path]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    recipients[150_000] = "\"not an address\"".to_owned();
    let bad = format!(
        "{{\"@odata.context\": \"{context}\", \"value\": [{}]}}",
        graph_rule(
            "Notification_Admin_EndUser_Assignment",
            "Admin",
            &recipients.join(",")
        )
    );
    let path = scratch.write("bad.json", bad.as_bytes());
    let output = pimrules([Path::new("policy"), Path::new("import"), &path]);
    assert_located(&output, "E016", "bad.json:1:");
    assert!(String::from_utf8_lossy(&output.stderr).contains("`not an address`"));
}
