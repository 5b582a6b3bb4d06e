//! MIME: an email as an RFC 5322 message built with `mail-builder` (encoded headers,
//! multipart/alternative with a text and an HTML part, Date, Message-ID), and many as an mbox.
//!
//! Every header value is first made one line ([`crate::instance::one_line`]), so no name,
//! role or subject can start a header of its own, and no bidi control or invisible mark
//! ([`crate::neutral`]) reaches `From`, `To` or `Subject`. A display name or subject that
//! holds `=?` could be read as an RFC 2047 encoded-word (`=?utf-8?q?ceo=40contoso.com?=` shows
//! as `ceo@contoso.com`), and `mail-builder` writes ASCII as it is, so such text is written as
//! "B" encoded-words of itself: a client decodes them once, to the text as given. The multipart
//! boundary is derived from the content and checked against it, so output is reproducible and
//! no part can close it early.

use super::{Email, Rendering};
use crate::instance::one_line;
use crate::time;
use base64::prelude::{BASE64_STANDARD, Engine as _};
use mail_builder::MessageBuilder;
use mail_builder::headers::HeaderType;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::mime::MimePart;

/// The message as `.eml` bytes (CRLF line ends).
pub fn eml(rendering: &Rendering, email: &Email) -> Vec<u8> {
    let sender = &rendering.sender;
    let recipient = &email.recipient;
    let body = &email.body;
    let boundary = boundary(&[body.text.as_bytes(), body.html.as_bytes()]);
    let alternative = MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", boundary),
        vec![
            MimePart::new(
                ContentType::new("text/plain").attribute("charset", "utf-8"),
                body.text.as_str(),
            ),
            MimePart::new(
                ContentType::new("text/html").attribute("charset", "utf-8"),
                body.html.as_str(),
            ),
        ],
    );
    MessageBuilder::new()
        .header(
            "From",
            mailbox("From", Some(&sender.display_name), &sender.address),
        )
        .header(
            "To",
            mailbox("To", recipient.name.as_deref(), &recipient.address),
        )
        .header("Subject", subject(&body.content.subject))
        .header("Date", Raw::new(time::rfc5322(rendering.sent_at)))
        .message_id(MessageId::new(email.message_id.clone()))
        .header("Content-Language", Raw::new(one_line(&rendering.locale)))
        .header("Auto-Submitted", Raw::new("auto-generated"))
        .body(alternative)
        .write_to_vec()
        .unwrap_or_default()
}

/// Longest line that holds an encoded-word (RFC 2047 §2), and longest encoded-word.
const ENCODED_LINE: usize = 76;
const ENCODED_WORD: usize = 75;
/// What a "B" encoded-word adds around its base64.
const B_OPEN: &str = "=?utf-8?B?";
const B_CLOSE: &str = "?=";

/// Whether a client could read part of `text` as an encoded-word: every one starts with `=?`.
fn looks_encoded(text: &str) -> bool {
    text.contains("=?")
}

/// The value of the `field` header (`From`, `To`) for one mailbox: `mail-builder`'s, or, when
/// the name looks encoded, its encoded-words and the address.
fn mailbox<'x>(field: &str, name: Option<&str>, address: &'x str) -> HeaderType<'x> {
    let name = name.map(one_line);
    match name {
        Some(name) if looks_encoded(&name) => {
            let column = field.len() + ": ".len();
            let mut value = encoded_words(&name, column);
            // an address is valid, so never holds these; the value stays one header
            let address: String = address
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            let last_line = value
                .rsplit_once("\r\n")
                .map_or(column + value.len(), |(_, last)| last.len());
            if last_line + " <>".len() + address.len() <= ENCODED_LINE {
                value.push(' ');
            } else {
                value.push_str("\r\n ");
            }
            value.push('<');
            value.push_str(&address);
            value.push('>');
            Raw::new(value).into()
        }
        name => Address::new_address(name, address).into(),
    }
}

/// The Subject header's value: `mail-builder`'s, or encoded-words when the subject looks encoded.
fn subject(subject: &str) -> HeaderType<'static> {
    let subject = one_line(subject);
    if looks_encoded(&subject) {
        Raw::new(encoded_words(&subject, "Subject: ".len())).into()
    } else {
        Text::new(subject).into()
    }
}

/// `text` as "B" encoded-words of whole characters, each on a line of its own of at most 76
/// characters, the first after `column` characters; decoding joins them back into `text`
/// (RFC 2047 §6.2: the folding white space between encoded-words is dropped).
fn encoded_words(text: &str, column: usize) -> String {
    let mut words = Vec::new();
    let mut rest = text;
    let mut room = ENCODED_LINE.saturating_sub(column).min(ENCODED_WORD);
    while !rest.is_empty() {
        // base64 writes 4 characters for every 3 bytes
        let budget = room.saturating_sub(B_OPEN.len() + B_CLOSE.len()) / 4 * 3;
        let (chunk, tail) = rest
            .split_at_checked(prefix_len(rest, budget))
            .unwrap_or((rest, ""));
        words.push(format!(
            "{B_OPEN}{}{B_CLOSE}",
            BASE64_STANDARD.encode(chunk.as_bytes())
        ));
        rest = tail;
        room = ENCODED_LINE - " ".len();
    }
    words.join("\r\n ")
}

