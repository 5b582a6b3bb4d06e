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
    let (code, _, stderr) = render_with(scratch, &[], instance);
    (code, stderr)
}

/// `render ARGS --input instance.json` of an instance written to a scratch file: exit code,
/// stdout and stderr.
fn render_with(
    scratch: &Scratch,
    args: &[&std::ffi::OsStr],
    instance: &[u8],
) -> (Option<i32>, String, String) {
    let path = scratch.write("instance.json", instance);
    let output = pimrules(
        [std::ffi::OsStr::new("render")]
            .into_iter()
            .chain(args.iter().copied())
            .chain(["--input".as_ref(), path.as_os_str()]),
    );
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Assert that a run ended with exit code `exit` and wrote each of `said` on standard error.
fn assert_refused(code: Option<i32>, stderr: &str, exit: i32, said: &[&str]) {
    assert_eq!(code, Some(exit), "{stderr:.2000}");
    for text in said {
        assert!(stderr.contains(text), "{text}\n{stderr:.2000}");
    }
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
    assert_refused(
        code,
        &stderr,
        1,
        &[
            "error[E014]: the instance lists 10001 people, more than 10000",
            "instance.json:2:1",
        ],
    );
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
        let message = format!("error[E014]: `{field}` is 4097 bytes long, more than 4096");
        assert_refused(code, &stderr, 1, &[&message]);
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

/// An instance of a role assignment (`entra-pim`: its permanent owners and a policy's admin
/// row are emailed) listing `people` permanent owners; with `policy`, a policy whose rules
/// add that many addresses in all: ten in the rule of the assignment's section, the rest in a
/// rule of another section (not emailed for this event, but counted); `role` names the role.
fn crowded_instance(people: usize, policy: Option<usize>, role: &str) -> String {
    let owners: Vec<String> = (0..people)
        .map(|i| format!(r#"{{"email": "p{i}@contoso.com"}}"#))
        .collect();
    let policy = policy.map_or(String::new(), |additional| {
        let rule = |id: &str, range: std::ops::Range<usize>| {
            let addresses: Vec<String> = range.map(|i| format!(r#""x{i}@contoso.com""#)).collect();
            format!(
                r#"{{"id": "{id}", "notificationLevel": "All", "isDefaultRecipientsEnabled": true, "notificationRecipients": [{}]}}"#,
                addresses.join(", ")
            )
        };
        let applied = additional.min(10);
        format!(
            ",\n\"policy\": [{}, {}]",
            rule("Notification_Admin_Admin_Eligibility", 0..applied),
            rule("Notification_Admin_EndUser_Assignment", applied..additional)
        )
    });
    format!(
        "{{\"event\": \"role-assigned\", \"scope\": \"azure-resource\", \"role\": \"{role}\",\n\
         \"facts\": {{\"assignment\": \"eligible\", \"duration\": \"time-bound\"}},\n\
         \"people\": {{\"permanent-owner\": [{}]}}{policy}}}",
        owners.join(",")
    )
}

#[test]
fn the_people_limit_counts_the_policys_addresses() {
    let scratch = Scratch::new("instance-policy-people");
    let max = pimrules::instance::MAX_INSTANCE_PEOPLE;
    let at_limit = crowded_instance(max - 10, Some(10), "Backup Reader");
    let (code, stderr) = render(&scratch, at_limit.as_bytes());
    assert_eq!(code, Some(0), "{stderr:.2000}");
    let past = crowded_instance(max - 10, Some(11), "Backup Reader");
    let (code, stderr) = render(&scratch, past.as_bytes());
    assert_refused(
        code,
        &stderr,
        1,
        &[
            "error[E014]: the instance names 10001 addresses, more than 10000: 9990 people and 11 additional addresses of its `policy`",
            "instance.json:3:1",
        ],
    );
    // a policy alone is located at `policy`
    let (code, stderr) = render(&scratch, crowded_instance(0, Some(max), "R").as_bytes());
    assert_eq!(code, Some(0), "{stderr:.2000}");
    let (code, stderr) = render(&scratch, crowded_instance(0, Some(max + 1), "R").as_bytes());
    assert_refused(
        code,
        &stderr,
        1,
        &[
            "0 people and 10001 additional addresses of its `policy`",
            "instance.json:4:1",
        ],
    );
}

#[test]
fn the_people_limit_counts_the_role_settings_addresses() {
    let scratch = Scratch::new("settings-people");
    let settings = scratch.write(
        "settings.pimrules",
        b"settings \"Backup Reader\" for azure-role at \"/subscriptions/00000000-1111-2222-3333-444444444444\" {\n\
          eligible-assignment admin: level all, default-recipients on, additional {\"a@contoso.com\", \"b@contoso.com\"}\n\
          eligible-assignment approver: level all, default-recipients on, additional {\"c@contoso.com\"}\n}\n",
    );
    let max = pimrules::instance::MAX_INSTANCE_PEOPLE;
    let rules = [
        "--rules".as_ref(),
        "entra-pim".as_ref(),
        "--rules".as_ref(),
        settings.as_os_str(),
    ];
    let render = |instance: String| render_with(&scratch, &rules, instance.as_bytes());
    // the settings apply: their addresses are emailed (with many people, the cap drops them)
    let (code, stdout, stderr) = render(crowded_instance(1, None, "Backup Reader"));
    assert_eq!(code, Some(0), "{stderr:.2000}");
    assert!(stdout.contains("\"a@contoso.com\""), "{stdout:.2000}");
    let (code, _, stderr) = render(crowded_instance(max - 3, None, "Backup Reader"));
    assert_eq!(code, Some(0), "{stderr:.2000}");
    let (code, _, stderr) = render(crowded_instance(max - 2, None, "Backup Reader"));
    assert_refused(
        code,
        &stderr,
        1,
        &[
            "error[E014]: the instance names 10001 addresses, more than 10000: 9998 people and 3 additional addresses of the rule set's settings for `Backup Reader`",
        ],
    );
    // another role has no settings: only its people count
    let (code, _, stderr) = render(crowded_instance(max, None, "Reader"));
    assert_eq!(code, Some(0), "{stderr:.2000}");
}

/// `pimrules simulate --input events.jsonl ARGS` with `log` in that file (in a scratch folder
/// of its own): exit code, stdout, stderr.
fn simulate(args: &[&str], log: &str) -> (Option<i32>, String, String) {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let scratch = Scratch::new(&format!("simulate-{run}"));
    let path = scratch.write("events.jsonl", log.as_bytes());
    let output = pimrules(
        ["simulate", "--input", &path.display().to_string()]
            .iter()
            .map(|arg| arg.to_string())
            .chain(args.iter().map(|arg| arg.to_string())),
    );
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The latest time pimrules reads, and times one second after it: in the year 10000 by a
/// leap second or by an offset.
const LAST_SECOND: &str = "9999-12-31T23:59:59Z";
const ONE_SECOND_LATER: [&str; 2] = ["9999-12-31T23:59:60Z", "9999-12-31T23:00:00-01:00"];

#[test]
fn an_instance_at_is_read_up_to_the_last_second_of_9999() {
    let scratch = Scratch::new("instance-at");
    let instance = |at: &str| {
        format!(
            r#"{{"event": "role-assigned", "scope": "azure-resource", "at": "{at}", "assignee": {{"email": "alain@contoso.com"}}}}"#
        )
    };
    for at in [
        LAST_SECOND,
        "9999-12-31T22:59:59-01:00",
        "0000-01-01T00:00:00Z",
    ] {
        let (code, stderr) = render(&scratch, instance(at).as_bytes());
        assert_eq!(code, Some(0), "{at}: {stderr}");
    }
    let eml = ["--format".as_ref(), "eml".as_ref()];
    let (_, mbox, _) = render_with(&scratch, &eml, instance(LAST_SECOND).as_bytes());
    assert!(
        mbox.contains("Date: Fri, 31 Dec 9999 23:59:59 +0000"),
        "{mbox:.2000}"
    );
    for at in ONE_SECOND_LATER {
        let (code, stderr) = render(&scratch, instance(at).as_bytes());
        let message = format!(
            "error[E018]: `at` {at} is after 9999-12-31T23:59:59Z, the latest time pimrules reads"
        );
        assert_refused(code, &stderr, 1, &[&message, "instance.json:1:61"]);
    }
    let (code, stderr) = render(&scratch, instance("9999-12-31T23:59:59-01:00").as_bytes());
    assert_refused(code, &stderr, 1, &["is in the year 10000"]);
    let (code, stderr) = render(&scratch, instance("0000-01-01T00:59:59+01:00").as_bytes());
    assert_refused(
        code,
        &stderr,
        1,
        &["is before 0000-01-01T00:00:00Z, the earliest time pimrules reads"],
    );
}

/// An activation in `entra-role` at `at`.
fn activation(at: &str) -> String {
    format!(
        r#"{{"at": "{at}", "event": "activation-completed", "scope": "entra-role", "assignee": {{"email": "alain@contoso.com"}}}}"#
    )
}

#[test]
fn a_log_line_is_read_up_to_the_last_second_of_9999() {
    let assignment = |end: &str| {
        format!(
            r#"{{"at": "9999-12-01T00:00:00Z", "event": "role-assigned", "scope": "azure-resource", "assignment": "a-1", "end": "{end}", "facts": {{"assignment": "active", "duration": "time-bound"}}, "assignee": {{"email": "alain@contoso.com"}}, "people": {{"permanent-owner": [{{"email": "olivia@contoso.com"}}]}}}}"#
        )
    };
    let removal = |at: &str| format!(r#"{{"at": "{at}", "assignment": "a-1", "removed": true}}"#);
    // accepted: an event, an end and a removal at the last second
    let (code, stdout, stderr) = simulate(&[], &activation(LAST_SECOND));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains(r#""at":"9999-12-31T23:59:59Z","event":"activation-completed""#),
        "{stdout}"
    );
    let (code, stdout, stderr) = simulate(&[], &assignment(LAST_SECOND));
    assert_eq!(code, Some(0), "{stderr}");
    for (at, event) in [
        ("9999-12-17T23:59:59Z", "role-expiring"),
        ("9999-12-30T23:59:59Z", "role-expiring"),
        ("9999-12-31T23:59:59Z", "role-expired"),
    ] {
        assert!(
            stdout.contains(&format!(r#""at":"{at}","event":"{event}""#)),
            "{stdout}"
        );
    }
    let log = format!("{}\n{}\n", assignment(LAST_SECOND), removal(LAST_SECOND));
    let (code, stdout, stderr) = simulate(&["--reorder-window", "366d"], &log);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        !stdout.contains("role-expired"),
        "removed at its end: {stdout}"
    );
    // refused: one second later, each where it is written
    for late in ONE_SECOND_LATER {
        let error = format!("`at` {late} is after 9999-12-31T23:59:59Z");
        for (log, column) in [(activation(late), 8), (removal(late), 8)] {
            let (code, _, stderr) = simulate(&[], &log);
            let located = format!("events.jsonl:1:{column}: {error}");
            assert_refused(code, &stderr, 1, &["error[E019]: ", &located]);
        }
        let (code, _, stderr) = simulate(&[], &assignment(late));
        let located = format!("events.jsonl:1:113: `end` {late} is after 9999-12-31T23:59:59Z");
        assert_refused(code, &stderr, 1, &[&located]);
    }
}

#[test]
fn until_is_read_up_to_the_last_second_of_9999() {
    let (code, _, stderr) = simulate(&["--until", LAST_SECOND], &activation(LAST_SECOND));
    assert_eq!(code, Some(0), "{stderr}");
    for late in ONE_SECOND_LATER {
        let (code, _, stderr) = simulate(&["--until", late], &activation(LAST_SECOND));
        let message = format!(
            "`--until` {late} is after 9999-12-31T23:59:59Z, the latest time pimrules reads"
        );
        assert_refused(code, &stderr, 2, &[&message]);
    }
}

/// What would leave after 9999 — an approval email after its delay, the digest of the last
/// week, a provisioning report at the next midnight — is not sent, and a note counts it.
#[test]
fn nothing_is_sent_after_9999() {
    let pending = |at: &str, request: &str| {
        format!(
            r#"{{"at": "{at}", "event": "approval-pending", "scope": "entra-role", "request": "{request}", "facts": {{"explicit-approvers": true}}, "people": {{"approver": [{{"email": "bjorn@contoso.com"}}]}}}}"#
        )
    };
    let failure = |at: &str| {
        format!(
            r#"{{"at": "{at}", "event": "provisioning-failure", "scope": "app-provisioning", "application": "Salesforce", "people": {{"provisioning-contact": [{{"email": "it-ops@contoso.com"}}]}}}}"#
        )
    };
    let log = [
        failure("9999-12-31T10:00:00Z"),
        failure("9999-12-31T11:00:00Z"),
        pending("9999-12-31T23:54:59Z", "r-1"),
        pending("9999-12-31T23:55:00Z", "r-2"),
    ]
    .join("\n");
    let rules = ["--rules", "entra-pim", "--rules", "account-provisioning"];
    let (code, stdout, stderr) = simulate(&rules, &log);
    assert_eq!(code, Some(0), "{stderr}");
    let sent: Vec<&str> = stdout
        .lines()
        .map(|line| &line[7..line.find(r#"","to""#).unwrap_or(line.len())])
        .collect();
    assert_eq!(
        sent,
        [
            r#"9999-12-31T10:00:00Z","event":"provisioning-failure"#,
            r#"9999-12-31T23:59:59Z","event":"approval-pending"#,
        ],
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "note: 3 scheduled sends would leave after 9999-12-31T23:59:59Z, the latest time pimrules writes, and are not sent"
        ),
        "{stderr}"
    );
    // the first week of the year 0000 starts in the year before: its digest reports it from
    // 0000-01-01
    let (code, stdout, stderr) =
        simulate(&["--format", "text"], &activation("0000-01-01T00:00:00Z"));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("00:00:00  weekly-digest in entra-role (the week from 0000-01-01)"),
        "{stdout}"
    );
}

/// The shipped `entra-pim`, built.
fn entra_pim() -> pimrules::pipeline::Build {
    let source = pimrules::load::RuleSource::Shipped("entra-pim".into());
    pimrules::pipeline::build(&[source]).expect("the shipped rule set builds")
}

/// 2025-01-09T00:00:00Z: the open-state tests start here.
const T0: i64 = 1_736_380_800;

#[test]
fn the_reorder_window_holds_at_most_its_capacity() {
    use pimrules::simulate::capacity::Capacity;
    use pimrules::simulate::log::{self, LineReader, ReorderWindow};
    use pimrules::simulate::time::{DAY, rfc3339};
    assert_eq!(
        log::WINDOW_CAPACITY,
        Capacity {
            entries: 1_000_000,
            bytes: 256 << 20
        }
    );
    let build = entra_pim();
    let reader = LineReader::new(vec![&build.compiled[0].table.vocabulary]);
    let line = |number: usize, at: i64| {
        reader
            .read(number, &activation(&rfc3339(at)))
            .expect("a valid line")
    };
    let bytes = line(1, T0).bytes;
    let by_lines = Capacity {
        entries: 3,
        bytes: usize::MAX,
    };
    let by_bytes = Capacity {
        entries: usize::MAX,
        bytes: 3 * bytes,
    };
    for (capacity, full) in [
        (by_lines, "3 lines".to_owned()),
        (by_bytes, format!("{} bytes of log lines", 3 * bytes)),
    ] {
        // a window of a year holds every line of one second: three fit, a fourth does not
        let mut window = ReorderWindow::with_capacity(366 * DAY, capacity);
        for number in 1..=3 {
            assert_eq!(window.push(line(number, T0)), Ok(Vec::new()));
        }
        let error = window.push(line(4, T0)).expect_err("one line too many");
        assert_eq!(error.line, 4);
        assert_eq!(
            error.message,
            format!("the reorder window (366d) would hold more than {full} with this line")
        );
        // the refused line changed nothing; a later one that lets the three go is held
        let ready = window
            .push(line(5, T0 + 367 * DAY))
            .expect("room once they leave");
        let lines: Vec<usize> = ready.iter().map(|event| event.line).collect();
        assert_eq!(lines, [1, 2, 3]);
        let rest: Vec<usize> = window.finish().iter().map(|event| event.line).collect();
        assert_eq!(rest, [5]);
    }
}

#[test]
fn the_simulation_holds_at_most_its_capacity_open() {
    use pimrules::simulate::capacity::Capacity;
    use pimrules::simulate::log::LineReader;
    use pimrules::simulate::time::{DAY, HOUR, rfc3339};
    use pimrules::simulate::{Cause, OPEN_CAPACITY, Settings, Simulator};
    assert_eq!(
        OPEN_CAPACITY,
        Capacity {
            entries: 1_000_000,
            bytes: 256 << 20
        }
    );
    let build = entra_pim();
    let reader = LineReader::new(vec![&build.compiled[0].table.vocabulary]);
    let assigned = |id: &str, at: i64, end: i64| {
        format!(
            r#"{{"at": "{}", "event": "role-assigned", "scope": "azure-resource", "assignment": "{id}", "end": "{}", "facts": {{"assignment": "active", "duration": "time-bound"}}, "assignee": {{"email": "alain@contoso.com"}}}}"#,
            rfc3339(at),
            rfc3339(end)
        )
    };
    let approval = |event: &str, at: i64| {
        format!(
            r#"{{"at": "{}", "event": "{event}", "scope": "entra-role", "request": "r-1", "assignee": {{"email": "alain@contoso.com"}}}}"#,
            rfc3339(at)
        )
    };
    let removal = |id: &str, at: i64| {
        format!(
            r#"{{"at": "{}", "assignment": "{id}", "removed": true}}"#,
            rfc3339(at)
        )
    };
    let delay = 300;
    let log = [
        assigned("a-1", T0, T0 + 10 * DAY),
        assigned("a-2", T0, T0 + DAY),
        // refused: a third assignment
        assigned("a-3", T0, T0 + DAY),
        // a new end for a-1 holds nothing more
        assigned("a-1", T0 + HOUR, T0 + 20 * DAY),
        // refused: a waiting approval email
        approval("approval-pending", T0 + 2 * HOUR),
        // a-2 has ended: room for the pending email
        approval("approval-pending", T0 + DAY + 1),
        // refused while it waits; accepted once it has left
        approval("request-approved", T0 + DAY + 2),
        approval("request-approved", T0 + DAY + 2 + delay),
        // a removal makes room
        removal("a-1", T0 + 2 * DAY),
        assigned("a-3", T0 + 2 * DAY, T0 + 3 * DAY),
    ];
    let capacity = Capacity {
        entries: 2,
        bytes: usize::MAX,
    };
    let settings = Settings {
        approval_delay: delay,
        ..Settings::default()
    };
    let mut simulator = Simulator::with_capacity(settings.clone(), capacity);
    let mut sent = Vec::new();
    let mut refused = Vec::new();
    for (index, text) in log.iter().enumerate() {
        let event = reader.read(index + 1, text).expect("a valid line");
        if let Err(error) = simulator.feed(event, &mut sent) {
            assert_eq!(
                error.message,
                "with this line the simulation would hold more than 2 assignments and approval emails open at once"
            );
            refused.push(error.line);
        }
    }
    simulator.finish(&mut sent);
    assert_eq!(refused, [3, 5, 7]);
    let logged: Vec<usize> = sent
        .iter()
        .filter_map(|dispatch| match dispatch.cause {
            Cause::Logged { line }
            | Cause::PendingApproval { line, .. }
            | Cause::Approved { line, .. } => Some(line),
            _ => None,
        })
        .collect();
    assert_eq!(logged, [1, 2, 4, 6, 8, 10], "a refused line sends nothing");
    // the same by bytes: two lines' worth fit, a third does not
    let bytes = |text: &str| reader.read(1, text).expect("a valid line").bytes;
    let capacity = Capacity {
        entries: usize::MAX,
        bytes: bytes(&log[0]) + bytes(&log[1]),
    };
    let mut simulator = Simulator::with_capacity(settings, capacity);
    for (index, text) in log[..3].iter().enumerate() {
        let event = reader.read(index + 1, text).expect("a valid line");
        let fed = simulator.feed(event, &mut sent);
        if index < 2 {
            assert_eq!(fed, Ok(()));
        } else {
            let error = fed.expect_err("a third line's bytes");
            assert_eq!(
                error.message,
                format!(
                    "with this line the simulation would hold more than {} bytes of log lines open at once",
                    capacity.bytes
                )
            );
        }
    }
}
