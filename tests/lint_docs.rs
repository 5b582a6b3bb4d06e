//! Every lint code is shown by a corpus snapshot, documented in the README's table, and explained
//! by `--explain`; codes and names parse back to themselves.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use pimrules::analysis::LintCode;
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap_or_default()
}

#[test]
fn every_lint_code_is_exercised_by_the_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let snapshots: String = std::fs::read_dir(&dir)
        .expect("snapshots/ exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("lint__"))
        })
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    for code in LintCode::ALL {
        assert!(
            snapshots.contains(&format!("[{code}]")),
            "no lint snapshot shows {code}; add a case under tests/inputs/lint/"
        );
    }
}

#[test]
fn every_lint_code_is_documented() {
    let readme = read("README.md");
    for code in LintCode::ALL {
        let row = format!("| {code} | `{}` |", code.name());
        assert!(readme.contains(&row), "README.md has no row `{row}`");
        assert!(code.explanation().len() > 100, "{code} has a paragraph");
        assert!(
            !code.title().ends_with('.'),
            "{code}: titles have no final period"
        );
    }
}

#[test]
fn codes_and_names_parse_back() {
    for code in LintCode::ALL {
        assert_eq!(LintCode::parse(code.as_str()), Some(code));
        assert_eq!(LintCode::parse(&code.as_str().to_lowercase()), Some(code));
        assert_eq!(LintCode::parse(code.name()), Some(code));
    }
    assert_eq!(LintCode::parse("W000"), None);
    assert_eq!(LintCode::parse("E001"), None);
}
