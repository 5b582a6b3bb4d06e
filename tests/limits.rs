//! Every documented limit (README, "Limits") is enforced with a clear error: rules, facts,
//! (scope, event) pairs, table rows, instance size, people and text, and every file a command reads.

#[path = "support/scratch.rs"]
mod scratch;

use pimrules::pipeline::build_text;
use scratch::{Scratch, pimrules};
use std::fmt::Write as _;
use std::path::PathBuf;

const HEADER: &str = "ruleset \"limits\" version \"1\"\nsender \"N\" <n@contoso.com>\n\
subject-prefix \"PIM: \"\nmax-recipients 10\nrecipient r \"R\"\ntemplate e \"E\"\n";

/// The E014 messages of a build of `text`.
fn limit_errors(text: &str) -> Vec<String> {
    build_text("limits.pimrules", text)
        .diagnostics
        .iter()
        .filter(|d| d.code == pimrules::diagnostic::Code::E014)
        .map(|d| d.message.clone())
        .collect()
}

/// A rule set with `count` numbered copies of `line` (`{i}` is the number) after the header.
fn numbered(line: &str, count: usize) -> String {
    let mut text = format!("{HEADER}scope s \"S\"\nevent e \"E\"\n");
    for i in 0..count {
        text.push_str(&line.replace("{i}", &i.to_string()));
        text.push('\n');
    }
    text
}

/// The E014 messages of checking `text`, without compiling it (for rule sets exactly at a limit,
/// which are valid and would otherwise be compiled in full: a million (scope, event) cells).
fn check_limit_errors(text: &str) -> Vec<String> {
    let loaded = pimrules::load::load_text("limits.pimrules", text);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let mut messages = Vec::new();
    for program in &loaded.programs {
        if let Err(errors) = pimrules::check::check(&loaded, program) {
            messages.extend(
                errors
                    .into_iter()
                    .filter(|d| d.code == pimrules::diagnostic::Code::E014)
                    .map(|d| d.message),
            );
        }
    }
    messages
}

#[test]
fn rule_sets_exactly_at_the_limits_are_accepted() {
    let facts = numbered("fact f{i}: bool = false", pimrules::ruleset::MAX_FACTS);
    assert_eq!(check_limit_errors(&facts), [] as [String; 0]);
    let mut pairs = HEADER.to_owned();
    for i in 0..1024 {
        let _ = writeln!(pairs, "scope s{i} \"S\"\nevent e{i} \"E\"");
    }
    assert_eq!(1024 * 1024, pimrules::ruleset::MAX_SCOPE_EVENT_PAIRS);
    assert_eq!(check_limit_errors(&pairs), [] as [String; 0]);
}

#[test]
fn more_rules_than_the_limit() {
    let max = pimrules::ruleset::MAX_RULES;
    let text = numbered("rule r{i} { on e in s notify r }", max + 1);
    assert_eq!(limit_errors(&text), [format!("more than {max} rules")]);
}

#[test]
fn more_facts_than_the_limit() {
    let max = pimrules::ruleset::MAX_FACTS;
    let text = numbered("fact f{i}: bool = false", max + 1);
    assert_eq!(limit_errors(&text), [format!("more than {max} facts")]);
}

#[test]
fn more_scope_event_pairs_than_the_limit() {
    let mut text = HEADER.to_owned();
    for i in 0..1025 {
        let _ = writeln!(text, "scope s{i} \"S\"\nevent e{i} \"E\"");
    }
    assert_eq!(
        limit_errors(&text),
        ["1025 scopes and 1025 events make more than 1048576 (scope, event) pairs"]
    );
}

#[test]
fn a_table_with_more_rows_than_the_limit() {
    // 2048 cases (11 independent `or`s) in 33 × 64 = 2112 cells: 4.3 million rows from one rule
    let mut text = HEADER.to_owned();
    let (events, scopes): (Vec<String>, Vec<String>) =
        (0..64).map(|i| (format!("e{i}"), format!("s{i}"))).unzip();
    for (event, scope) in events.iter().zip(&scopes) {
        let _ = writeln!(
            text,
            "scope {scope} \"S\"\nevent {event} \"E\"\ntemplate {event} \"E\""
        );
    }
    let mut parts = Vec::new();
    for i in 0..11 {
        let _ = writeln!(text, "fact a{i}: bool = false\nfact b{i}: bool = false");
        parts.push(format!("(a{i} or b{i})"));
    }
    let _ = writeln!(
        text,
        "rule wide {{\n  on {} in {}\n  notify r\n  when {}\n}}",
        events[..33].join(", "),
        scopes.join(", "),
        parts.join(" and ")
    );
    assert_eq!(
        limit_errors(&text),
        [format!(
            "the decision table has more than {} rows",
            pimrules::table::MAX_TABLE_ROWS
        )]
    );
}

