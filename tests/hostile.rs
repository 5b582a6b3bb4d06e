//! Hostile input: absurd nesting, huge and binary files, truncations and garbage for `check`;
//! devices, endless streams and rules that blow up cube algebra for `lint`, `diff`, `table`, `simulate`.

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

/// Random rules that overlap without covering each other — the shape that made `lint`, `diff`
/// and `table` run for minutes: each tests 5 to 9 of 20 three-valued facts, each against one or
/// two values, so the regions left between them split into very many cubes. `seed` picks them.
fn overlapping_rules(count: usize, seed: u64) -> String {
    let mut state = seed;
    let mut below = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n
    };
    let mut text = "ruleset \"hostile\"\nsender \"N\" <n@contoso.com>\nsubject-prefix \"P: \"\n\
                    max-recipients 10\nscope s \"S\"\nrecipient r \"R\"\n\
                    event e \"E\" critical occurs in s\ntemplate e \"E\"\n"
        .to_owned();
    for fact in 0..20 {
        text.push_str(&format!("fact f{fact}: v0 | v1 | v2 = v0\n"));
    }
    for rule in 0..count {
        let mut facts: Vec<usize> = (0..20).collect();
        let tested: Vec<String> = (0..5 + below(5))
            .map(|_| {
                let fact = facts.swap_remove(below(facts.len()));
                let first = below(3);
                let values = match below(2) {
                    0 => format!("v{first}"),
                    _ => format!("v{first}, v{}", (first + 1 + below(2)) % 3),
                };
                format!("f{fact} in {{{values}}}")
            })
            .collect();
        text.push_str(&format!(
            "rule r{rule} {{\n  on e in s\n  notify r\n  when {}\n}}\n",
            tested.join(" and ")
        ));
    }
    text
}

/// `pimrules ARGS…`, and how long it ran.
fn timed(args: &[&std::ffi::OsStr]) -> (Output, std::time::Duration) {
    let started = std::time::Instant::now();
    let output = pimrules(args);
    (output, started.elapsed())
}

