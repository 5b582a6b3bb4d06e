//! Neutral text: what input says, printed where it cannot do anything — no control or escape
//! sequence reaches a terminal or a CI log, no bidi or invisible mark reorders or hides text.
//!
//! Escaped (as `\u{1b}`): C0 and C1 controls but tab, line feed and the CR of a CRLF; DEL; the
//! bidi controls U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069 (Trojan Source); and the
//! invisible marks U+00AD, U+200B–U+200D, U+2060 and U+FEFF.

/// Whether a character must not be printed as is.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi(c) || is_invisible(c)
}

/// A bidirectional formatting character, which reorders the text around it.
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character that prints as nothing.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// `text` with every unsafe character written as `\u{…}`.
pub fn escape(text: &str) -> String {
    escape_mapped(text).0
}

/// [`escape`] for text that must stay on one line (a message, a name): line breaks too.
pub fn escape_line(text: &str) -> String {
    escape(text).replace('\r', "\\u{d}").replace('\n', "\\n")
}

/// [`escape`], and where each byte of `text` went: `map.at(offset)` is the offset in the result.
pub fn escape_mapped(text: &str) -> (String, OffsetMap) {
    let mut out = String::with_capacity(text.len());
    let mut shifts = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let crlf = c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n');
        if is_unsafe(c) && !crlf {
            let escaped = format!("\\u{{{:x}}}", c as u32);
            let growth = escaped.len() as isize - c.len_utf8() as isize;
            out.push_str(&escaped);
            shifts.push((at + c.len_utf8(), growth));
        } else {
            out.push(c);
        }
    }
    (out, OffsetMap { shifts })
}

/// Byte offsets of a text before and after [`escape_mapped`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// (offset just past an escaped character, how many bytes longer it became), in order
    shifts: Vec<(usize, isize)>,
}

impl OffsetMap {
    /// The offset in the escaped text of `offset` in the original.
    pub fn at(&self, offset: usize) -> usize {
        let passed = self.shifts.partition_point(|(end, _)| *end <= offset);
        let growth: isize = self.shifts[..passed].iter().map(|(_, g)| g).sum();
        offset.saturating_add_signed(growth)
    }
}

/// A file name for messages: as is when it is plain, else quoted with its unsafe characters
/// (and quotes, backslashes, spaces) escaped, so it can start nothing in a log.
pub fn file_name(name: &str) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | '<' | '>' | '@'));
    if plain && !name.is_empty() {
        return name.to_owned();
    }
    let mut quoted = String::from("\"");
    for c in name.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            c if is_unsafe(c) => quoted.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Text for a mail header or a subject: bidi and invisible marks removed, other unsafe
/// characters escaped.
pub fn header_text(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| !is_bidi(*c) && !is_invisible(*c))
        .collect();
    escape(&kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_invisible_marks_are_escaped() {
        assert_eq!(escape("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape("x\u{202e}y\u{200b}z"), "x\\u{202e}y\\u{200b}z");
        assert_eq!(escape("line\r\nnext\rcr\ttab"), "line\r\nnext\\u{d}cr\ttab");
        assert_eq!(escape("sch\u{f6}n"), "schön");
    }

    #[test]
    fn one_line_text_keeps_no_line_break() {
        assert_eq!(escape_line("a\nb\r\nc"), "a\\nb\\u{d}\\nc");
    }

    #[test]
    fn offsets_follow_the_escapes() {
        let text = "a\u{1b}b\u{202e}c";
        let (escaped, map) = escape_mapped(text);
        assert_eq!(&escaped[map.at(0)..map.at(1)], "a");
        let b = text.find('b').expect("b");
        assert_eq!(&escaped[map.at(b)..map.at(b + 1)], "b");
        let c = text.find('c').expect("c");
        assert_eq!(&escaped[map.at(c)..map.at(c + 1)], "c");
        assert_eq!(map.at(text.len()), escaped.len());
    }

    #[test]
    fn unusual_file_names_are_quoted() {
        assert_eq!(file_name("rules/a-b_c.pimrules"), "rules/a-b_c.pimrules");
        assert_eq!(file_name("x\n::error::y"), "\"x\\n::error::y\"");
        assert_eq!(file_name("my rules.pimrules"), "\"my rules.pimrules\"");
        assert_eq!(file_name("a\u{1b}b"), "\"a\\u{1b}b\"");
    }

    #[test]
    fn headers_lose_bidi_and_invisible_marks() {
        assert_eq!(
            header_text("Ada\u{200e} \u{feff}Lovelace\u{202e}"),
            "Ada Lovelace"
        );
    }
}