/// `render` of an instance written to a scratch file: exit code and stderr.
fn render(scratch: &Scratch, instance: &[u8]) -> (Option<i32>, String) {
    let path = scratch.write("instance.json", instance);
    let output = pimrules([
        std::ffi::OsStr::new("render"),
        "--input".as_ref(),
        path.as_os_str(),
    ]);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A file of `len` zero bytes that takes no disk space (sparse), in `scratch`.
fn sparse(scratch: &Scratch, name: &str, len: u64) -> PathBuf {
    let path = scratch.0.join(name);
    std::fs::File::create(&path)
        .and_then(|f| f.set_len(len))
        .expect("sparse file");
    path
}

#[test]
fn an_instance_over_the_byte_limit_is_refused_unread() {
    let scratch = Scratch::new("instance-bytes");
    let path = sparse(
        &scratch,
        "huge.json",
        pimrules::instance::MAX_INSTANCE_BYTES + 1,
    );
    let output = pimrules([
        std::ffi::OsStr::new("render"),
        "--input".as_ref(),
        path.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[E014]: instance is larger than 4 MiB"),
        "{stderr}"
    );
}

#[test]
fn an_instance_with_too_many_people_is_refused() {
    let scratch = Scratch::new("instance-people");
    let people: Vec<String> = (0..=pimrules::instance::MAX_INSTANCE_PEOPLE)
        .map(|i| format!("{{\"email\": \"p{i}@contoso.com\"}}"))
        .collect();
    let instance = format!(
        "{{\"event\": \"role-assigned\", \"scope\": \"azure-resource\",\n\"people\": {{\"permanent-owner\": [{}]}}}}",
        people.join(",")
    );
    let (code, stderr) = render(&scratch, instance.as_bytes());
    assert_eq!(code, Some(1), "{stderr:.2000}");
    assert!(
        stderr.contains("error[E014]: the instance lists 10001 people, more than 10000"),
        "{stderr:.2000}"
    );
    assert!(stderr.contains("instance.json:2:1"), "{stderr:.2000}");
}

#[test]
fn instance_text_over_the_limit_is_refused() {
    let scratch = Scratch::new("instance-text");
    let long = "x".repeat(pimrules::instance::MAX_TEXT_BYTES + 1);
    for (field, instance) in [
        (
            "justification",
            format!(r#"{{"event": "role-assigned", "scope": "group", "justification": "{long}"}}"#),
        ),
        (
            "people.approver[0].name",
            format!(
                r#"{{"event": "role-assigned", "scope": "group", "people": {{"approver": [{{"name": "{long}", "email": "a@contoso.com"}}]}}}}"#
            ),
        ),
    ] {
        let (code, stderr) = render(&scratch, instance.as_bytes());
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "error[E014]: `{field}` is 4097 bytes long, more than 4096"
            )),
            "{stderr}"
        );
    }
}

/// Every other file a command reads (rule files have their own test in hostile.rs) is refused
/// past 64 MiB without being read into memory.
#[test]
fn every_input_file_is_bounded() {
    let scratch = Scratch::new("input-files");
    let huge = |name: &str| {
        let path = sparse(&scratch, name, pimrules::load::MAX_FILE_BYTES + 1);
        path.display().to_string()
    };
    let policy = huge("policy.json");
    let rules = huge("rules.pimrules");
    let runs: [&[&str]; 3] = [
        &["fmt", &rules],
        &["policy", "import", &policy],
        &[
            "eval",
            "--event",
            "role-assigned",
            "--scope",
            "group",
            "--policy",
            &policy,
        ],
    ];
    for args in runs {
        let output = pimrules(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("larger than 64 MiB"), "{args:?}: {stderr}");
    }
}

/// A cell past `analysis::cover::MAX_CELL_ROWS` is left unanswered by the checks that compare
/// its rows: 21 identical rules of 1024 cases each are not all reported redundant, and lint ends.
#[test]
fn lint_leaves_an_oversized_cell_unanswered() {
    let mut text = format!("{HEADER}scope s \"S\"\nevent e \"E\" occurs in s\n");
    let mut parts = Vec::new();
    for i in 0..10 {
        let _ = writeln!(text, "fact a{i}: bool = false\nfact b{i}: bool = false");
        parts.push(format!("(a{i} or b{i})"));
    }
    let rules = pimrules::analysis::cover::MAX_CELL_ROWS / 1024 + 1;
    for k in 0..rules {
        let _ = writeln!(
            text,
            "rule r{k} {{\n  on e in s\n  notify r\n  when {}\n}}",
            parts.join(" and ")
        );
    }
    let build = build_text("limits.pimrules", &text);
    assert!(!build.has_errors(), "{:?}", build.diagnostics.first());
    let compiled = &build.compiled[0];
    assert!(compiled.table.cells[0].rows.len() > pimrules::analysis::cover::MAX_CELL_ROWS);
    let findings = pimrules::analysis::lint(&build.loaded, compiled);
    assert!(
        findings
            .iter()
            .all(|f| !matches!(f.code.as_str(), "W002" | "W003" | "W007")),
        "{findings:?}"
    );
}
