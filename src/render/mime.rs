//! MIME: an email as an RFC 5322 message built with `mail-builder` (encoded headers,
//! multipart/alternative with a text and an HTML part, Date, Message-ID), and many as an mbox.
//!
//! Every header value is first made one line ([`crate::instance::one_line`]), so no name,
//! role or subject can start a header of its own. The multipart boundary is derived from the
//! content and checked against it, so output is reproducible and no part can close it early.

use super::{Email, Rendering};
use crate::instance::one_line;
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::MimePart;

/// The message as `.eml` bytes (CRLF line ends).
pub fn eml(rendering: &Rendering, email: &Email) -> Vec<u8> {
    let sender = &rendering.sender;
    let to = match &email.recipient.name {
        Some(name) => Address::new_address(Some(one_line(name)), email.recipient.address.clone()),
        None => Address::new_address(None::<String>, email.recipient.address.clone()),
    };
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
        .from(Address::new_address(
            Some(one_line(&sender.display_name)),
            sender.address.clone(),
        ))
        .to(to)
        .subject(one_line(&body.content.subject))
        .date(Date::new(rendering.sent_at))
        .message_id(MessageId::new(email.message_id.clone()))
        .header("Content-Language", Raw::new(one_line(&rendering.locale)))
        .header("Auto-Submitted", Raw::new("auto-generated"))
        .body(alternative)
        .write_to_vec()
        .unwrap_or_default()
}

/// Several messages as one mbox (mboxrd): each after a `From ` line, with body lines that
/// start with `From ` (after any `>`) quoted by one more `>`.
pub fn mbox(rendering: &Rendering) -> Vec<u8> {
    let mut mbox = Vec::new();
    let separator = format!("From pimrules {}\n", asctime(rendering.sent_at));
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

/// The date of an mbox `From ` line, `Mon Nov 23 07:17:13 2026`, from RFC 5322's
/// `Mon, 23 Nov 2026 07:17:13 +0000`.
fn asctime(timestamp: i64) -> String {
    let rfc822 = Date::new(timestamp).to_rfc822();
    match rfc822.split_whitespace().collect::<Vec<_>>().as_slice() {
        [weekday, day, month, year, time, _] => format!(
            "{} {month} {day:>2} {time} {year}",
            weekday.trim_end_matches(',')
        ),
        _ => rfc822,
    }
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

pub(super) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// 64-bit FNV-1a: a small hash that is the same on every platform and Rust release.
pub(super) fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
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
    fn mbox_separator_dates() {
        assert_eq!(asctime(1_736_242_200), "Tue Jan  7 09:30:00 2025");
    }

    #[test]
    fn the_boundary_avoids_the_content() {
        let plain = free_boundary(7, &[b"hello"]);
        let crafted = format!("text {plain} more");
        let avoided = free_boundary(7, &[crafted.as_bytes()]);
        assert_ne!(avoided, plain);
        assert!(!crafted.contains(&avoided));
        assert_eq!(boundary(&[b"hello"]), boundary(&[b"hello"]), "reproducible");
    }
}
