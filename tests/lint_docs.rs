//! Every lint code is documented in the README's table and explained by `--explain`; codes and
//! names parse back to themselves. (That each is shown by a corpus case is `cli.rs`'s.)

use pimrules::analysis::LintCode;
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap_or_default()
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