/// The length of the longest prefix of `text` of whole characters within `budget` bytes; at
/// least one character, so every word makes progress.
fn prefix_len(text: &str, budget: usize) -> usize {
    let mut end = 0;
    for (at, c) in text.char_indices() {
        let next = at + c.len_utf8();
        if next > budget && end > 0 {
            break;
        }
        end = next;
    }
    end
}

/// Several messages as one mbox (mboxrd): each after a `From ` line, with body lines that
/// start with `From ` (after any `>`) quoted by one more `>`.
pub fn mbox(rendering: &Rendering) -> Vec<u8> {
    let mut mbox = Vec::new();
    let separator = format!("From pimrules {}\n", time::asctime(rendering.sent_at));
    for email in &rendering.emails {
        mbox.extend_from_slice(separator.as_bytes());
        let message = eml(rendering, email);
        for line in message.split_inclusive(|b| *b == b'\n') {
            let line = line.strip_suffix(b"\r\n").unwrap_or(line);
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            let unquoted = line.iter().position(|b| *b != b'>').unwrap_or(line.len());
            if line[unquoted..].starts_with(b"From ") {
                mbox.push(b'>');
            }
            mbox.extend_from_slice(line);
            mbox.push(b'\n');
        }
        mbox.push(b'\n');
    }
    mbox
}

/// A multipart boundary that occurs in none of the parts: `=_` cannot appear in a
/// quoted-printable or base64 part, and the raw parts are checked.
fn boundary(parts: &[&[u8]]) -> String {
    free_boundary(
        parts
            .iter()
            .fold(FNV_OFFSET, |hash, part| fnv1a(hash, part)),
        parts,
    )
}

/// The first boundary from `seed` on that none of the parts contains.
fn free_boundary(mut seed: u64, parts: &[&[u8]]) -> String {
    loop {
        let candidate = format!("=_pimrules_{seed:016x}");
        let clashes = parts.iter().any(|part| {
            part.windows(candidate.len())
                .any(|window| window == candidate.as_bytes())
        });
        if !clashes {
            return candidate;
        }
        seed = fnv1a(seed, b"again");
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// 64-bit FNV-1a: a small hash that is the same on every platform and Rust release.
fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boundary_avoids_the_content() {
        let plain = free_boundary(7, &[b"hello"]);
        let crafted = format!("text {plain} more");
        let avoided = free_boundary(7, &[crafted.as_bytes()]);
        assert_ne!(avoided, plain);
        assert!(!crafted.contains(&avoided));
        assert_eq!(boundary(&[b"hello"]), boundary(&[b"hello"]), "reproducible");
    }

    #[test]
    fn encoded_words_fit_their_lines_and_split_between_characters() {
        let text = format!("=?utf-8?q?{}?=", "Å".repeat(40));
        let words = encoded_words(&text, "Subject: ".len());
        let lines: Vec<&str> = words.split("\r\n").collect();
        assert!(lines.len() > 1, "{words}");
        assert!(
            "Subject: ".len() + lines[0].len() <= ENCODED_LINE,
            "{words}"
        );
        let mut decoded = Vec::new();
        for line in &lines {
            assert!(line.len() <= ENCODED_LINE, "{line}");
            let word = line.trim_start();
            assert!(word.len() <= ENCODED_WORD, "{word}");
            let payload = word
                .strip_prefix(B_OPEN)
                .and_then(|w| w.strip_suffix(B_CLOSE))
                .unwrap_or_default();
            let bytes = decode(payload);
            assert!(
                std::str::from_utf8(&bytes).is_ok(),
                "a character split in {word}"
            );
            decoded.extend(bytes);
        }
        assert_eq!(
            String::from_utf8(decoded).ok().as_deref(),
            Some(text.as_str())
        );
        assert_eq!(prefix_len("Åx", 1), "Å".len(), "at least one character");
        assert!(!looks_encoded("Alain Charon ?= x"));
        assert!(looks_encoded("a =?b"));
    }

    /// Base64 back to bytes, for the test above.
    fn decode(text: &str) -> Vec<u8> {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let sextets: Vec<u32> = text
            .bytes()
            .filter_map(|b| ALPHABET.iter().position(|a| *a == b))
            .map(|p| p as u32)
            .collect();
        let mut bytes = Vec::new();
        for group in sextets.chunks(4) {
            let value = group.iter().fold(0, |acc, s| acc << 6 | s) << (6 * (4 - group.len()));
            let count = group.len() * 6 / 8;
            bytes.extend(&value.to_be_bytes()[1..=count]);
        }
        bytes
    }
}
