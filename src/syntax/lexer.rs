//! The one lexer of `.pimrules` text: where its string literals and `//` comments start and
//! end, as `grammar/pimrules.pest` reads them. Every scan that skips strings or finds comments uses it.
//!
//! Outside a string, `"` always opens one and `//` always opens a comment (the grammar keeps both
//! out of every other token: names, numbers, addresses). A string ends at its closing quote; a
//! string cut short by a line break or the end of the text (which the grammar refuses) ends
//! before the break, so a line never starts inside a string. A backslash takes the character after
//! it into the string, as the grammar's escapes do; one the grammar refuses (`\x`) is still read
//! as two characters, so that a JSON string's `\/` and `\u` stay inside it. A comment runs to the
//! end of its line, the line feed not included.

use std::ops::Range;

/// What a stretch of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// anything outside strings and comments, line breaks included
    Code,
    /// a string literal with its quotes; `terminated` is false for one cut short by a line
    /// break or the end of the text (it then has no closing quote)
    String { terminated: bool },
    /// `//` to the end of the line
    Comment,
}

/// A stretch of text of one kind, by its byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub span: Range<usize>,
}

/// The tokens of `text` from byte `from` (the start of a line, or 0) to its end: consecutive,
/// none empty, together covering the text.
pub fn tokens(text: &str, from: usize) -> Tokens<'_> {
    Tokens {
        bytes: text.as_bytes(),
        at: from,
    }
}

/// The iterator [`tokens`] returns.
pub struct Tokens<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let bytes = self.bytes;
        let start = self.at;
        if start >= bytes.len() {
            return None;
        }
        let (kind, end) = if bytes[start] == b'"' {
            string_end(bytes, start)
        } else if bytes[start..].starts_with(b"//") {
            let end = bytes[start..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(bytes.len(), |n| start + n);
            (Kind::Comment, end)
        } else {
            let end = (start..bytes.len())
                .find(|&i| bytes[i] == b'"' || bytes[i..].starts_with(b"//"))
                .unwrap_or(bytes.len());
            (Kind::Code, end)
        };
        self.at = end;
        Some(Token {
            kind,
            span: start..end,
        })
    }
}