/// The issue's 1 000 overlapping rules end well under 10 s (about 1.5 s; `cargo test --release`
/// checks it), and what the work budget left unanswered is said (W012). A debug build is about
/// 15 times slower, so it lints 300 rules (which spend the whole budget too) within 60 s.
#[test]
fn lint_of_many_overlapping_rules_ends_and_says_what_it_left() {
    let scratch = Scratch::new("lint-overlapping");
    let (count, most_seconds) = if cfg!(debug_assertions) {
        (300, 60)
    } else {
        (1000, 10)
    };
    let rules = scratch.write("rules.pimrules", overlapping_rules(count, 1).as_bytes());
    let (output, took) = timed(&["lint".as_ref(), rules.as_os_str()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(took.as_secs() < most_seconds, "{took:?}");
    assert!(
        stdout.contains("warning[W012]: the analysis ran out of its work budget"),
        "{stdout:.3000}"
    );
    assert_eq!(output.status.code(), Some(0), "{stdout:.3000}");
}

/// `diff` of two such rule sets (the issue's pair of 40 rules aborted, of 100 grew to 20 GB)
/// gives up at once with exit 2, naming the question it could not answer, and prints no result.
#[test]
fn diff_of_overlapping_rules_gives_up_naming_the_question() {
    let scratch = Scratch::new("diff-overlapping");
    for count in [40, 100] {
        let old = scratch.write("old.pimrules", overlapping_rules(count, 1).as_bytes());
        let new = scratch.write("new.pimrules", overlapping_rules(count, 2).as_bytes());
        let (output, took) = timed(&["diff".as_ref(), old.as_os_str(), new.as_os_str()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert_eq!(
            stderr,
            "error: cannot compare the rule sets exactly: `e` in `s` for `r` needs more than 100000 cubes\n"
        );
        assert!(output.stdout.is_empty());
        assert!(took.as_secs() < 10, "{took:?}");
    }
}

/// `table` of 300 such rules (past a minute and gigabytes before) is answered within seconds.
#[test]
fn table_of_overlapping_rules_is_answered() {
    let scratch = Scratch::new("table-overlapping");
    let rules = scratch.write("rules.pimrules", overlapping_rules(300, 2).as_bytes());
    let (output, took) = timed(&["table".as_ref(), "--rules".as_ref(), rules.as_os_str()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout:.3000}");
    assert!(stdout.contains("| R |"), "{stdout:.3000}");
    assert!(took.as_secs() < 10, "{took:?}");
}

/// A table whose question the run's work budget cannot answer is given up, naming the cell.
#[test]
fn a_table_out_of_work_names_its_cell() {
    let build = pimrules::pipeline::build_text("rules.pimrules", &overlapping_rules(40, 3));
    assert!(!build.has_errors(), "{:?}", build.diagnostics.first());
    let table = &build.compiled[0].table;
    let scope = pimrules::ruleset::ScopeId(0);
    let selection = pimrules::matrix::Selection::default();
    let budget = pimrules::table::cover::Budget::new(100);
    let gave_up = pimrules::matrix::build(table, scope, &selection, &budget).map(|_| ());
    assert_eq!(
        gave_up.map_err(|e| e.to_string()),
        Err("the work budget (100 cube operations) ran out at `e` in `s` for `r`".to_owned())
    );
    let budget = pimrules::table::cover::Budget::for_rows(table.rows());
    assert!(pimrules::matrix::build(table, scope, &selection, &budget).is_ok());
}

/// A device named as input is refused, by every command that reads a named file other than a
/// rule file (which is read to its 64 MiB limit: E014).
#[cfg(unix)]
#[test]
fn a_device_is_refused() {
    let runs: [(&[&str], &str); 6] = [
        (&["simulate", "--input", "/dev/zero"], "log `/dev/zero`"),
        (&["render", "--input", "/dev/zero"], "instance `/dev/zero`"),
        (&["policy", "import", "/dev/zero"], "`/dev/zero`"),
        (&["fmt", "/dev/zero"], "`/dev/zero`"),
        (
            &[
                "eval",
                "--event",
                "role-assigned",
                "--scope",
                "group",
                "--policy",
                "/dev/zero",
            ],
            "policy `/dev/zero`",
        ),
        (
            &["simulate", "--input", "-", "--directory", "/dev/zero"],
            "directory `/dev/zero`",
        ),
    ];
    for (args, what) in runs {
        let output = pimrules(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(
            stderr,
            format!("error: cannot read {what}: a character device, not a file\n"),
            "{args:?}"
        );
    }
}

/// `simulate --input -` fed NUL bytes for ever, with no newline, and how it ended: the
/// feeding stops when pimrules closes its end.
fn simulate_endless_zeros(extra: &[&str]) -> (Option<i32>, String, u64) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pimrules"))
        .args(["simulate", "--input", "-"])
        .args(extra)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("piped");
    let feeder = std::thread::spawn(move || {
        let zeros = [0u8; 64 * 1024];
        let mut fed = 0u64;
        while stdin.write_all(&zeros).is_ok() {
            fed += zeros.len() as u64;
        }
        fed
    });
    let output = child.wait_with_output().expect("it ends");
    let fed = feeder.join().expect("the feeder ends");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr, fed)
}

/// An endless line of NUL bytes on standard input is one line longer than 1 MiB, reported at
/// once; with `--keep-going`, at most 64 MiB more of it are skipped before the log is given up.
#[test]
fn an_endless_line_on_standard_input_is_read_bounded() {
    let (code, stderr, fed) = simulate_endless_zeros(&[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error[E019]: <stdin>:1: line is longer than 1 MiB"),
        "{stderr}"
    );
    assert!(fed < 8 << 20, "{fed} bytes read");
    let (code, stderr, fed) = simulate_endless_zeros(&["--keep-going"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with("warning[E019]: <stdin>:1: line is longer than 1 MiB"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("error: cannot read log `<stdin>`: line 1 is longer than 64 MiB\n"),
        "{stderr}"
    );
    assert!(fed < 72 << 20, "{fed} bytes read");
}
