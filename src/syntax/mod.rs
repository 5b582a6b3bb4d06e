//! Syntax stage: `.pimrules` text → [`ast::Module`], one top-level item at a time so that a
//! syntax error is reported, reading resumes at the next item, and one run shows every error.

pub mod ast;
pub mod condition_text;
mod convert;
mod errors;
mod keywords;
pub mod lexer;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use ast::Module;
pub use keywords::{KEYWORDS, Keyword, Role, is_reserved};
use pest::Parser as _;

/// The pest parser generated from `grammar/pimrules.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/pimrules.pest"]
pub(crate) struct PimrulesParser;

/// Deepest nesting of parentheses and `not` a condition may have.
pub const MAX_NESTING: usize = 64;

/// Longest one top-level item (a rule, a test, a settings block, a declaration) may be, with
/// the comments before it not counted.
pub const MAX_ITEM_BYTES: usize = 1 << 20;

/// After this many syntax errors in one file, pimrules stops reading it.
pub const MAX_SYNTAX_ERRORS: usize = 50;

/// Parse one file. Returns every item that parsed, and a diagnostic for every one that did not.
pub fn parse(file: FileId, text: &str) -> (Module, Vec<Diagnostic>) {
    let mut parser = FileParser {
        file,
        text,
        module: Module::default(),
        diagnostics: Vec::new(),
    };
    parser.diagnostics.extend(lone_carriage_returns(file, text));
    let mut start = 0;
    while let Some(deep) = find_excessive_nesting(text, start) {
        let cut = item_line_start_before(text, start, deep);
        parser.parse_segment(start, cut);
        let at = Span::new(file, deep..deep + 1);
        parser
            .diagnostics
            .push(if text.as_bytes().get(deep) == Some(&b'(') {
                Diagnostic::error(
                    Code::E003,
                    format!("condition nested more than {MAX_NESTING} levels deep"),
                )
                .at(at, "this parenthesis is too deep")
                .help("flatten the condition with `and`, `or` or `in { … }`")
            } else {
                Diagnostic::error(
                    Code::E003,
                    format!("braces or brackets nested more than {MAX_NESTING} levels deep"),
                )
                .at(at, "this one is too deep")
                .help("a rule shape is the JSON of one notification rule, a few levels deep")
            });
        start = next_item_line_after(text, deep);
    }
    parser.parse_segment(start, text.len());
    (parser.module, parser.diagnostics)
}

struct FileParser<'t> {
    file: FileId,
    text: &'t str,
    module: Module,
    diagnostics: Vec<Diagnostic>,
}

impl FileParser<'_> {
    /// Parse the items in `text[from..to]`.
    fn parse_segment(&mut self, from: usize, to: usize) {
        let mut offset = from;
        while offset < to {
            if self.diagnostics.len() >= MAX_SYNTAX_ERRORS {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::E001,
                        format!(
                            "too many syntax errors; stopped reading after {MAX_SYNTAX_ERRORS}"
                        ),
                    )
                    .at(Span::new(self.file, offset..offset), "reading stopped here"),
                );
                return;
            }
            // the parser sees one item's worth of text at most, so its memory (a token queue
            // of about a hundred bytes per byte read) is bounded whatever the file holds
            let trivia = leading_trivia(&self.text[offset..to]);
            let mut window_end = (offset + trivia).saturating_add(MAX_ITEM_BYTES).min(to);
            while !self.text.is_char_boundary(window_end) {
                window_end -= 1;
            }
            let segment = &self.text[offset..window_end];
            match PimrulesParser::parse(Rule::next_item, segment) {
                Ok(mut pairs) => {
                    let Some(next) = pairs.next() else { return };
                    let end = next.as_span().end();
                    let converter = convert::Converter::new(self.file, offset);
                    match converter.next_item(next) {
                        Ok(Some(item)) => self.module.items.push(item),
                        Ok(None) => return,
                        Err(diagnostic) => self.diagnostics.push(diagnostic),
                    }
                    if end == 0 {
                        return;
                    }
                    offset += end;
                }
                Err(error) => {
                    let item_start = offset + trivia;
                    let position = offset + errors::error_position(&error);
                    if position >= window_end && window_end < to {
                        self.diagnostics.push(
                            Diagnostic::error(
                                Code::E014,
                                format!("an item longer than {} KiB", MAX_ITEM_BYTES / 1024),
                            )
                            .at(Span::new(self.file, item_start..item_start), "this item")
                            .help("split it: no rule, test or declaration needs to be this long"),
                        );
                        offset = resume_after_error(self.text, item_start, window_end, to);
                        continue;
                    }
                    self.diagnostics
                        .push(errors::syntax_error(&error, self.file, offset, self.text));
                    offset = resume_after_error(self.text, item_start, position, to);
                }
            }
        }
    }
}

/// Length of the whitespace and comments at the start of `text`.
fn leading_trivia(text: &str) -> usize {
    PimrulesParser::parse(Rule::leading_trivia, text)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .map_or(0, |pair| pair.as_span().end())
}

/// Where to resume reading after a syntax error at `position` in the item starting at `item_start`.
fn resume_after_error(text: &str, item_start: usize, position: usize, to: usize) -> usize {
    let position = position.min(to);
    // The error is at the start of the next item (a missing `}`, say): resume right there.
    if position > item_start && starts_item_line(text, position) {
        return position;
    }
    let skipped = PimrulesParser::parse(Rule::skip_to_next_item, &text[position..to])
        .ok()
        .and_then(|mut pairs| pairs.next())
        .map_or(to - position, |pair| pair.as_span().end());
    (position + skipped.max(1)).min(to).max(item_start + 1)
}

