//! The instance `render` reads: one event, its facts, the people it is about and the people of
//! each recipient class, as JSON. User text is cleaned here: no control, bidi or invisible mark.
//!
//! ```json
//! {"event": "role-assigned", "scope": "azure-resource",
//!  "facts": {"assignment": "active", "duration": "permanent"},
//!  "at": "2025-01-07T09:30:00Z",
//!  "role": "Backup Reader", "resource": "Contoso subscription", "organization": "Contoso",
//!  "assignee": {"name": "Alain Charon", "email": "alain@contoso.com"},
//!  "requestor": {…}, "approver": {…},
//!  "start": "2025-01-07 09:30 UTC", "end": "2025-07-07 09:30 UTC",
//!  "justification": "Quarterly restore test", "application": "Salesforce",
//!  "people": {"permanent-owner": [{"name": "…", "email": "…", "activated": true}]},
//!  "policy": [ /* Graph notification rules, or {"value": [...]} */ ],
//!  "more-failures": 4,
//!  "digest": {"users-activated": 3, "users-made-permanent": 1, "assignments-in-pim": 2,
//!             "assignments-outside-pim": 0, "top-roles": [{"role": "…", "admins": 4}]}}
//! ```
//!
//! Only `event` and `scope` are required. Names (event, scope, facts, classes) are resolved
//! against a rule set by the render stage, not here.

mod error;
mod people;
mod text;

pub use error::{InstanceError, JsonInput, Location};
pub use people::{Person, people_by_class};
pub use text::{MAX_TEXT_BYTES, one_line};

use crate::time::{TIME_HELP, TIME_RANGE_HELP, TimeError, parse_rfc3339};
use people::{RawPerson, person};
use serde::Deserialize;
use serde_json::{Map, Value};
use text::{paragraph, within_text_limit};

/// Largest instance `render` reads.
pub const MAX_INSTANCE_BYTES: u64 = 4 * 1024 * 1024;
/// Most addresses one instance may name: its `people` (all classes together) and the
/// additional addresses of the tenant policy that applies to it (see
/// [`recipients::within_limit`](crate::render::recipients::within_limit)).
pub const MAX_INSTANCE_PEOPLE: usize = 10_000;

/// One event to render, as read (names not yet resolved against a rule set).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Instance {
    pub event: String,
    pub scope: String,
    /// `(fact, value)` in the order given; JSON booleans as `true`/`false`
    pub facts: Vec<(String, String)>,
    /// when the emails are sent (`at`, RFC 3339), in seconds since the Unix epoch
    pub sent_at: Option<i64>,
    pub details: Details,
    /// the people of each recipient class, in the order given
    pub people: Vec<(String, Vec<Person>)>,
    /// the tenant policy, as Graph JSON text
    pub policy: Option<String>,
}

/// What the emails tell: the free text of an instance, each field cleaned and optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Details {
    pub assignee: Option<Person>,
    pub requestor: Option<Person>,
    pub approver: Option<Person>,
    pub role: Option<String>,
    pub resource: Option<String>,
    pub organization: Option<String>,
    pub application: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// may hold line breaks (never used in a header)
    pub justification: Option<String>,
    /// failures an earlier email did not report (`more-failures`: provisioning's daily limit)
    pub more_failures: Option<u64>,
    /// the weekly digest's counts and top roles (`digest`)
    pub digest: Option<Digest>,
}

/// What the weekly digest reports: the four counts of the week and the top roles.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Digest {
    #[serde(default)]
    pub users_activated: u64,
    #[serde(default)]
    pub users_made_permanent: u64,
    #[serde(default)]
    pub assignments_in_pim: u64,
    #[serde(default)]
    pub assignments_outside_pim: u64,
    /// roles by permanent plus eligible administrators, most first
    #[serde(default)]
    pub top_roles: Vec<TopRole>,
}

/// A role of the digest's top roles and how many permanent and eligible administrators hold it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopRole {
    pub role: String,
    pub admins: u64,
}

