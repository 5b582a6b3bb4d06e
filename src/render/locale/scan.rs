//! How deep a catalogue's placeables nest, found before the Fluent parser sees the text: the
//! parser descends one call per level, without a limit, so a hostile catalogue overflows it.
//!
//! The scan follows the parser's reading: `{` opens a placeable, `}` closes one, a `"` in an
//! expression starts a string literal (to the closing `"` or the line's end), a `]` ends a
//! variant's key (its pattern follows, where `"` is text), and a `#` line outside placeables is
//! a comment. The parser starts each entry at a line that begins with a letter, `-` or `#`, and
//! after an error resumes at the next such line; where a placeable is still open at such a
//! line, the text is cut there and each piece parsed alone, so the parser resumes there and its
//! depth is never more than the scan's. (Fluent allows a placeable to go on over such a line —
//! `{` then `foo }` at the start of the next line; in pimrules that is a syntax error.)

use std::ops::Range;

/// Most placeables may nest: `{ { … } }`, a select's variant holding one, a call's argument.
pub const MAX_PLACEABLE_DEPTH: usize = 32;

/// Most pieces a catalogue is cut into: past them the rest is not read, so that a hostile
/// catalogue of a million broken entries costs the memory of a hundred resources.
pub const MAX_PIECES: usize = 100;

/// A catalogue's text as the parser is given it.
#[derive(Debug, PartialEq, Eq)]
pub struct Cut {
    /// the byte ranges to parse, each as a resource of its own, in order
    pub pieces: Vec<Range<usize>>,
    /// the `{` of each placeable nested more than [`MAX_PLACEABLE_DEPTH`] deep: its entry is
    /// in no piece
    pub too_deep: Vec<usize>,
    /// where reading stopped, when the text would be cut into more than [`MAX_PIECES`] pieces
    pub stopped: Option<usize>,
}

/// Where an open placeable is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// an expression: a `"` starts a string literal
    Expression,
    /// a variant's pattern: a `"` is text
    Variant,
}

/// The pieces of `text` to parse, and the placeables nested too deep (whose entries are left out).
pub fn cut(text: &str) -> Cut {
    let bytes = text.as_bytes();
    let mut cut = Cut {
        pieces: Vec::new(),
        too_deep: Vec::new(),
        stopped: None,
    };
    let mut piece_start = 0;
    let mut entry_start = 0;
    let mut levels: Vec<Level> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if starts_entry(bytes, i) {
            if !levels.is_empty() {
                if !cut.end_piece(piece_start..i) {
                    return cut;
                }
                piece_start = i;
                levels.clear();
            }
            entry_start = i;
            if bytes[i] == b'#' {
                i = line_end(bytes, i);
                continue;
            }
        }
        match bytes[i] {
            b'{' if levels.len() == MAX_PLACEABLE_DEPTH => {
                if !cut.end_piece(piece_start..entry_start) {
                    return cut;
                }
                cut.too_deep.push(i);
                i = next_entry(bytes, i);
                piece_start = i;
                entry_start = i;
                levels.clear();
                continue;
            }
            b'{' => levels.push(Level::Expression),
            b'}' => {
                levels.pop();
            }
            b']' => {
                if let Some(level) = levels.last_mut() {
                    *level = Level::Variant;
                }
            }
            b'"' if levels.last() == Some(&Level::Expression) => {
                // to the closing quote (a backslash escapes the next byte) or the line's end
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    let escaped =
                        bytes[i] == b'\\' && bytes.get(i + 1).is_some_and(|b| *b != b'\n');
                    i += if escaped { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    cut.end_piece(piece_start..bytes.len());
    cut
}

impl Cut {
    /// Add `piece` unless it is empty; `false` (and reading stopped at its start) when there
    /// are [`MAX_PIECES`] already.
    fn end_piece(&mut self, piece: Range<usize>) -> bool {
        if piece.is_empty() {
            return true;
        }
        if self.pieces.len() == MAX_PIECES {
            self.stopped = Some(piece.start);
            return false;
        }
        self.pieces.push(piece);
        true
    }
}

/// Whether an entry can start at byte `i`: the start of a line, at a letter, `-` or `#`.
fn starts_entry(bytes: &[u8], i: usize) -> bool {
    let line_start = i == 0 || bytes.get(i - 1) == Some(&b'\n');
    line_start
        && bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'-' || *b == b'#')
}

/// The end of the line byte `i` is on: its line feed, or the end of the text.
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
        .map_or(bytes.len(), |n| i + n)
}

/// The start of the first line after byte `i` where an entry can start, or the end of the text.
fn next_entry(bytes: &[u8], i: usize) -> usize {
    let mut at = line_end(bytes, i) + 1;
    while at < bytes.len() && !starts_entry(bytes, at) {
        at = line_end(bytes, at) + 1;
    }
    at.min(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}x{}", "{ ".repeat(depth), " }".repeat(depth))
    }

    #[test]
    fn a_catalogue_without_deep_placeables_is_one_piece() {
        let text =
            "a = { $x ->\n    [one] { \"{{{\" }\n   *[other] \"{ b }\"\n}\n# { {\nc = { d }\n";
        let found = cut(text);
        assert_eq!(found.pieces.len(), 1);
        assert_eq!(found.pieces.first(), Some(&(0..text.len())));
        assert!(found.too_deep.is_empty());
    }

    #[test]
    fn the_limit_is_allowed_and_one_more_leaves_the_entry_out() {
        let fine = format!("a = {}\n", nested(MAX_PLACEABLE_DEPTH));
        assert_eq!(cut(&fine).too_deep, Vec::<usize>::new());
        let deep = format!(
            "a = 1\nb = {}\n  more\nc = 2\n",
            nested(MAX_PLACEABLE_DEPTH + 1)
        );
        let found = cut(&deep);
        let b = deep.find("b =").unwrap_or_default();
        let c = deep.find("c =").unwrap_or_default();
        assert_eq!(found.too_deep, vec![b + 4 + 2 * MAX_PLACEABLE_DEPTH]);
        assert_eq!(found.pieces, vec![0..b, c..deep.len()]);
    }

    #[test]
    fn a_placeable_left_open_at_an_entry_line_is_cut_there() {
        let text = "a = { $x\nb = { c }\n";
        assert_eq!(cut(text).pieces, vec![0..9, 9..text.len()]);
    }

    #[test]
    fn a_catalogue_cut_into_too_many_pieces_is_read_no_further() {
        let text = "a = {\n".repeat(2 * MAX_PIECES);
        let found = cut(&text);
        assert_eq!(found.pieces.len(), MAX_PIECES);
        assert_eq!(found.stopped, Some(MAX_PIECES * 6));
    }

    #[test]
    fn a_closing_brace_in_a_string_does_not_hide_depth() {
        // every level's `}` is in a string: the parser goes on descending
        let text = format!(
            "a = {}\n",
            "{ \"}\" ->\n *[x] ".repeat(MAX_PLACEABLE_DEPTH + 1)
        );
        assert_eq!(cut(&text).too_deep.len(), 1);
    }

    #[test]
    fn a_quote_in_a_variant_is_text() {
        // in a variant `"` is text, so the `{` after it opens a placeable
        let text = format!(
            "a = {{ $x ->\n *[y] \"{}\n}}\n",
            "{ ".repeat(MAX_PLACEABLE_DEPTH)
        );
        assert_eq!(cut(&text).too_deep.len(), 1);
    }
}
