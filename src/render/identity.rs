//! Message-IDs (RFC 5322 §3.6.4): each email's id is a 128-bit hash of everything that makes it
//! the email it is, so two different emails never share one and the same email always has it.
//!
//! The hash is 128-bit FNV-1a (the same on every platform and Rust release) over a sequence of
//! fields, each prefixed by its length so that no two sequences hash the same bytes: the
//! rule set and sender, the locale, the time, the whole instance (event, scope, facts, the
//! people named, every detail, the people of each class, the policy), the recipient (address
//! without regard to case, name, classes, template) and the final subject and both bodies.
//! FNV is not collision-resistant against input crafted to collide; it is unique for content
//! that is not.

use super::Body;
use super::recipients::Recipient;
use crate::instance::{Details, Digest, Instance, Person, TopRole};
use crate::ruleset::Sender;

const FNV128_OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
const FNV128_PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

/// A 128-bit FNV-1a hash being fed fields; `Copy`, so a shared prefix is hashed once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(u128);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(FNV128_OFFSET)
    }
}

impl Fingerprint {
    /// Feed raw bytes, with no length before them.
    fn raw(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u128::from(*byte);
            self.0 = self.0.wrapping_mul(FNV128_PRIME);
        }
    }

    /// Feed one field: its length, then its bytes.
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.raw(&(bytes.len() as u64).to_le_bytes());
        self.raw(bytes);
        self
    }

    /// Feed a text field.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.bytes(text.as_bytes())
    }

    /// Feed a number field.
    pub fn number(&mut self, number: u64) -> &mut Self {
        self.bytes(&number.to_le_bytes())
    }

    /// Feed an optional field: whether it is there, then the field itself.
    fn optional<T>(&mut self, value: Option<T>, feed: impl FnOnce(&mut Self, T)) -> &mut Self {
        match value {
            None => self.number(0),
            Some(value) => {
                self.number(1);
                feed(self, value);
                self
            }
        }
    }

    /// Feed an optional text field.
    fn optional_text(&mut self, text: Option<&str>) -> &mut Self {
        self.optional(text, |hash, text| {
            hash.text(text);
        })
    }

    /// The hash of every field fed so far.
    pub fn finish(&self) -> u128 {
        self.0
    }
}

/// What every email of one rendering shares: the rule set, its sender, the locale, the time
/// the emails are dated and the instance.
pub fn rendering(
    rule_set: &str,
    sender: &Sender,
    locale: &str,
    sent_at: i64,
    instance: &Instance,
) -> Fingerprint {
    let mut hash = Fingerprint::default();
    hash.text("pimrules message-id 1")
        .text(rule_set)
        .text(&sender.display_name)
        .text(&sender.address)
        .text(locale)
        .bytes(&sent_at.to_le_bytes());
    feed_instance(&mut hash, instance);
    hash
}

/// Feed every field of an instance (destructured, so a new field does not go unhashed).
fn feed_instance(hash: &mut Fingerprint, instance: &Instance) {
    let Instance {
        event,
        scope,
        facts,
        sent_at,
        details,
        people,
        policy,
    } = instance;
    hash.text(event).text(scope).number(facts.len() as u64);
    for (fact, value) in facts {
        hash.text(fact).text(value);
    }
    hash.optional(*sent_at, |hash, at| {
        hash.bytes(&at.to_le_bytes());
    });
    feed_details(hash, details);
    hash.number(people.len() as u64);
    for (class, list) in people {
        hash.text(class).number(list.len() as u64);
        for person in list {
            feed_person(hash, person);
        }
    }
    hash.optional_text(policy.as_deref());
}

/// Feed what an instance tells: the people it is about, its free text and its numbers.
fn feed_details(hash: &mut Fingerprint, details: &Details) {
    let Details {
        assignee,
        requestor,
        approver,
        role,
        resource,
        organization,
        application,
        start,
        end,
        justification,
        more_failures,
        digest,
    } = details;
    for person in [assignee, requestor, approver] {
        hash.optional(person.as_ref(), feed_person);
    }
    for text in [
        role,
        resource,
        organization,
        application,
        start,
        end,
        justification,
    ] {
        hash.optional_text(text.as_deref());
    }
    hash.optional(*more_failures, |hash, more| {
        hash.number(more);
    });
    hash.optional(digest.as_ref(), feed_digest);
}

/// Feed a person: name, address as written and whether their role is active.
fn feed_person(hash: &mut Fingerprint, person: &Person) {
    let Person {
        name,
        email,
        activated,
    } = person;
    hash.optional_text(name.as_deref())
        .text(email)
        .number(u64::from(*activated));
}

/// Feed the weekly digest's counts and top roles.
fn feed_digest(hash: &mut Fingerprint, digest: &Digest) {
    let Digest {
        users_activated,
        users_made_permanent,
        assignments_in_pim,
        assignments_outside_pim,
        top_roles,
    } = digest;
    hash.number(*users_activated)
        .number(*users_made_permanent)
        .number(*assignments_in_pim)
        .number(*assignments_outside_pim)
        .number(top_roles.len() as u64);
    for TopRole { role, admins } in top_roles {
        hash.text(role).number(*admins);
    }
}

/// The hash of an email's final words: its subject and both bodies.
pub fn body(body: &Body) -> u128 {
    let mut hash = Fingerprint::default();
    hash.text(&body.content.subject)
        .text(&body.text)
        .text(&body.html);
    hash.finish()
}

/// The Message-ID (without angle brackets) of the `number`th email of a rendering, to
/// `recipient`, saying the words whose [`body`] hash is `body`:
/// `pimrules.<32 hex digits>.<number>@<domain>`, a dot-atom on both sides of the `@`.
pub fn message_id(
    rendering: Fingerprint,
    recipient: &Recipient,
    body: u128,
    number: usize,
    domain: &str,
) -> String {
    let mut hash = rendering;
    hash.text(&recipient.address.to_ascii_lowercase())
        .optional_text(recipient.name.as_deref())
        .number(recipient.classes.len() as u64);
    for class in &recipient.classes {
        hash.number(class.0 as u64);
    }
    hash.number(recipient.template.0 as u64)
        .bytes(&body.to_le_bytes());
    format!("pimrules.{:032x}.{number}@{domain}", hash.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The raw 128-bit FNV-1a of `bytes`.
    fn fnv1a_128(bytes: &[u8]) -> u128 {
        let mut hash = Fingerprint::default();
        hash.raw(bytes);
        hash.finish()
    }

    #[test]
    fn fnv1a_128_matches_the_reference_values() {
        assert_eq!(fnv1a_128(b""), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(fnv1a_128(b"a"), 0xd228cb696f1a8caf78912b704e4a8964);
        assert_eq!(fnv1a_128(b"foobar"), 0x343e1662793c64bf6f0d3597ba446f18);
    }

    #[test]
    fn fields_are_delimited() {
        let hash = |fields: &[&str]| {
            let mut hash = Fingerprint::default();
            for field in fields {
                hash.text(field);
            }
            hash.finish()
        };
        assert_ne!(hash(&["ab", "c"]), hash(&["a", "bc"]));
        assert_ne!(hash(&["abc"]), hash(&["abc", ""]));
        let mut none = Fingerprint::default();
        none.optional_text(None).optional_text(Some(""));
        let mut swapped = Fingerprint::default();
        swapped.optional_text(Some("")).optional_text(None);
        assert_ne!(none, swapped);
    }
}
