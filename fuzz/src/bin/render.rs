//! Fuzz target `render`: any bytes as a `render` instance (JSON) → the emails of the shipped
//! rules, as MIME, mbox and HTML. Never a panic; the cap and valid addresses always hold.
#![no_main]

use pimrules::instance::Instance;
use pimrules::render::{self, html, mime};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let shipped = pimrules_fuzz::shipped();
    let table = shipped.table();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(instance) = Instance::from_json(text) else {
        return;
    };
    let Ok(rendering) = render::render(table, shipped.english(), &instance, 0) else {
        return;
    };
    let cap = table.vocabulary.header.max_recipients.unwrap_or(u32::MAX) as usize;
    assert!(rendering.emails.len() <= cap);
    for email in &rendering.emails {
        assert!(pimrules::address::is_valid(&email.recipient.address));
        let message = mime::eml(&rendering, email);
        let headers = message
            .split(|b| *b == b'\n')
            .take_while(|l| l != b"\r" && !l.is_empty());
        for header in headers {
            assert!(
                header.len() <= 1000,
                "a header line longer than 998 characters"
            );
        }
        let _ = html::escape(&email.body.content.subject);
    }
    let _ = mime::mbox(&rendering);
});
