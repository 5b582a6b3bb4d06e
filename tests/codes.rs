//! The registry of codes is the one source of their documentation: the README's tables say
//! exactly what it says, and every code explains itself (that each is shown by a corpus case is
//! `cli.rs`'s).

// tests read scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use pimrules::diagnostic::{Code, Severity};
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap_or_default()
}

/// The README row of a code: `| E004 | `unknown-name` | … |`, lint codes with their level.
fn readme_row(code: Code) -> String {
    let about = code.about();
    if code.is_lint() {
        let level = match about.level {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "| {code} | `{}` | {level} | {} |",
            about.name, about.summary
        )
    } else {
        format!("| {code} | `{}` | {} |", about.name, about.summary)
    }
}

#[test]
fn the_readme_tables_are_the_registry() {
    let readme = read("README.md");
    let expected: Vec<String> = Code::ALL.into_iter().map(readme_row).collect();
    let rows: Vec<&str> = readme
        .lines()
        .filter(|line| {
            let cell = line.trim_start_matches("| ");
            cell.len() > 4
                && (cell.starts_with('E') || cell.starts_with('W'))
                && cell[1..4].bytes().all(|b| b.is_ascii_digit())
                && cell[4..].starts_with(" | `")
        })
        .collect();
    assert_eq!(
        rows, expected,
        "README.md's tables of codes and the registry differ"
    );
}

#[test]
fn every_code_is_documented() {
    for code in Code::ALL {
        let about = code.about();
        assert!(about.explanation.len() > 100, "{code} has a paragraph");
        for text in [about.title, about.summary] {
            assert!(!text.ends_with('.'), "{code}: `{text}` has a final period");
            assert!(!text.is_empty(), "{code} has a title and a summary");
        }
        assert!(
            code.explain()
                .starts_with(&format!("{code} ({}): ", about.name)),
            "{code} explains itself"
        );
    }
}
