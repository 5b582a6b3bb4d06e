//! The facts of an event from `FACT=VALUE` settings (the command line's `--set`, an instance's
//! `facts`), over the declared defaults; an unknown fact or value names the valid ones.

use crate::check::backticked_all;
use crate::diagnostic::did_you_mean;
use crate::ruleset::{FactId, FactValues, Vocabulary};

/// A setting that names no declared fact, or a value outside the fact's domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactError(pub String);

impl std::fmt::Display for FactError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Apply `(fact, value)` settings over the defaults. A fact set twice is an error.
pub fn parse_settings<'a>(
    vocabulary: &Vocabulary,
    settings: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<FactValues, FactError> {
    let mut values = FactValues::defaults(vocabulary);
    let mut seen: Vec<&str> = Vec::new();
    for (name, value) in settings {
        let Some(id) = vocabulary.fact(name) else {
            let names: Vec<&str> = vocabulary.facts.iter().map(|f| f.name.as_str()).collect();
            let hint = did_you_mean(name, names.iter().copied())
                .unwrap_or_else(|| format!("the facts are {}", backticked_all(&names)));
            return Err(FactError(format!("unknown fact `{name}`; {hint}")));
        };
        if seen.contains(&name) {
            return Err(FactError(format!("fact `{name}` is set twice")));
        }
        seen.push(name);
        let fact = &vocabulary.facts[id.0];
        let Some(index) = fact.value_index(value) else {
            return Err(FactError(format!(
                "`{value}` is not a value of `{name}`; its values are {}",
                backticked_all(fact.values())
            )));
        };
        values.set(FactId(id.0), index);
    }
    Ok(values)
}

/// Split `FACT=VALUE`.
pub fn split_setting(setting: &str) -> Result<(&str, &str), FactError> {
    setting
        .split_once('=')
        .map(|(f, v)| (f.trim(), v.trim()))
        .filter(|(f, v)| !f.is_empty() && !v.is_empty())
        .ok_or_else(|| FactError(format!("`{setting}` is not of the form FACT=VALUE")))
}
