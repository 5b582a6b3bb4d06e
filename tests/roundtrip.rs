//! Round trip: any AST printed by `fmt` parses back to the same AST (equality ignores spans),
//! and formatting is idempotent and insensitive to whitespace-only changes.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

mod generate;

use pimrules::fmt;
use pimrules::source::FileId;
use pimrules::syntax::{self, ast::Module, lexer};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn reparse(text: &str) -> Result<Module, String> {
    let (module, diagnostics) = syntax::parse(FileId(0), text);
    if diagnostics.is_empty() {
        Ok(module)
    } else {
        Err(format!("{diagnostics:#?}\n--- text:\n{text}"))
    }
}

/// Whether printing with `printer` and parsing gives back `module`.
fn round_trips(module: &Module, printer: impl Fn(&Module) -> String) -> Result<(), String> {
    let text = printer(module);
    let parsed = reparse(&text)?;
    if &parsed == module {
        Ok(())
    } else {
        Err(format!("printed as:\n{text}"))
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/roundtrip.txt"))),
        ..ProptestConfig::default()
    })]
    #[test]
    fn printed_asts_parse_back_the_same(module in generate::module()) {
        let result = round_trips(&module, |m| fmt::format_module(m, ""));
        prop_assert!(result.is_ok(), "{}", result.err().unwrap_or_default());
    }

    #[test]
    fn formatting_is_idempotent(module in generate::module()) {
        let once = fmt::format_module(&module, "");
        let twice = fmt::format_source(FileId(0), &once).map_err(|d| format!("{d:?}"));
        prop_assert_eq!(Ok(once), twice);
    }

    /// Re-spacing a formatted file (every space becomes several, every newline gets indented
    /// blank lines after it) formats back to the same text.
    #[test]
    fn whitespace_only_changes_format_back(module in generate::module(), extra in 1..4usize) {
        let canonical = fmt::format_module(&module, "");
        let respaced = respace(&canonical, extra);
        prop_assert_eq!(fmt::format_source(FileId(0), &respaced).map_err(|d| format!("{d:?}")), Ok(canonical));
    }
}

/// Add whitespace between tokens without touching the inside of strings or comments.
fn respace(text: &str, extra: usize) -> String {
    let mut out = String::new();
    let mut after_comment = false;
    for token in lexer::tokens(text, 0) {
        let slice = &text[token.span.clone()];
        if token.kind == lexer::Kind::Code {
            for (at, ch) in slice.char_indices() {
                match ch {
                    ' ' => out.push_str(&" ".repeat(extra + 1)),
                    // the line break that ends a comment is followed by tabs as well
                    '\n' if at == 0 && after_comment => out.push_str(&"\n \t".repeat(extra)),
                    '\n' => out.push_str(&"\n  ".repeat(extra)),
                    _ => {}
                }
                if ch != ' ' {
                    out.push(ch);
                }
            }
        } else {
            out.push_str(slice);
        }
        after_comment = token.kind == lexer::Kind::Comment;
    }
    out
}

#[test]
fn the_shipped_rules_are_formatted() {
    for file in pimrules::shipped::FILES {
        let formatted = fmt::format_source(FileId(0), file.text).expect("shipped rules parse");
        assert_eq!(
            formatted, file.text,
            "rules/{} is not fmt-clean: run `pimrules fmt rules/`",
            file.file_name
        );
    }
}

#[test]
fn the_shipped_rules_round_trip() {
    for file in pimrules::shipped::FILES {
        let module = reparse(file.text).expect("shipped rules parse");
        assert_eq!(round_trips(&module, |m| fmt::format_module(m, "")), Ok(()));
    }
}

/// The round-trip property notices a printer that drops parentheses.
#[test]
fn a_printer_bug_is_caught() {
    let text = "rule r {\n  on e in s\n  notify c\n  when (a or b) and c\n}\n";
    let module = reparse(text).expect("parses");
    assert!(round_trips(&module, |m| fmt::format_module(m, "")).is_ok());
    let careless = |m: &Module| fmt::format_module(m, "").replace(['(', ')'], "");
    assert!(round_trips(&module, careless).is_err());
}