impl Details {
    /// The free-text fields by name, in the order emails show them.
    pub fn texts(&self) -> [(&'static str, Option<&String>); 7] {
        [
            ("role", self.role.as_ref()),
            ("resource", self.resource.as_ref()),
            ("organization", self.organization.as_ref()),
            ("application", self.application.as_ref()),
            ("start", self.start.as_ref()),
            ("end", self.end.as_ref()),
            ("justification", self.justification.as_ref()),
        ]
    }

    /// The numbers an instance reports, by field name, in the order emails show them: the
    /// failures not yet reported, then the digest's four counts and its top roles (one
    /// `role: admins` line each). Empty for most instances.
    pub fn counts(&self) -> Vec<(&'static str, String)> {
        let mut rows = Vec::new();
        if let Some(more) = self.more_failures {
            rows.push(("more-failures", more.to_string()));
        }
        if let Some(digest) = &self.digest {
            rows.extend([
                ("users-activated", digest.users_activated.to_string()),
                (
                    "users-made-permanent",
                    digest.users_made_permanent.to_string(),
                ),
                ("assignments-in-pim", digest.assignments_in_pim.to_string()),
                (
                    "assignments-outside-pim",
                    digest.assignments_outside_pim.to_string(),
                ),
            ]);
            if !digest.top_roles.is_empty() {
                let lines: Vec<String> = digest
                    .top_roles
                    .iter()
                    .map(|top| format!("{}: {}", top.role, top.admins))
                    .collect();
                rows.push(("top-roles", lines.join("\n")));
            }
        }
        rows
    }

    /// The people an email is about by name, each with the instance's `Person`.
    pub fn people(&self) -> [(&'static str, Option<&Person>); 3] {
        [
            ("assignee", self.assignee.as_ref()),
            ("requestor", self.requestor.as_ref()),
            ("approver", self.approver.as_ref()),
        ]
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstance {
    event: String,
    scope: String,
    #[serde(default)]
    facts: Map<String, Value>,
    at: Option<String>,
    assignee: Option<RawPerson>,
    requestor: Option<RawPerson>,
    approver: Option<RawPerson>,
    role: Option<String>,
    resource: Option<String>,
    organization: Option<String>,
    application: Option<String>,
    start: Option<String>,
    end: Option<String>,
    justification: Option<String>,
    #[serde(default)]
    people: Map<String, Value>,
    policy: Option<Value>,
    #[serde(rename = "more-failures")]
    more_failures: Option<u64>,
    digest: Option<Digest>,
}

impl Instance {
    /// Read an instance from JSON text. Syntax and shape errors are located by line and
    /// column (a value of the wrong type also by its path, `people.approver[0].email`), and
    /// so is a key written twice in one object ([`unique_keys`]); invalid addresses and times
    /// name the field and the value.
    pub fn from_json(text: &str) -> Result<Instance, InstanceError> {
        unique_keys(text)?;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let raw: RawInstance =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                let path = e.path().to_string();
                let e = e.into_inner();
                let at = crate::json_location::offset_of(text, e.line(), e.column());
                let message = crate::json_location::strip_position(&e);
                let message = match e.classify() {
                    serde_json::error::Category::Data if path != "." => {
                        format!("invalid instance: in `{path}`: {message}")
                    }
                    _ => format!("invalid instance: {message}"),
                };
                InstanceError::new(
                    message,
                    Location::Range(at..(at + 1).min(text.len()).max(at)),
                )
            })?;
        Instance::from_raw(raw)
    }

    /// Read an instance from parsed JSON (a line of a `simulate` log); a value of the wrong
    /// type is named by its path.
    pub fn from_value(value: Value) -> Result<Instance, InstanceError> {
        let raw: RawInstance = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            let message = if path == "." {
                message
            } else {
                format!("in `{path}`: {message}")
            };
            InstanceError::new(message, Location::Nowhere)
        })?;
        Instance::from_raw(raw)
    }

