//! The cleaning of user text: free text within its length limit, made one line (no control,
//! bidi or invisible mark, no line break) or a paragraph that keeps its line breaks.

use super::error::{InstanceError, Location};
use crate::neutral;

/// Longest free text of an instance (a name, the role, the justification, …), in bytes.
pub const MAX_TEXT_BYTES: usize = 4 * 1024;

/// A free-text field no longer than [`MAX_TEXT_BYTES`].
pub(super) fn within_text_limit(field: &str, text: &str) -> Result<(), InstanceError> {
    if text.len() <= MAX_TEXT_BYTES {
        return Ok(());
    }
    Err(InstanceError::limit(
        format!(
            "`{field}` is {} bytes long, more than {MAX_TEXT_BYTES}",
            text.len()
        ),
        Location::Literal(text.to_owned()),
    ))
}

/// Text for one line (names, roles, subjects, every header): the bidi controls and invisible
/// marks of [`neutral`] removed, so the text is what a reader sees and nothing reorders it;
/// every other character [`neutral::is_unsafe`] names (C0, DEL, C1) and every line break (line
/// feed, CR, U+2028, U+2029) a space, so nothing can start a line or a header; runs of
/// whitespace collapsed to one.
pub fn one_line(text: &str) -> String {
    if is_one_line(text) {
        return text.to_owned();
    }
    let spaced: String = text
        .chars()
        .filter(|c| !neutral::is_bidi(*c) && !neutral::is_invisible(*c))
        .map(|c| if neutral::is_unsafe(c) { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `text` is already what [`one_line`] makes of it (most text is): words apart by one
/// space, and nothing to remove or replace.
fn is_one_line(text: &str) -> bool {
    // true at the start, so a leading space is not one line
    let mut after_space = true;
    for c in text.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if c.is_whitespace() || neutral::is_unsafe(c) {
            return false;
        } else {
            after_space = false;
        }
    }
    !after_space || text.is_empty()
}

/// Text that may span lines (a justification): line breaks kept as `\n`, every other unsafe
/// character a space.
pub(super) fn paragraph(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split(['\n', '\r'])
        .map(one_line)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_survive_in_one_line_text() {
        let cleaned = one_line("Eve\r\nBcc: mallory@evil.example\u{0}\u{85}\u{2028}\u{202E}x");
        assert_eq!(cleaned, "Eve Bcc: mallory@evil.example x");
        assert!(!cleaned.chars().any(|c| neutral::is_unsafe(c) || c == '\n'));
        assert_eq!(paragraph("one\r\ntwo\u{7}\rthree "), "one\ntwo\nthree");
    }

    #[test]
    fn bidi_controls_and_invisible_marks_are_removed_from_one_line_text() {
        let marked = concat!(
            "\u{feff}Ada\u{200e}\u{200f}\u{61c} Love\u{ad}lace",
            "\u{200b}\u{200c}\u{200d}\u{2060}\u{202e}\u{2066}\u{2069}"
        );
        assert_eq!(one_line(marked), "Ada Lovelace");
        assert_eq!(one_line("a \u{200b} b\u{2029}\u{2028}c"), "a b c");
        assert_eq!(paragraph("one\u{200f}\ntwo\u{feff}"), "one\ntwo");
    }

    #[test]
    fn clean_text_is_kept_as_it_is() {
        for text in ["", "Ada", "Ada Lovelace", "Björn Öberg (IT)"] {
            assert!(is_one_line(text), "{text:?}");
            assert_eq!(one_line(text), text);
        }
        for text in [
            " Ada",
            "Ada ",
            "Ada  Lovelace",
            "Ada\tL",
            "Ada\u{a0}L",
            " ",
            "A\u{200b}",
        ] {
            assert!(!is_one_line(text), "{text:?}");
            assert_ne!(one_line(text), text);
        }
    }
}
