//! Every email the shipped rule sets can send, snapshotted and parsed back with `mail-parser`;
//! and the recipient cap, `--out-dir`, catalogues on disk and header injection, end to end.
//!
//! The emails are found by walking each compiled decision table (every scope, event and
//! recipient class a row can notify) and rendered in every locale; Date, Message-ID and the
//! boundary are redacted in the snapshots.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

mod support;

use mail_parser::{Message, MessageParser, MimeHeaders};
use pimrules::instance::Instance;
use pimrules::load::RuleSource;
use pimrules::render::locale::Catalogues;
use pimrules::render::{self, mime};
use pimrules::ruleset::{ClassId, EventId, FactValues, ScopeId, Sender};
use pimrules::table::DecisionTable;
use pimrules::{pipeline, shipped};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::snapshot;

/// 2025-01-07T09:30:00Z, the date of every walked email
const SENT_AT: i64 = 1_736_242_200;

/// One rendered email of the walk, with what it must say.
struct Case {
    /// `email__<rule set>__<scope>__<event>__<class>__<locale>`
    name: String,
    eml: Vec<u8>,
    sender: Sender,
    to: String,
    subject: String,
}

/// The instance that makes `class` hear of (scope, event) under `facts`: one person in the
/// class (the assignee for `assignee`), plus what the wording needs.
fn instance_for(
    table: &DecisionTable,
    scope: ScopeId,
    event: EventId,
    class: ClassId,
    facts: &FactValues,
) -> Value {
    let v = &table.vocabulary;
    let facts: serde_json::Map<String, Value> = v
        .facts
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                f.name.clone(),
                json!(f.value_name(facts.get(pimrules::ruleset::FactId(i)))),
            )
        })
        .collect();
    let class_name = v.class_name(class);
    let mut instance = json!({
        "event": v.event_name(event),
        "scope": v.scope_name(scope),
        "facts": facts,
        "organization": "Contoso",
        "people": {},
    });
    if v.header.name == "account-provisioning" {
        instance["application"] = json!("Salesforce");
    } else {
        instance["role"] = json!("Backup Reader");
        instance["assignee"] = json!({"name": "Alain Charon", "email": "alain@contoso.com"});
    }
    if class_name != "assignee" {
        instance["people"][class_name] =
            json!([{"name": "Robin Recipient", "email": "robin@contoso.com"}]);
    }
    instance
}

/// Facts inside a row's cube: each fact's default when the cube allows it, else its first value.
fn facts_in(cube: &pimrules::table::Cube, table: &DecisionTable) -> FactValues {
    let mut facts = FactValues::defaults(&table.vocabulary);
    for (i, mask) in cube.masks.iter().enumerate() {
        let fact = pimrules::ruleset::FactId(i);
        if mask >> facts.get(fact) & 1 == 0 {
            facts.set(fact, mask.trailing_zeros() as usize);
        }
    }
    facts
}

/// Every (rule set, scope, event, recipient class, locale) the shipped tables can produce,
/// rendered for one recipient of that class, once per run.
fn every_email() -> &'static [Case] {
    static CASES: std::sync::OnceLock<Vec<Case>> = std::sync::OnceLock::new();
    CASES.get_or_init(walk)
}

fn walk() -> Vec<Case> {
    let mut cases = Vec::new();
    for rule_set in shipped::RULE_SETS {
        let mut build =
            pipeline::build(&[RuleSource::Shipped(rule_set.to_string())]).expect("ships");
        let compiled = build.compiled[0].clone();
        let (catalogues, problems) = Catalogues::load_checked(&mut build.loaded, &compiled);
        assert!(problems.is_empty(), "{rule_set}: {problems:?}");
        let table = &compiled.table;
        let v = &table.vocabulary;
        let mut seen = BTreeSet::new();
        for (scope, event, cell) in table.cells() {
            for row in &cell.rows {
                for class in row.classes.iter() {
                    if !seen.insert((scope, event, class)) {
                        continue;
                    }
                    let facts = facts_in(&row.cube, table);
                    let text = instance_for(table, scope, event, class, &facts).to_string();
                    let instance = Instance::from_json(&text).expect("valid instance");
                    for locale in catalogues.tags() {
                        let catalogue = catalogues.locale(locale).expect("listed");
                        let rendering =
                            render::render(table, catalogue, &instance, SENT_AT).expect("renders");
                        let email = rendering
                            .emails
                            .iter()
                            .find(|e| e.recipient.classes.contains(&class))
                            .unwrap_or_else(|| {
                                panic!(
                                    "{rule_set} {} {} reaches no {}",
                                    v.scope_name(scope),
                                    v.event_name(event),
                                    v.class_name(class)
                                )
                            });
                        cases.push(Case {
                            name: format!(
                                "email__{rule_set}__{}__{}__{}__{locale}",
                                v.scope_name(scope),
                                v.event_name(event),
                                v.class_name(class)
                            ),
                            eml: mime::eml(&rendering, email),
                            sender: rendering.sender.clone(),
                            to: email.recipient.address.clone(),
                            subject: email.body.content.subject.clone(),
                        });
                    }
                }
            }
        }
    }
    cases
}