    fn from_raw(raw: RawInstance) -> Result<Instance, InstanceError> {
        let facts = raw
            .facts
            .iter()
            .map(|(name, value)| match value {
                Value::String(v) => Ok((name.clone(), v.clone())),
                Value::Bool(b) => Ok((name.clone(), b.to_string())),
                _ => Err(InstanceError::at_literal(
                    format!("the value of fact `{name}` must be a string or a boolean"),
                    name,
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let sent_at = raw
            .at
            .as_deref()
            .map(|at| read_time("at", at, TIME_HELP))
            .transpose()?;
        let texts = [
            ("role", &raw.role),
            ("resource", &raw.resource),
            ("organization", &raw.organization),
            ("application", &raw.application),
            ("start", &raw.start),
            ("end", &raw.end),
            ("justification", &raw.justification),
        ];
        for (field, text) in texts {
            if let Some(text) = text {
                within_text_limit(field, text)?;
            }
        }
        let people = people_by_class(&raw.people, "people.")?;
        let details = Details {
            assignee: raw.assignee.map(|p| person(p, "assignee")).transpose()?,
            requestor: raw.requestor.map(|p| person(p, "requestor")).transpose()?,
            approver: raw.approver.map(|p| person(p, "approver")).transpose()?,
            role: raw.role.as_deref().map(one_line),
            resource: raw.resource.as_deref().map(one_line),
            organization: raw.organization.as_deref().map(one_line),
            application: raw.application.as_deref().map(one_line),
            start: raw.start.as_deref().map(one_line),
            end: raw.end.as_deref().map(one_line),
            justification: raw.justification.as_deref().map(paragraph),
            more_failures: raw.more_failures,
            digest: raw.digest.map(|digest| Digest {
                top_roles: digest
                    .top_roles
                    .into_iter()
                    .map(|top| TopRole {
                        role: one_line(&top.role),
                        admins: top.admins,
                    })
                    .collect(),
                ..digest
            }),
        };
        Ok(Instance {
            event: raw.event,
            scope: raw.scope,
            facts,
            sent_at,
            details,
            people,
            policy: raw.policy.map(|p| p.to_string()),
        })
    }
}

/// Whether every object of the JSON `text` has keys that differ; else an error at the second
/// occurrence of the first key written twice. A reviewer reads the first, and JSON readers
/// (serde_json's maps among them) keep the last, so such a text says two things.
pub fn unique_keys(text: &str) -> Result<(), InstanceError> {
    match crate::json_location::duplicate_key(text) {
        None => Ok(()),
        Some((key, at)) => Err(InstanceError::new(
            format!("`{}` is given twice in one object", key.escape_debug()),
            Location::Range(at),
        )
        .help("a reader would see the first, most JSON tools the last; keep one")),
    }
}

/// The time `text` of the field `field` (RFC 3339, see [`parse_rfc3339`]),
/// or an error at its literal; `help` says how to write a time.
pub fn read_time(field: &str, text: &str, help: &str) -> Result<i64, InstanceError> {
    parse_rfc3339(text).map_err(|error| {
        let help = match error {
            TimeError::NotRfc3339 => help,
            TimeError::TooEarly | TimeError::TooLate => TIME_RANGE_HELP,
        };
        InstanceError::at_literal(error.describe(field, text), text).help(help)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_spec_example() {
        let instance = Instance::from_json(
            r#"{"event": "role-assigned", "scope": "azure-resource",
                "facts": {"assignment": "eligible", "duration": "permanent", "alert-enabled": true},
                "role": "Backup Reader",
                "assignee": {"name": "Alain Charon", "email": "alain@contoso.com"},
                "people": {"permanent-owner": [{"name": "Ola", "email": "ola@contoso.com"}], "approver": []}}"#,
        )
        .expect("valid");
        assert_eq!(instance.event, "role-assigned");
        assert_eq!(instance.facts[2], ("alert-enabled".into(), "true".into()));
        assert_eq!(instance.details.role.as_deref(), Some("Backup Reader"));
        assert_eq!(instance.people[0].0, "permanent-owner");
        assert!(instance.people[0].1[0].activated);
        assert_eq!(instance.people[1].1, []);
    }

    #[test]
    fn syntax_errors_are_located() {
        let text = "{\n  \"event\": \"role-assigned\",\n  \"scope\": }";
        let error = Instance::from_json(text).expect_err("broken");
        assert!(
            error
                .message
                .starts_with("invalid instance: expected value")
        );
        assert_eq!(&text[error.range_in(text).expect("located")], "}");
    }

    #[test]
    fn unknown_fields_and_invalid_addresses_are_named() {
        let error = Instance::from_json(r#"{"event": "e", "scope": "s", "rol": "x"}"#)
            .expect_err("unknown field");
        assert!(error.message.contains("unknown field `rol`"), "{error:?}");
        let error = Instance::from_json(
            r#"{"event": "e", "scope": "s", "people": {"approver": [{"email": "bob@"}]}}"#,
        )
        .expect_err("bad address");
        assert_eq!(
            error.message,
            "invalid address `bob@` in `people.approver[0].email`"
        );
    }

    #[test]
    fn a_key_given_twice_is_refused_at_the_second() {
        for (text, key) in [
            (
                r#"{"event": "e", "scope": "s", "role": "A", "role": "B"}"#,
                "role",
            ),
            (
                r#"{"event": "e", "scope": "s", "facts": {"f": "a", "f": "b"}}"#,
                "f",
            ),
            (
                r#"{"event": "e", "scope": "s", "policy": [{"id": "1", "id": "2"}]}"#,
                "id",
            ),
        ] {
            let error = Instance::from_json(text).expect_err("a key twice");
            assert_eq!(
                error.message,
                format!("`{key}` is given twice in one object")
            );
            let at = error.range_in(text).expect("located");
            assert_eq!(at.start, text.rfind(&format!("\"{key}\"")).expect("key"));
            assert!(error.help.is_some());
        }
    }

    #[test]
    fn wrong_types_are_named_by_their_path() {
        let error = Instance::from_json(r#"{"event": "e", "scope": "s", "role": 3}"#)
            .expect_err("a number for a role");
        assert_eq!(
            error.message,
            "invalid instance: in `role`: invalid type: integer `3`, expected a string"
        );
        let value = serde_json::json!({"event": "e", "scope": "s", "assignee": {"email": 1}});
        let error = Instance::from_value(value).expect_err("a number for an address");
        assert!(
            error
                .message
                .starts_with("in `assignee.email`: invalid type"),
            "{error:?}"
        );
    }

    #[test]
    fn counts_become_rows_in_order() {
        let instance = Instance::from_json(
            r#"{"event": "e", "scope": "s", "more-failures": 4,
                "digest": {"users-activated": 3, "assignments-outside-pim": 1,
                           "top-roles": [{"role": "Global\nAdministrator", "admins": 2},
                                         {"role": "Reader", "admins": 1}]}}"#,
        )
        .expect("valid");
        let rows = instance.details.counts();
        let names: Vec<&str> = rows.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            [
                "more-failures",
                "users-activated",
                "users-made-permanent",
                "assignments-in-pim",
                "assignments-outside-pim",
                "top-roles"
            ]
        );
        assert_eq!(rows[1].1, "3");
        assert_eq!(rows[2].1, "0", "a count not given is zero");
        assert_eq!(rows[5].1, "Global Administrator: 2\nReader: 1");
        assert!(
            Instance::from_json(r#"{"event": "e", "scope": "s"}"#)
                .expect("valid")
                .details
                .counts()
                .is_empty()
        );
    }

    #[test]
    fn times_out_of_range_or_unreadable_name_their_field() {
        let error = read_time("at", "9999-12-31T23:59:59-01:00", "how").expect_err("too late");
        assert_eq!(
            error.message,
            "`at` 9999-12-31T23:59:59-01:00 is after 9999-12-31T23:59:59Z, the latest time pimrules reads"
        );
        assert_eq!(error.help.as_deref(), Some(TIME_RANGE_HELP));
        let error = read_time("end", "soon", "how").expect_err("not a time");
        assert_eq!(error.message, "`end` is not an RFC 3339 time: `soon`");
        assert_eq!(error.help.as_deref(), Some("how"));
    }
}
