//! Reading `--directory`: the people of each recipient class, every class declared by one of
//! the rule sets (else a "did you mean"), and no key written twice in one object.

use crate::check::backticked_all;
use crate::diagnostic::did_you_mean;
use crate::instance::{InstanceError, Person, people_by_class, unique_keys};
use crate::ruleset::Vocabulary;
use serde_json::{Map, Value};

/// The people of `--directory`: `{"class": [{"name", "email", "activated"}]}`, each class
/// declared by at least one of the rule sets, and no key written twice in one object.
pub fn read_directory(
    text: &str,
    vocabularies: &[&Vocabulary],
) -> Result<Vec<(String, Vec<Person>)>, InstanceError> {
    let classes: Map<String, Value> = serde_json::from_str(text).map_err(|e| {
        let at = crate::json_location::offset_of(text, e.line(), e.column());
        InstanceError::new(
            format!(
                "invalid directory: {}",
                crate::json_location::strip_position(&e)
            ),
            crate::instance::Location::Range(at..(at + 1).min(text.len()).max(at)),
        )
        .help(r#"a directory is people by class: {"global-administrator": [{"name": "…", "email": "…"}]}"#)
    })?;
    unique_keys(text)?;
    let people = people_by_class(&classes, "")?;
    let mut known: Vec<&str> = vocabularies
        .iter()
        .flat_map(|v| v.recipients.iter().map(|c| c.name.as_str()))
        .collect();
    known.sort_unstable();
    known.dedup();
    if let Some((class, _)) = people
        .iter()
        .find(|(class, _)| known.binary_search(&class.as_str()).is_err())
    {
        let hint = did_you_mean(class, known.iter().copied())
            .unwrap_or_else(|| format!("the recipient classes are {}", backticked_all(&known)));
        return Err(InstanceError::at_literal(
            format!("unknown recipient class `{class}` in the directory"),
            class,
        )
        .help(hint));
    }
    Ok(people)
}