fn parse(eml: &[u8]) -> Message<'_> {
    MessageParser::default()
        .parse(eml)
        .expect("mail-parser reads the message")
}

/// The header block with CRLF as LF and what changes between runs redacted.
fn readable_headers(eml: &[u8]) -> String {
    let text = String::from_utf8_lossy(eml);
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    head.split("\r\n")
        .map(|line| {
            if line.starts_with("Date: ") {
                "Date: [date]".to_owned()
            } else if line.starts_with("Message-ID: ") {
                "Message-ID: [message-id]".to_owned()
            } else if let Some(at) = line.find("boundary=") {
                format!("{}boundary=\"[boundary]\"", &line[..at])
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_email_of_the_shipped_rules_is_snapshotted() {
    let cases = every_email();
    assert!(
        cases.len() > 150,
        "the walk found only {} emails",
        cases.len()
    );
    for case in cases {
        let message = parse(&case.eml);
        let text = format!(
            "{}\n--- subject, decoded\n{}\n--- text/plain\n{}--- text/html\n{}",
            readable_headers(&case.eml),
            message.subject().unwrap_or_default(),
            message.body_text(0).unwrap_or_default(),
            message.body_html(0).unwrap_or_default(),
        );
        snapshot(&case.name, &text);
    }
}

/// No stale email snapshot: each `snapshots/email__*.snap` is of an email this run's walk
/// renders (`cli.rs` checks the others).
#[test]
fn every_email_snapshot_is_of_a_walked_email() {
    let walked: BTreeSet<&str> = every_email().iter().map(|c| c.name.as_str()).collect();
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let mut stale: Vec<String> = std::fs::read_dir(&snapshots)
        .expect("snapshots/ exists")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|file| Some(file.strip_suffix(".snap")?.to_owned()))
        .filter(|name| name.starts_with("email__") && !walked.contains(name.as_str()))
        .collect();
    stale.sort();
    assert!(
        stale.is_empty(),
        "snapshots of no email the rules send: {stale:?}"
    );
}

#[test]
fn every_email_is_well_formed_mime() {
    for case in every_email() {
        let message = parse(&case.eml);
        let name = &case.name;
        let from = message.from().and_then(|f| f.first()).expect("From");
        assert_eq!(
            from.name(),
            Some(case.sender.display_name.as_str()),
            "{name}"
        );
        assert_eq!(from.address(), Some(case.sender.address.as_str()), "{name}");
        let to = message.to().and_then(|t| t.first()).expect("To");
        assert_eq!(to.address(), Some(case.to.as_str()), "{name}");
        assert_eq!(message.subject(), Some(case.subject.as_str()), "{name}");
        let root = message.root_part().content_type().expect("Content-Type");
        assert_eq!(
            (root.ctype(), root.subtype()),
            ("multipart", Some("alternative")),
            "{name}"
        );
        assert_eq!(
            (message.text_body_count(), message.html_body_count()),
            (1, 1),
            "{name}"
        );
        let kinds: Vec<(String, String)> = message.parts[1..]
            .iter()
            .filter_map(|p| p.content_type())
            .map(|c| {
                (
                    c.ctype().to_owned(),
                    c.subtype().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("text".into(), "plain".into()),
                ("text".into(), "html".into())
            ],
            "{name}"
        );
        assert!(
            message.date().is_some_and(|d| d.to_timestamp() == SENT_AT),
            "{name}"
        );
        assert!(
            message
                .message_id()
                .is_some_and(|id| id.ends_with("@microsoft.com")),
            "{name}"
        );
        assert!(case.eml.is_ascii(), "{name}: 8-bit bytes in the message");
        assert!(
            case.eml
                .split(|b| *b == b'\n')
                .all(|line| line.len() <= 998),
            "{name}: a line longer than RFC 5322 allows"
        );
    }
}

#[test]
fn swedish_subjects_decode_with_their_characters() {
    let cases = every_email();
    let case = cases
        .iter()
        .find(|c| c.name == "email__entra-pim__azure-resource__role-assigned__permanent-owner__sv")
        .expect("walked");
    let message = parse(&case.eml);
    assert_eq!(
        message.subject(),
        Some("PIM: Alain Charon blev permanent berättigad till rollen Backup Reader")
    );
    assert!(String::from_utf8_lossy(&case.eml).contains("Subject: =?utf-8?"));
    assert!(
        message
            .body_text(0)
            .is_some_and(|t| t.contains("Ägare (permanent)"))
    );
}

/// Run the binary with `stdin`; its exit code and standard output.
fn run(args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_pimrules"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(mut input) = child.stdin.take() {
        // a run that fails before reading closes the pipe: its output says what happened
        let _ = input.write_all(stdin.as_bytes());
    }
    let output = child.wait_with_output().expect("ends");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn at_most_1000_recipients_and_the_rest_counted_as_dropped() {
    let owners: Vec<Value> = (0..1200)
        .map(|i| json!({"name": format!("Owner {i}"), "email": format!("owner{i}@contoso.com")}))
        .collect();
    let instance = json!({
        "event": "role-assigned", "scope": "azure-resource", "role": "Backup Reader",
        "assignee": {"name": "Alain Charon", "email": "alain@contoso.com"},
        "people": {"permanent-owner": owners},
    });
    let (code, stdout, stderr) = run(&["render", "--input", "-"], &instance.to_string());
    assert_eq!(code, Some(0), "{stderr}");
    let summary: Value = serde_json::from_str(&stdout).expect("JSON");
    let messages = summary["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 1000);
    // owners come before the assignee (class declaration order), so the assignee is cut too
    assert_eq!(summary["dropped"], 201);
    assert_eq!(messages[0]["to"], "owner0@contoso.com");
    assert_eq!(messages[999]["to"], "owner999@contoso.com");
    // a rule set without a cap emails everyone
    let (code, stdout, _) = run(
        &["render", "--rules", "entra-pim-2018", "--input", "-"],
        &json!({"event": "role-assigned", "scope": "entra-role",
                "people": {"security-administrator": (0..1200)
                    .map(|i| json!({"email": format!("s{i}@contoso.com")}))
                    .collect::<Vec<_>>()}})
        .to_string(),
    );
    assert_eq!(code, Some(0));
    let summary: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(summary["messages"].as_array().map(Vec::len), Some(1200));
    assert_eq!(summary["dropped"], 0);
}

/// A fresh folder under the system temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("pimrules-render-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn corpus(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/inputs/render")
        .join(file);
    path.display().to_string()
}

#[test]
fn out_dir_holds_one_file_per_message_and_an_index_page() {
    let scratch = Scratch::new("out");
    let out = scratch.0.join("emails");
    let out_arg = out.display().to_string();
    let input = corpus("approval.json");
    let (code, stdout, stderr) = run(
        &[
            "render",
            "--input",
            &input,
            "--format",
            "eml",
            "--locale",
            "sv",
            "--out-dir",
            &out_arg,
        ],
        "",
    );
    assert_eq!(code, Some(0), "{stderr}");
    let written: Vec<&str> = stdout.lines().collect();
    assert_eq!(written.len(), 2, "{stdout}");
    let first = std::fs::read(out.join("0001-asa@contoso.com.eml")).expect("written");
    let message = parse(&first);
    assert_eq!(
        message.to().and_then(|t| t.first()).and_then(|a| a.name()),
        Some("Åsa Lindström")
    );
    assert!(out.join("0002-bjorn@contoso.com.eml").is_file());

    let (code, _, stderr) = run(
        &[
            "render",
            "--input",
            &input,
            "--format",
            "html",
            "--out-dir",
            &out_arg,
        ],
        "",
    );
    assert_eq!(code, Some(0), "{stderr}");
    let index = std::fs::read_to_string(out.join("index.html")).expect("index");
    assert!(
        index.contains("src=\"0001-asa@contoso.com.html\""),
        "{index}"
    );
    assert!(index.contains("src=\"0002-bjorn@contoso.com.html\""));
    let body = std::fs::read_to_string(out.join("0002-bjorn@contoso.com.html")).expect("html");
    assert!(body.contains(">Approve or deny request</a>"));
    let (code, stdout, stderr) = run(
        &[
            "render",
            "--input",
            &input,
            "--format",
            "json",
            "--out-dir",
            &out_arg,
        ],
        "",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("0001-asa@contoso.com.json")).expect("json"),
    )
    .expect("JSON");
    assert_eq!(summary["recipient"], "privileged-role-administrator");
    assert_eq!(summary["to"], "asa@contoso.com");
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn the_mbox_on_standard_output_holds_every_message() {
    let (code, stdout, _) = run(
        &[
            "render",
            "--input",
            &corpus("approval.json"),
            "--format",
            "eml",
        ],
        "",
    );
    assert_eq!(code, Some(0));
    let messages: Vec<_> = mail_parser::mailbox::mbox::MessageIterator::new(stdout.as_bytes())
        .map(|m| m.expect("mbox entry"))
        .collect();
    assert_eq!(messages.len(), 2);
    for entry in &messages {
        let message = parse(entry.contents());
        assert!(
            message
                .subject()
                .is_some_and(|s| s.starts_with("PIM: Alain Charon requests approval"))
        );
    }
}

#[test]
fn names_and_roles_never_make_a_header() {
    let (code, stdout, stderr) = run(
        &[
            "render",
            "--input",
            &corpus("header-injection.json"),
            "--format",
            "eml",
        ],
        "",
    );
    assert_eq!(code, Some(0), "{stderr}");
    let entries: Vec<_> = mail_parser::mailbox::mbox::MessageIterator::new(stdout.as_bytes())
        .map(|m| m.expect("mbox entry"))
        .collect();
    assert_eq!(entries.len(), 1);
    let message = parse(entries[0].contents());
    let names: BTreeSet<String> = message
        .headers()
        .iter()
        .map(|h| h.name().to_owned())
        .collect();
    let expected: BTreeSet<String> = [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "Content-Language",
        "Auto-Submitted",
        "MIME-Version",
        "Content-Type",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(names, expected);
    assert!(message.header("Bcc").is_none());
    assert_eq!(
        message.subject(),
        Some(
            "PIM: Eve Subject: you have been hacked fake body was permanently assigned the Backup Reader Bcc: mallory@evil.example role"
        )
    );
    assert_eq!(
        message.to().and_then(|t| t.first()).and_then(|a| a.name()),
        Some("Eve Subject: you have been hacked fake body")
    );
}

/// Every bidi control and invisible mark `pimrules::neutral` knows.
const MARKS: &str = concat!(
    "\u{200e}\u{200f}\u{61c}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}",
    "\u{ad}\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}"
);

/// Whether `text` holds a bidi control or an invisible mark.
fn marked(text: &str) -> bool {
    text.chars()
        .any(|c| pimrules::neutral::is_bidi(c) || pimrules::neutral::is_invisible(c))
}

#[test]
fn no_bidi_control_or_invisible_mark_reaches_a_header() {
    assert!(MARKS.chars().all(|c| marked(&c.to_string())));
    let with_marks = |text: &str| text.replace(' ', &format!("{MARKS} {MARKS}")) + MARKS;
    let instance = |name: &str, role: &str| {
        assignment(role, json!({"name": name, "email": "alain@contoso.com"}))
    };
    let plain = render_entra_pim(&instance("Alain Charon", "Backup Reader"));
    let mut rendering = render_entra_pim(&instance(
        &format!("{MARKS}{}", with_marks("Alain Charon")),
        &with_marks("Backup Reader"),
    ));
    rendering.sender.display_name = with_marks("Microsoft Security");
    assert_eq!(rendering.emails.len(), 2);
    for (email, plain) in rendering.emails.iter().zip(&plain.emails) {
        let to = &email.recipient.address;
        let eml = mime::eml(&rendering, email);
        let message = parse(&eml);
        let from = message.from().and_then(|f| f.first()).expect("From");
        assert_eq!(from.name(), Some("Microsoft Security"), "{to}");
        let recipient = message.to().and_then(|t| t.first()).expect("To");
        let subject = message.subject().expect("Subject");
        for text in [recipient.name().unwrap_or_default(), subject] {
            assert!(!marked(text), "{to}: {text:?}");
        }
        assert_eq!(subject, plain.body.content.subject, "{to}");
        assert!(subject.contains("Alain Charon") && subject.contains("Backup Reader"));
        if to == "alain@contoso.com" {
            assert_eq!(recipient.name(), Some("Alain Charon"));
        }
        // nor a body: the names are cleaned when the instance is read
        for body in [message.body_text(0), message.body_html(0)] {
            let body = body.expect("a body");
            assert!(!marked(&body), "{to}: {body}");
            assert!(body.contains("Alain Charon"), "{to}");
        }
    }
}

#[test]
fn a_byte_order_mark_before_the_instance_changes_nothing() {
    let instance = std::fs::read_to_string(corpus("spec-example.json")).expect("the instance");
    let plain = run(&["render", "--input", "-"], &instance);
    let with_bom = run(&["render", "--input", "-"], &format!("\u{feff}{instance}"));
    assert_eq!(plain.0, Some(0), "{}", plain.2);
    assert_eq!(with_bom, plain);
    // an error after it is where an editor shows it
    let (code, _, stderr) = run(&["render", "--input", "-"], "\u{feff}{\"event\": 3}");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("<stdin>:1:11"), "{stderr}");
}

#[test]
fn catalogues_next_to_a_rule_set_override_the_shipped_wording() {
    let scratch = Scratch::new("catalogues");
    let rules = scratch.0.join("contoso.pimrules");
    std::fs::write(
        &rules,
        "ruleset \"contoso\" version \"1\"\nsender \"Contoso IT\" <it@contoso.com>\n\
         subject-prefix \"[IT] \"\nmax-recipients 5\nscope tenant \"The tenant\"\n\
         recipient assignee \"Employee\"\nevent role-assigned \"A role is assigned\"\n\
         template role-assigned \"A role is assigned\"\n\
         rule tell { on role-assigned in tenant notify assignee }\n",
    )
    .expect("rules");
    for (locale, text) in [
        (
            "sv",
            "role-assigned = { $assignee } fick rollen { $role }\n",
        ),
        ("old copy", "role-assigned = x\n"),
    ] {
        let folder = scratch.0.join("locales").join(locale);
        std::fs::create_dir_all(&folder).expect("locale folder");
        std::fs::write(folder.join("pim.ftl"), text).expect("catalogue");
    }
    // a rule-set-specific file beats the shared one
    std::fs::write(
        scratch.0.join("locales/sv/contoso.ftl"),
        "email-subject = { $prefix }{ $title }!\n",
    )
    .expect("override");
    let input = json!({"event": "role-assigned", "scope": "tenant", "role": "Wiki Editor",
                       "assignee": {"name": "Åke", "email": "ake@contoso.com"}})
    .to_string();
    let rules_arg = rules.display().to_string();
    let (code, stdout, stderr) = run(
        &[
            "render", "--rules", &rules_arg, "--input", "-", "--locale", "sv",
        ],
        &input,
    );
    assert_eq!(
        code,
        Some(1),
        "a locale folder that is no language tag is an error: {stdout}"
    );
    assert!(
        stderr.contains("locale folder `old copy` is not a language tag"),
        "{stderr}"
    );
    std::fs::remove_dir_all(scratch.0.join("locales/old copy")).expect("remove");
    let (code, stdout, stderr) = run(
        &[
            "render", "--rules", &rules_arg, "--input", "-", "--locale", "sv",
        ],
        &input,
    );
    assert_eq!(code, Some(0), "{stderr}");
    let summary: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        summary["messages"][0]["subject"],
        "[IT] Åke fick rollen Wiki Editor!"
    );
    // English comes from the shipped catalogue
    let (_, stdout, _) = run(&["render", "--rules", &rules_arg, "--input", "-"], &input);
    let summary: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        summary["messages"][0]["subject"],
        "[IT] Åke was assigned the Wiki Editor role"
    );
}

/// `instance` rendered by the shipped `entra-pim` rules in English, dated [`SENT_AT`].
fn render_entra_pim(instance: &Value) -> render::Rendering {
    let mut build = pipeline::build(&[RuleSource::Shipped("entra-pim".to_owned())]).expect("ships");
    let compiled = build.compiled[0].clone();
    let (catalogues, problems) = Catalogues::load_checked(&mut build.loaded, &compiled);
    assert!(problems.is_empty(), "{problems:?}");
    let catalogue = catalogues.locale("en").expect("English");
    let instance = Instance::from_json(&instance.to_string()).expect("valid instance");
    render::render(&compiled.table, catalogue, &instance, SENT_AT).expect("renders")
}

/// A permanent assignment of `role` to `assignee`, told to one permanent owner (robin).
fn assignment(role: &str, assignee: Value) -> Value {
    json!({
        "event": "role-assigned", "scope": "azure-resource", "role": role,
        "at": "2025-01-07T09:30:00Z", "assignee": assignee,
        "people": {"permanent-owner": [{"name": "Robin Recipient", "email": "robin@contoso.com"}]},
    })
}

/// The Message-ID of the email to `address`.
fn message_id_to(rendering: &render::Rendering, address: &str) -> String {
    rendering
        .emails
        .iter()
        .find(|e| e.recipient.address == address)
        .map(|e| e.message_id.clone())
        .unwrap_or_else(|| panic!("no email to {address}"))
}

#[test]
fn message_ids_differ_when_only_the_assignee_differs() {
    let alain = json!({"name": "Alain Charon", "email": "alain@contoso.com"});
    let robin_hears = |assignee: Value| {
        message_id_to(
            &render_entra_pim(&assignment("Backup Reader", assignee)),
            "robin@contoso.com",
        )
    };
    let first = robin_hears(alain);
    for other in [
        json!({"name": "Bea Berg", "email": "bea@contoso.com"}),
        json!({"name": "Bea Berg", "email": "alain@contoso.com"}),
        json!({"name": "Alain Charon", "email": "alain.charon@contoso.com"}),
    ] {
        assert_ne!(robin_hears(other.clone()), first, "assignee {other}");
    }
}

#[test]
fn message_ids_differ_when_only_the_role_differs() {
    let alain = json!({"name": "Alain Charon", "email": "alain@contoso.com"});
    let reader = render_entra_pim(&assignment("Backup Reader", alain.clone()));
    let contributor = render_entra_pim(&assignment("Contributor", alain));
    for address in ["robin@contoso.com", "alain@contoso.com"] {
        assert_ne!(
            message_id_to(&reader, address),
            message_id_to(&contributor, address),
            "{address}"
        );
    }
}

#[test]
fn message_ids_are_reproducible_and_distinct_within_a_rendering() {
    let owners: Vec<Value> = (0..5)
        .map(|i| json!({"name": "Owner", "email": format!("owner{i}@contoso.com")}))
        .collect();
    let instance = json!({
        "event": "role-assigned", "scope": "azure-resource", "role": "Backup Reader",
        "at": "2025-01-07T09:30:00Z",
        "assignee": {"name": "Alain Charon", "email": "alain@contoso.com"},
        "people": {"permanent-owner": owners,
                   "eligible-owner": [{"name": "Owner", "email": "owner5@contoso.com"}]},
    });
    let ids = |rendering: &render::Rendering| -> Vec<String> {
        rendering
            .emails
            .iter()
            .map(|e| e.message_id.clone())
            .collect()
    };
    let first = ids(&render_entra_pim(&instance));
    assert_eq!(first.len(), 7, "{first:?}");
    assert_eq!(ids(&render_entra_pim(&instance)), first, "reproducible");
    let distinct: BTreeSet<&String> = first.iter().collect();
    assert_eq!(distinct.len(), first.len(), "{first:?}");
    // the hashes differ too, not only the numbers after them
    let hashes: BTreeSet<&str> = first
        .iter()
        .map(|id| id.split('.').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(hashes.len(), first.len(), "{first:?}");
    for id in &first {
        let (left, domain) = id.split_once('@').expect("an @");
        assert_eq!(domain, "microsoft.com");
        let parts: Vec<&str> = left.split('.').collect();
        assert!(
            matches!(parts.as_slice(), ["pimrules", hash, n]
                if hash.len() == 32
                    && hash.bytes().all(|b| b.is_ascii_hexdigit())
                    && n.parse::<usize>().is_ok()),
            "{id}"
        );
    }
}

/// An assignee name written as an RFC 2047 encoded-word that decodes to another address.
const SPOOFED_ASSIGNEE: &str = "=?utf-8?q?Alain=20Charon=20=3Cceo=40contoso.com=3E?=";
/// A recipient name in "B" encoding: it decodes to `CEO <ceo@contoso.com>`.
const SPOOFED_OWNER: &str = "=?UTF-8?B?Q0VPIDxjZW9AY29udG9zby5jb20+?=";
/// A sender name in encoded-word form, with non-ASCII around it.
const SPOOFED_SENDER: &str = "Säkerhet =?utf-8?q?security=40microsoft.com?= (PIM)";

/// The header block of a message, CRLF line ends kept.
fn header_block(eml: &[u8]) -> String {
    let text = String::from_utf8_lossy(eml);
    text.split("\r\n\r\n").next().unwrap_or_default().to_owned()
}

/// Every `=?` in `headers` starts a "B" encoded-word, `=?utf-8?B?<base64>?=`, on a line of
/// at most 76 characters (RFC 2047 §2).
fn only_b_words(headers: &str) -> Result<(), String> {
    for line in headers.split("\r\n") {
        if line.contains("=?") && line.len() > 76 {
            return Err(format!("a line of {} characters: {line:?}", line.len()));
        }
    }
    let mut rest = headers;
    while let Some(at) = rest.find("=?") {
        let word = rest[at..]
            .strip_prefix("=?utf-8?B?")
            .and_then(|word| word.split_once("?="));
        let Some((payload, after)) = word else {
            return Err(format!("not an encoded-word at {:?}", &rest[at..]));
        };
        if !payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        {
            return Err(format!("not base64: {payload:?}"));
        }
        rest = after;
    }
    Ok(())
}

#[test]
fn names_that_look_like_encoded_words_are_shown_as_written() {
    let instance = json!({
        "event": "role-assigned", "scope": "azure-resource", "role": "Backup Reader",
        "at": "2025-01-07T09:30:00Z",
        "assignee": {"name": SPOOFED_ASSIGNEE, "email": "alain@contoso.com"},
        "people": {"permanent-owner": [{"name": SPOOFED_OWNER, "email": "robin@contoso.com"}]},
    });
    let mut rendering = render_entra_pim(&instance);
    rendering.sender.display_name = SPOOFED_SENDER.to_owned();
    assert_eq!(rendering.emails.len(), 2);
    for email in &rendering.emails {
        let eml = mime::eml(&rendering, email);
        let headers = header_block(&eml);
        let to = &email.recipient.address;
        for spoof in [
            SPOOFED_ASSIGNEE,
            SPOOFED_OWNER,
            SPOOFED_SENDER,
            "=?utf-8?q?",
        ] {
            assert!(!headers.contains(spoof), "{to}: {spoof} raw in\n{headers}");
        }
        if let Err(problem) = only_b_words(&headers) {
            panic!("{to}: {problem}\n{headers}");
        }
        assert!(eml.is_ascii(), "{to}");
        let message = parse(&eml);
        let from = message.from().and_then(|f| f.first()).expect("From");
        assert_eq!(from.name(), Some(SPOOFED_SENDER), "{to}");
        assert_eq!(from.address(), Some("MSSecurity-noreply@microsoft.com"));
        let recipient = message.to().and_then(|t| t.first()).expect("To");
        assert_eq!(recipient.name(), email.recipient.name.as_deref(), "{to}");
        assert_eq!(recipient.address(), Some(to.as_str()));
        let subject = message.subject().expect("Subject");
        assert_eq!(subject, email.body.content.subject, "{to}");
        assert!(subject.contains(SPOOFED_ASSIGNEE), "{to}: {subject}");
    }
    let names: Vec<Option<&str>> = rendering
        .emails
        .iter()
        .map(|e| e.recipient.name.as_deref())
        .collect();
    assert_eq!(names, [Some(SPOOFED_OWNER), Some(SPOOFED_ASSIGNEE)]);
}

/// The rule set of the catalogue tests below: one scope, class, event, fact and template.
const WELCOME_RULES: &str = "ruleset \"welcome-kit\" version \"1\"\n\
     sender \"Contoso IT\" <it@contoso.com>\nsubject-prefix \"IT: \"\nmax-recipients 5\n\
     scope tenant \"The tenant\"\nrecipient assignee \"New employee\"\n\
     event role-assigned \"A role is assigned\"\nfact site: hq | branch = hq\n\
     template welcome \"Welcome aboard\"\n\
     rule greet { on role-assigned in tenant notify assignee template welcome }\n";

/// A scratch folder holding `rules.pimrules` ([`WELCOME_RULES`]), `catalogue` as
/// `locales/en/pim.ftl`, and a Swedish `welcome` (the shipped Swedish catalogue has none).
fn welcome_kit(name: &str, catalogue: &str) -> (Scratch, PathBuf) {
    let scratch = Scratch::new(name);
    let rules = scratch.0.join("rules.pimrules");
    std::fs::write(&rules, WELCOME_RULES).expect("rules");
    for (locale, text) in [("en", catalogue), ("sv", "welcome = Välkommen\n")] {
        let folder = scratch.0.join("locales").join(locale);
        std::fs::create_dir_all(&folder).expect("locale folder");
        std::fs::write(folder.join("pim.ftl"), text).expect("catalogue");
    }
    (scratch, rules)
}

#[test]
fn the_shipped_wording_serves_a_rule_set_without_its_facts() {
    // every shipped rule set's catalogues check clean (see `every_email`); the shipped wording
    // also serves a rule set of the same templates without a single fact: it only selects on
    // facts (a selector on a variable never given picks the default variant), never writes one
    let mut templates = BTreeSet::new();
    for rule_set in shipped::RULE_SETS {
        let build = pipeline::build(&[RuleSource::Shipped(rule_set.to_string())]).expect("ships");
        let v = &build.compiled[0].table.vocabulary;
        templates.extend(v.templates.iter().map(|t| t.name.clone()));
    }
    let declared: String = templates
        .iter()
        .map(|t| format!("template {t} \"{t}\"\n"))
        .collect();
    let text = format!(
        "{}{declared}rule tell {{ on role-assigned in tenant notify assignee }}\n",
        WELCOME_RULES
            .replace("fact site: hq | branch = hq\n", "")
            .replace(
                "rule greet { on role-assigned in tenant notify assignee template welcome }\n",
                ""
            )
    );
    let mut build = pipeline::build_text("factless.pimrules", &text);
    assert_eq!(build.compiled.len(), 1, "{text}");
    let compiled = build.compiled[0].clone();
    assert!(compiled.table.vocabulary.facts.is_empty());
    let (catalogues, problems) = Catalogues::load_checked(&mut build.loaded, &compiled);
    let problems: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
    // only the template this test adds has no shipped wording
    assert_eq!(
        problems,
        ["template `welcome` has no message in locales `en` and `sv`",],
        "{text}"
    );
    assert_eq!(catalogues.tags(), ["en", "sv"]);
}

#[test]
fn every_variable_the_check_allows_is_set_when_the_message_is_formatted() {
    use pimrules::render::messages::variables;
    let (_scratch, rules) = welcome_kit("variables", "");
    let mut build = pipeline::build(&[RuleSource::Path(rules.clone())]).expect("builds");
    let compiled = build.compiled[0].clone();
    let v = &compiled.table.vocabulary;
    // each message writes every variable it is given, as `name=<value>`
    let all = |id: &str, attribute: Option<&str>| -> String {
        let given = variables(v, id, attribute).expect("formatted by the renderer");
        given
            .iter()
            .map(|variable| format!("{0}=<{{ ${0} }}>", variable.name()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let catalogue = format!(
        "welcome = {}\n    .summary = {}\n    .action = {}\n    .link = https://example.com/?{}\n\
         email-subject = {}\nemail-because = {}\nemail-missing = {}\nemail-footer = {}\n\
         scope-tenant = Tenant\nclass-assignee = Employee\n",
        all("welcome", None),
        all("welcome", Some("summary")),
        all("welcome", Some("action")),
        all("welcome", Some("link")),
        all("email-subject", None),
        all("email-because", None),
        all("email-missing", None),
        all("email-footer", None),
    );
    std::fs::write(rules.with_file_name("locales/en/pim.ftl"), &catalogue).expect("catalogue");
    let (catalogues, problems) = Catalogues::load_checked(&mut build.loaded, &compiled);
    assert!(problems.is_empty(), "{problems:#?}");
    let instance = json!({"event": "role-assigned", "scope": "tenant", "role": "Wiki Editor",
                          "assignee": {"name": "Åke", "email": "ake@contoso.com"}});
    let instance = Instance::from_json(&instance.to_string()).expect("valid instance");
    let catalogue = catalogues.locale("en").expect("English");
    let rendering =
        render::render(&compiled.table, catalogue, &instance, SENT_AT).expect("renders");
    let content = &rendering.emails[0].body.content;
    let action = content.action.as_ref().expect("an action");
    let summary = content.summary.as_deref().unwrap_or_default();
    for text in [
        &content.subject,
        &content.title,
        summary,
        &action.label,
        &action.url,
        &content.because,
        &content.footer,
    ] {
        assert!(!text.contains('{'), "a variable shown raw: {text}");
    }
    assert!(
        summary.contains("assignee=<Åke> requestor=<Åke>"),
        "{summary}"
    );
    // what the instance does not give reads as `email-missing`, itself given only names
    assert!(
        summary.contains("approver=<site=<hq> scope=<tenant> event=<role-assigned> recipient=<>>")
    );
    assert!(action.url.contains("site=<hq>") && !action.url.contains("Åke"));
    assert!(
        content.because.ends_with("classes=<Employee>"),
        "{}",
        content.because
    );
    assert!(
        content.subject.contains("prefix=<IT: >"),
        "{}",
        content.subject
    );
}

#[test]
fn render_refuses_a_catalogue_whose_references_do_not_resolve() {
    let (_scratch, rules) = welcome_kit(
        "references",
        "welcome = Welcome, { $asignee }\n    .summary = { -company } { missing-message }\n",
    );
    let rules_arg = rules.display().to_string();
    let input = json!({"event": "role-assigned", "scope": "tenant"}).to_string();
    let (code, stdout, stderr) = run(&["render", "--rules", &rules_arg, "--input", "-"], &input);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.is_empty(), "{stdout}");
    for expected in [
        "unknown variable `$asignee` in `welcome`",
        "term `-company` is not defined in locale `en`",
        "message `missing-message` is not defined in locale `en`",
        "pim.ftl:1:22",
    ] {
        assert!(stderr.contains(expected), "no `{expected}` in\n{stderr}");
    }
}

#[test]
fn placeables_nested_100_000_deep_are_refused_quickly() {
    let depth = 100_000;
    let deep = format!(
        "welcome = Welcome, {{ $assignee }}\ndeep = {}x{}\nafter = {{ missing }}\n",
        "{ ".repeat(depth),
        " }".repeat(depth)
    );
    let (_scratch, rules) = welcome_kit("deep", &deep);
    let rules_arg = rules.display().to_string();
    let started = std::time::Instant::now();
    let (code, _, stderr) = run(&["check", &rules_arg], "");
    let elapsed = started.elapsed();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("placeables nested more than 32 levels deep"),
        "{}",
        stderr.chars().take(2000).collect::<String>()
    );
    assert!(stderr.contains("pim.ftl:2:72"), "at the 33rd `{{`");
    // the entries around it are read: `welcome` has its message, `after` is checked
    assert!(!stderr.contains("has no message"), "{stderr}");
    assert!(
        stderr.contains("message `missing` is not defined"),
        "{stderr}"
    );
    assert!(elapsed < std::time::Duration::from_secs(10), "{elapsed:?}");
}
