//! JSON text, read and written alike: a byte-order mark ignored, a serde_json error located by
//! byte offset and stripped of its position suffix, a key written twice in one object found where
//! it is; and JSON written on one line, as the language writes a shape.

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

/// serde_json's message without its " at line L column C" suffix (pimrules shows the location).
pub fn strip_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

/// Byte offset of a 1-based line and column (serde_json counts columns in bytes).
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// The UTF-8 byte-order mark, which Windows PowerShell 5.1 and Notepad write before the text.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// `bytes` without the byte-order mark that may start them: it says only that the text is
/// UTF-8, and is not part of the JSON (so line 1, column 1 is the character after it).
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// The first key written twice in one object, anywhere in `text` (the first repetition in
/// reading order), and the bytes of its second occurrence, quotes included. `None` when every
/// object's keys differ, or when `text` is not JSON (its reader reports that).
///
/// One pass of serde_json that keeps nothing but the keys of the objects open, so it costs
/// little next to reading the text, and nests no deeper than serde_json does (128).
pub fn duplicate_key(text: &str) -> Option<(String, Range<usize>)> {
    let mut keys = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let error = Unique { keys: &mut keys }
        .deserialize(&mut deserializer)
        .err()?;
    // every value is accepted, so the only error about the data is a repeated key
    if error.classify() != serde_json::error::Category::Data {
        return None;
    }
    // serde_json places that error on the last byte it read: the key's closing quote, or a
    // blank after it
    let read = offset_of(text, error.line(), error.column()) + 1;
    let range = key_ending_before(text, read)?;
    let key = serde_json::from_str::<String>(text.get(range.clone())?).ok()?;
    Some((key, range))
}

/// The string literal that ends `text[..end]`, blanks after it aside.
fn key_ending_before(text: &str, end: usize) -> Option<Range<usize>> {
    let before = text.get(..end)?.trim_end_matches([' ', '\t', '\n', '\r']);
    let close = before.len().checked_sub(1)?;
    if !before.ends_with('"') {
        return None;
    }
    // inside a literal every quote is escaped: preceded by an odd number of backslashes
    let mut open = close;
    loop {
        open = before[..open].rfind('"')?;
        let backslashes = before[..open]
            .bytes()
            .rev()
            .take_while(|b| *b == b'\\')
            .count();
        if backslashes % 2 == 0 {
            return Some(open..close + 1);
        }
    }
}

/// Keys an object compares one by one; past them it puts its keys in a hash set.
const FEW_KEYS: usize = 16;

/// A JSON value read only to check that no object repeats a key; the error is the repetition.
/// `keys` holds the keys of the open objects, outermost first, so one buffer serves them all
/// and a small object allocates nothing.
struct Unique<'k, 'de> {
    keys: &'k mut Vec<Cow<'de, str>>,
}

impl<'de> DeserializeSeed<'de> for Unique<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut elements: A) -> Result<(), A::Error> {
        while elements
            .next_element_seed(Unique {
                keys: &mut *self.keys,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<(), A::Error> {
        let start = self.keys.len();
        // the keys of a large object, once it has more than a few
        let mut many: Option<HashSet<Cow<'de, str>>> = None;
        while let Some(Key(key)) = members.next_key()? {
            let repeated = match &mut many {
                Some(set) => !set.insert(key),
                None if self.keys[start..].contains(&key) => true,
                None => {
                    self.keys.push(key);
                    if self.keys.len() - start > FEW_KEYS {
                        many = Some(self.keys.drain(start..).collect());
                    }
                    false
                }
            };
            if repeated {
                return Err(de::Error::custom("a key is given twice in one object"));
            }
            members.next_value_seed(Unique {
                keys: &mut *self.keys,
            })?;
        }
        self.keys.truncate(start);
        Ok(())
    }
}

/// An object's key, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads a [`Key`].
struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }
}

/// JSON text as the language writes it: one line, `": "` after keys and `", "` between
/// members, members in the order written.
pub fn canonical_json(text: &str) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(one_line(&value))
}

/// `value` on one line, as [`canonical_json`] writes it.
pub fn one_line(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// Write `value` on one line: `": "` after keys, `", "` between members and items.
fn write_value(out: &mut String, value: &serde_json::Value) {
    match value {
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        serde_json::Value::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&serde_json::Value::from(key.as_str()).to_string());
                out.push_str(": ");
                write_value(out, item);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The duplicate of `text` and the text of its range.
    fn found(text: &str) -> Option<(String, &str)> {
        duplicate_key(text).map(|(key, range)| (key, &text[range]))
    }

    #[test]
    fn the_second_occurrence_is_found_at_any_depth() {
        let text = "{\"a\": {\"b\": 1, \"b\": 2}}";
        assert_eq!(duplicate_key(text), Some(("b".to_owned(), 15..18)));
        let text = "{\"a\": [1, {\"x\": {}, \"y\": [{\"z\": 1, \"z\" : 2}]}], \"a\": 3}";
        assert_eq!(found(text), Some(("z".to_owned(), "\"z\"")));
        let text = "{\n  \"a\": 1,\n  \"a\"\n  : 2\n}";
        assert_eq!(found(text), Some(("a".to_owned(), "\"a\"")));
    }

    #[test]
    fn large_objects_are_checked_in_a_set() {
        let members: Vec<String> = (0..1000)
            .map(|i| format!("\"k{i}\": {{\"a\": {i}}}"))
            .collect();
        let text = format!("{{{}}}", members.join(", "));
        assert_eq!(duplicate_key(&text), None);
        let text = format!("{{{}, \"k999\": 1}}", members.join(", "));
        assert_eq!(found(&text), Some(("k999".to_owned(), "\"k999\"")));
        let text = format!(
            "{{{}, \"last\": {{\"a\": 1, \"a\": 2}}}}",
            members.join(", ")
        );
        assert_eq!(found(&text), Some(("a".to_owned(), "\"a\"")));
    }

    #[test]
    fn escaped_keys_are_compared_as_read() {
        let text = r#"{"a\"b": 1, "\u0061\"b": 2}"#;
        assert_eq!(found(text), Some(("a\"b".to_owned(), r#""\u0061\"b""#)));
        let text = r#"{"a\\": 1, "a\\": 2}"#;
        assert_eq!(found(text), Some(("a\\".to_owned(), r#""a\\""#)));
        let text = "{\"\u{e5}sa\": 1, \"\u{e5}sa\": 2}";
        assert_eq!(found(text), Some(("\u{e5}sa".to_owned(), "\"\u{e5}sa\"")));
    }

    #[test]
    fn different_keys_and_broken_json_find_nothing() {
        for text in [
            "{\"a\": 1, \"b\": {\"a\": 1}, \"c\": [{\"a\": 1}, {\"a\": 2}]}",
            "[1, \"two\", null, true, 3.5, -4, {}]",
            "{\"a\": 1, \"b\"",
            "not JSON",
            "",
        ] {
            assert_eq!(duplicate_key(text), None, "{text}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_dropped_once() {
        assert_eq!(without_bom(b"\xef\xbb\xbf{}"), b"{}");
        assert_eq!(without_bom(b"{}"), b"{}");
        assert_eq!(
            without_bom(b"\xef\xbb\xbf\xef\xbb\xbf{}"),
            b"\xef\xbb\xbf{}"
        );
    }

    #[test]
    fn json_is_written_on_one_line() {
        assert_eq!(
            canonical_json("{\"a\" :[1,{\"b\":null}],\t\"c\":\"\\u00e9\"}"),
            Ok("{\"a\": [1, {\"b\": null}], \"c\": \"é\"}".to_owned())
        );
    }
}
