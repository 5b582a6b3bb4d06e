//! The people of an instance: someone an email is about or sent to, read with a valid address
//! and a cleaned name, and the people of each recipient class.

use super::error::InstanceError;
use super::text::{one_line, within_text_limit};
use crate::address;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Someone an email is about or sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: Option<String>,
    /// a valid address (see [`address::is_valid`])
    pub email: String,
    /// `false`: the person's role is not active, so `while activated` classes skip them
    pub activated: bool,
}

impl Person {
    /// The name when given, else the address.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.email)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPerson {
    name: Option<String>,
    email: String,
    #[serde(default = "active_by_default")]
    activated: bool,
}

fn active_by_default() -> bool {
    true
}

/// People by recipient class, as an instance's `people` holds them (`{"approver": [{"name",
/// "email", "activated"}]}`), in the order given; errors name a class as `{prefix}{class}`.
pub fn people_by_class(
    classes: &Map<String, Value>,
    prefix: &str,
) -> Result<Vec<(String, Vec<Person>)>, InstanceError> {
    let mut people = Vec::with_capacity(classes.len());
    for (class, list) in classes {
        let list: Vec<RawPerson> = serde_json::from_value(list.clone()).map_err(|e| {
            InstanceError::at_literal(
                format!("`{prefix}{class}` must be a list of people: {e}"),
                class,
            )
            .help(r#"each person is {"name": "…", "email": "…", "activated": true}"#)
        })?;
        let list = list
            .into_iter()
            .enumerate()
            .map(|(i, p)| person(p, &format!("{prefix}{class}[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        people.push((class.clone(), list));
    }
    Ok(people)
}

/// A person with a valid address and a cleaned name; `field` names it in errors.
pub(super) fn person(raw: RawPerson, field: &str) -> Result<Person, InstanceError> {
    if let Some(name) = &raw.name {
        within_text_limit(&format!("{field}.name"), name)?;
    }
    if !address::is_valid(&raw.email) {
        return Err(InstanceError::at_literal(
            format!(
                "invalid address `{}` in `{field}.email`",
                raw.email.escape_debug()
            ),
            &raw.email,
        )
        .help(
            "an address is `local@domain.tld`, without spaces, angle brackets or a display name",
        ));
    }
    Ok(Person {
        name: raw.name.as_deref().map(one_line).filter(|n| !n.is_empty()),
        email: raw.email,
        activated: raw.activated,
    })
}
