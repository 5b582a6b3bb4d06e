//! `fmt` keeps every `// pimrules: allow(…)` comment applying to what it applied to: on
//! generated rule sets written by hand (one-line rules, allows trailing a rule's first line,
//! above it, below it), `lint(fmt(x))` reports what `lint(x)` reports.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

mod generate;

use pimrules::analysis::{self, config::Allows, config::Config};
use proptest::prelude::*;

/// The findings of a text, allows and default levels applied: (code, message) in order.
fn findings(text: &str) -> Result<Vec<(String, String)>, String> {
    let build = pimrules::pipeline::build_text("hand-written.pimrules", text);
    if build.has_errors() {
        return Err(format!("{:?}\n{text}", build.diagnostics));
    }
    let allows = Allows::read(&build.loaded.sources);
    let config = Config::default();
    let mut found: Vec<(String, String)> = build
        .compiled
        .iter()
        .flat_map(|c| config.apply(analysis::lint(&build.loaded, c), &allows))
        .map(|f| (f.code.as_str().to_owned(), f.message))
        .collect();
    found.sort();
    Ok(found)
}

/// The property's check: formatting with `printer` changes no finding.
fn same_findings(text: &str, printer: impl Fn(&str) -> String) -> Result<(), String> {
    let before = findings(text)?;
    let formatted = printer(text);
    let after = findings(&formatted)?;
    if before == after {
        Ok(())
    } else {
        Err(format!(
            "before fmt: {before:?}\nafter fmt: {after:?}\n--- written\n{text}\n--- formatted\n{formatted}"
        ))
    }
}

fn fmt(text: &str) -> String {
    pimrules::fmt::format_source(pimrules::source::FileId(0), text).unwrap_or_default()
}

/// Where an allow is written, relative to the rule it is meant for.
#[derive(Debug, Clone, Copy)]
enum Place {
    None,
    TrailingFirstLine,
    Above,
    BelowFirstLine,
}

/// Rewrite each `rule` block of a formatted text as a person might: on one line or not, with
/// an allow of some code at some place.
fn hand_written(text: &str, edits: &[(bool, Place, u8)]) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    let mut rule = 0;
    while let Some(line) = lines.next() {
        if !line.starts_with("rule ") {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut block = vec![line.to_owned()];
        for next in lines.by_ref() {
            block.push(next.to_owned());
            if next == "}" {
                break;
            }
        }
        let (one_line, place, code) = edits.get(rule).copied().unwrap_or((false, Place::None, 1));
        rule += 1;
        let allow = format!("// pimrules: allow(W00{code}) on purpose");
        if matches!(place, Place::Above) {
            out.push_str(&allow);
            out.push('\n');
        }
        if one_line {
            let joined: Vec<&str> = block.iter().map(|l| l.trim()).collect();
            out.push_str(&joined.join(" "));
            if matches!(place, Place::TrailingFirstLine | Place::BelowFirstLine) {
                out.push_str(&format!(" {allow}"));
            }
            out.push('\n');
            continue;
        }
        for (i, line) in block.iter().enumerate() {
            out.push_str(line);
            if i == 0 && matches!(place, Place::TrailingFirstLine) {
                out.push_str(&format!("  {allow}"));
            }
            out.push('\n');
            if i == 0 && matches!(place, Place::BelowFirstLine) {
                out.push_str(&format!("  {allow}\n"));
            }
        }
    }
    out
}

fn edit() -> impl Strategy<Value = (bool, Place, u8)> {
    (
        any::<bool>(),
        prop_oneof![
            Just(Place::None),
            Just(Place::TrailingFirstLine),
            Just(Place::Above),
            Just(Place::BelowFirstLine),
        ],
        1u8..=7,
    )
}

proptest! {
    #![proptest_config(generate::persisted("proptest-regressions/fmt_allows.txt"))]

    #[test]
    fn fmt_keeps_what_every_allow_applies_to(
        (text, _) in generate::valid_program(),
        edits in prop::collection::vec(edit(), 8),
    ) {
        let written = hand_written(&text, &edits);
        same_findings(&written, fmt).map_err(TestCaseError::fail)?;
    }
}

/// The check catches a formatter that moves the allow trailing a one-line rule to another line
/// (what `fmt` did before: onto the rule's first clause).
#[test]
fn a_moved_allow_is_caught() {
    let text = "ruleset \"a\" version \"1\"\nsender \"A\" <a@contoso.com>\nsubject-prefix \"P: \"\n\
max-recipients 10\nscope s \"S\"\nrecipient c \"C\"\nevent e \"E\"\ntemplate e \"E\"\ntemplate f \"F\"\n\
rule r1 { on e in s notify c }\n\
rule r2 { on e in s notify c template f } // pimrules: allow(W003) on purpose\n";
    assert_eq!(same_findings(text, fmt), Ok(()));
    let moving = |text: &str| {
        fmt(text).replace(
            "rule r2 {  // pimrules: allow(W003) on purpose\n  on e in s\n",
            "rule r2 {\n  on e in s  // pimrules: allow(W003) on purpose\n",
        )
    };
    assert!(same_findings(text, moving).is_err());
}