/// Whether `position` is the start of an unindented line beginning with a top-level keyword.
/// Read by lines alone: no string or comment runs past a line break (see [`lexer`]).
fn starts_item_line(text: &str, position: usize) -> bool {
    let at_line_start = position == 0 || text.as_bytes().get(position - 1) == Some(&b'\n');
    if !at_line_start
        || !text
            .as_bytes()
            .get(position)
            .is_some_and(u8::is_ascii_lowercase)
    {
        return false;
    }
    // only the line itself: a pest error scans its whole input, so parsing the rest of the
    // file here would make reading a file quadratic
    let line_end = text[position..]
        .find('\n')
        .map_or(text.len(), |i| position + i);
    PimrulesParser::parse(Rule::top_level_keyword, &text[position..line_end]).is_ok()
}

/// The start of the unindented item line at or before `position` (but not before `floor`).
fn item_line_start_before(text: &str, floor: usize, position: usize) -> usize {
    let mut at = position;
    loop {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        if line_start <= floor {
            return floor;
        }
        if starts_item_line(text, line_start) {
            return line_start;
        }
        at = line_start - 1;
    }
}

/// A carriage return not followed by a line feed: some tools end lines with it, others do not,
/// so the text would read one way to an editor and another to pimrules (a `//` comment would
/// run on past it). pimrules ends lines at LF or CRLF only, and refuses the rest: one error at
/// the first, counting the others (a file saved with CR line ends has one on every line).
fn lone_carriage_returns(file: FileId, text: &str) -> Option<Diagnostic> {
    let bytes = text.as_bytes();
    let mut lone =
        (0..bytes.len()).filter(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
    let first = lone.next()?;
    let more = lone.count();
    let line_ends = "lines end with LF or CRLF; save the file with one of them (old Mac line ends are CR alone)";
    let help = match more {
        0 => line_ends.to_owned(),
        1 => format!("the file has 1 more; {line_ends}"),
        _ => format!("the file has {more} more; {line_ends}"),
    };
    Some(
        Diagnostic::error(Code::E001, "a carriage return that does not end a line")
            .at(Span::new(file, first..first + 1), "CR without LF")
            .help(help),
    )
}

/// The start of the first unindented item line after `position`, or the end of the text.
fn next_item_line_after(text: &str, position: usize) -> usize {
    let mut at = position;
    while let Some(newline) = text[at..].find('\n') {
        let line_start = at + newline + 1;
        if starts_item_line(text, line_start) {
            return line_start;
        }
        at = line_start;
    }
    text.len()
}

/// The first `(`, `{` or `[` at byte `from` or later that opens more than [`MAX_NESTING`]
/// levels of its kind (parentheses; braces and brackets together), skipping strings and
/// comments. Found before parsing so the parser never descends that deep.
fn find_excessive_nesting(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut brackets = 0usize;
    for token in lexer::tokens(text, from).filter(|t| t.kind == lexer::Kind::Code) {
        for i in token.span {
            match bytes[i] {
                b'(' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(i);
                    }
                }
                b')' => depth = depth.saturating_sub(1),
                b'{' | b'[' => {
                    brackets += 1;
                    if brackets > MAX_NESTING {
                        return Some(i);
                    }
                }
                b'}' | b']' => brackets = brackets.saturating_sub(1),
                b'\n' if starts_item_line(text, i + 1) => {
                    depth = 0;
                    brackets = 0;
                }
                _ => {}
            }
        }
    }
    None
}

/// A `//` comment and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// byte offsets of the comment, from `//` to the end of its line
    pub start: usize,
    pub end: usize,
    /// the text after `//`, without the line break
    pub text: String,
    /// whether the comment is alone on its line (otherwise it trails code)
    pub own_line: bool,
}

/// The comments of a file, in order. The grammar skips comments as trivia; `fmt` puts them back.
pub fn comments(text: &str) -> Vec<Comment> {
    lexer::tokens(text, 0)
        .filter(|token| token.kind == lexer::Kind::Comment)
        .map(|token| {
            let line_start = text[..token.span.start].rfind('\n').map_or(0, |i| i + 1);
            Comment {
                text: text[token.span.start + 2..token.span.end]
                    .trim_end()
                    .to_owned(),
                own_line: text[line_start..token.span.start]
                    .bytes()
                    .all(|b| matches!(b, b' ' | b'\t' | b'\r')),
                start: token.span.start,
                end: token.span.end,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A string cut short by a line break ends there, for every scan: a backslash before the
    /// break does not carry the string on to the next line, so the comment and the nesting on
    /// that line are seen (the scans once read the next line as part of the string).
    #[test]
    fn a_line_break_ends_a_string_for_every_scan() {
        let deep = "(".repeat(MAX_NESTING + 1);
        let text = format!("ruleset \"a\\\n// c\nrule r {{ when {deep}x }}\n");
        assert_eq!(
            comments(&text)
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>(),
            [" c"]
        );
        let (_, diagnostics) = parse(FileId(0), &text);
        assert!(
            diagnostics.iter().any(|d| d.code == Code::E003),
            "{diagnostics:#?}"
        );
    }
}
