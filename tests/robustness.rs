//! Never crashes: the parser and checker, given arbitrary text or mutations of the shipped rule
//! files, return a result or diagnostics located inside the text — never a panic.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use pimrules::diagnostic::Diagnostic;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// The diagnostics of a build of `text` that point outside it.
fn misplaced(text: &str) -> Vec<Diagnostic> {
    let build = pimrules::pipeline::build_text("input.pimrules", text);
    outside(text, build.diagnostics)
}

/// The property's check: those of `diagnostics` whose primary label is not a span of `text`.
fn outside(text: &str, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter(|d| {
            d.primary.as_ref().is_some_and(|label| {
                label.span.start > label.span.end || label.span.end > text.len()
            })
        })
        .collect()
}

fn shipped_text() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(pimrules::shipped::FILES).prop_map(|f| f.text)
}

/// One mutation of a text: cut it, drop or swap lines, or splice in garbage.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    DeleteLine(usize),
    SwapLines(usize, usize),
    Insert(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (
            any::<usize>(),
            prop_oneof![
                "[{}()\",=!<>|a-z -]{1,8}".boxed(),
                ".{1,8}".boxed(),
                Just("not not not (".to_owned()).boxed(),
                Just("\u{0}".to_owned()).boxed(),
            ]
        )
            .prop_map(|(at, text)| Mutation::Insert(at, text)),
    ]
}

fn apply(text: &str, mutation: &Mutation) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    match mutation {
        Mutation::Truncate(at) => {
            let mut cut = at % (text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text[..cut].to_owned()
        }
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            let i = i % lines.len();
            lines
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, l)| *l)
                .collect()
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => {
            let mut lines = lines.clone();
            let n = lines.len();
            lines.swap(a % n, b % n);
            lines.concat()
        }
        Mutation::Insert(at, garbage) => {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            format!("{}{garbage}{}", &text[..at], &text[at..])
        }
        _ => text.to_owned(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/robustness.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_text_is_diagnosed_in_place(text in ".{0,200}") {
        prop_assert!(misplaced(&text).is_empty());
    }

    #[test]
    fn arbitrary_token_soup_is_diagnosed_in_place(
        words in proptest::collection::vec(
            proptest::sample::select(&[
                "rule", "r", "{", "}", "on", "e", "in", "s", "notify", "c", "when", "not", "and", "or",
                "(", ")", "==", "!=", "f", "v", "fact", ":", "bool", "|", "=", "event", "\"x\"", "test",
                "given", "expect", "nobody", "exactly", "section", "by", "->", "\n", "//", ",",
            ][..]),
            0..60,
        )
    ) {
        let text = words.join(" ");
        prop_assert!(misplaced(&text).is_empty(), "{text}");
    }

    #[test]
    fn mutated_shipped_rules_are_diagnosed_in_place(
        text in shipped_text(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let mutated = mutations.iter().fold(text.to_owned(), |t, m| apply(&t, m));
        prop_assert!(misplaced(&mutated).is_empty());
    }
}

/// The property's check notices a diagnostic that points past the end of the text, and one
/// whose span is reversed: the real diagnostics of a broken text, each moved on purpose.
#[test]
fn a_misplaced_span_is_caught() {
    let text = "rule {";
    let diagnostics = pimrules::pipeline::build_text("input.pimrules", text).diagnostics;
    assert!(!diagnostics.is_empty(), "a syntax error");
    assert!(outside(text, diagnostics.clone()).is_empty());
    let moved = |change: fn(&mut pimrules::source::Span)| -> Vec<Diagnostic> {
        let mut wrong = diagnostics.clone();
        for label in wrong.iter_mut().filter_map(|d| d.primary.as_mut()) {
            change(&mut label.span);
        }
        wrong
    };
    let past_the_end = moved(|span| span.end = "rule {".len() + 10);
    assert_eq!(outside(text, past_the_end).len(), diagnostics.len());
    let reversed = moved(|span| (span.start, span.end) = (span.end + 1, span.start));
    assert_eq!(outside(text, reversed).len(), diagnostics.len());
}