/// The string literal whose opening quote is at `start`: its kind and where it ends.
fn string_end(bytes: &[u8], start: usize) -> (Kind, usize) {
    let mut i = start + 1;
    loop {
        match bytes.get(i) {
            Some(b'"') => return (Kind::String { terminated: true }, i + 1),
            None | Some(b'\n' | b'\r') => return (Kind::String { terminated: false }, i),
            Some(b'\\') if !matches!(bytes.get(i + 1), None | Some(b'\n' | b'\r')) => i += 2,
            Some(_) => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{PimrulesParser, Rule};
    use pest::Parser as _;
    use proptest::prelude::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text, 0).map(|t| (t.kind, &text[t.span])).collect()
    }

    const CLOSED: Kind = Kind::String { terminated: true };
    const OPEN: Kind = Kind::String { terminated: false };

    #[test]
    fn strings_comments_and_code() {
        assert_eq!(
            kinds("use \"a//b\" // c \"d\"\nrule"),
            vec![
                (Kind::Code, "use "),
                (CLOSED, "\"a//b\""),
                (Kind::Code, " "),
                (Kind::Comment, "// c \"d\""),
                (Kind::Code, "\nrule"),
            ]
        );
        assert_eq!(
            kinds(r#""a\"b\\" x"#),
            vec![(CLOSED, r#""a\"b\\""#), (Kind::Code, " x")]
        );
    }

    /// A line break ends a string the grammar refuses, and the next line is read afresh: the
    /// comment on it is a comment, the quote on it opens a new string.
    #[test]
    fn a_newline_cuts_a_string_short() {
        assert_eq!(
            kinds("\"abc\n// c\n\"d\\\n\"e\r\n"),
            vec![
                (OPEN, "\"abc"),
                (Kind::Code, "\n"),
                (Kind::Comment, "// c"),
                (Kind::Code, "\n"),
                (OPEN, "\"d\\"),
                (Kind::Code, "\n"),
                (OPEN, "\"e"),
                (Kind::Code, "\r\n"),
            ]
        );
        assert_eq!(kinds("\"end"), vec![(OPEN, "\"end")]);
    }

    /// JSON strings in a `rule-shape` keep their own escapes, and `//` inside them.
    #[test]
    fn json_strings_stay_whole() {
        assert_eq!(
            kinds(r#"{"a": "http:\/\/x\u0041"}"#),
            vec![
                (Kind::Code, "{"),
                (CLOSED, r#""a""#),
                (Kind::Code, ": "),
                (CLOSED, r#""http:\/\/x\u0041""#),
                (Kind::Code, "}"),
            ]
        );
    }

    /// Where the grammar's `string` matches at `start`, if it does: the end of the match.
    fn grammar_string_end(text: &str, start: usize) -> Option<usize> {
        let pair = PimrulesParser::parse(Rule::string, &text[start..])
            .ok()?
            .next()?;
        Some(start + pair.as_span().end())
    }

    /// Whether a string token holds only escapes the grammar reads.
    fn has_grammar_escapes(literal: &str) -> bool {
        let mut chars = literal.chars();
        while let Some(c) = chars.next() {
            if c == '\\' && !matches!(chars.next(), Some('"' | '\\' | 'n' | 't')) {
                return false;
            }
        }
        true
    }

    proptest! {
        /// On text made of the characters that matter (quotes, backslashes, slashes, line
        /// breaks), the tokens cover the text, and the grammar agrees with every one: a string
        /// token is the grammar's `string` where that matches (a terminated one with the
        /// grammar's escapes), a comment is the grammar's `COMMENT`, and code holds neither.
        #[test]
        fn the_lexer_agrees_with_the_grammar(
            pieces in prop::collection::vec(
                prop::sample::select(vec![
                    "\"", "\\", "/", "//", "\n", "\r\n", "\r", " ", "a", "n", "t", "é", "{", "x\"y\"",
                ]),
                0..40,
            )
        ) {
            let text: String = pieces.concat();
            let mut covered = 0;
            for token in tokens(&text, 0) {
                prop_assert_eq!(token.span.start, covered);
                prop_assert!(token.span.end > token.span.start);
                covered = token.span.end;
                let slice = &text[token.span.clone()];
                match token.kind {
                    Kind::String { terminated } => {
                        // a line never starts inside a string
                        prop_assert!(!slice.contains(['\n', '\r']));
                        let grammar = grammar_string_end(&text, token.span.start);
                        if terminated && has_grammar_escapes(slice) {
                            prop_assert_eq!(grammar, Some(token.span.end));
                        } else {
                            prop_assert_eq!(grammar, None);
                        }
                        if !terminated {
                            prop_assert!(matches!(text.as_bytes().get(token.span.end), None | Some(b'\n' | b'\r')));
                        }
                    }
                    Kind::Comment => {
                        // the grammar's `COMMENT` (silent, so read through the trivia rule)
                        // takes the whole token, and stops only at a line feed
                        let trivia = PimrulesParser::parse(Rule::leading_trivia, slice)
                            .ok()
                            .and_then(|mut pairs| pairs.next())
                            .map(|pair| pair.as_span().end());
                        prop_assert_eq!(trivia, Some(slice.len()));
                        prop_assert!(matches!(text.as_bytes().get(token.span.end), None | Some(b'\n')));
                    }
                    Kind::Code => {
                        prop_assert!(!slice.contains('"') && !slice.contains("//"));
                        // a code token ends where a string or a comment starts, not in the middle of `//`
                        prop_assert!(!(slice.ends_with('/') && text[token.span.end..].starts_with('/')));
                    }
                }
            }
            prop_assert_eq!(covered, text.len());
        }
    }
}
