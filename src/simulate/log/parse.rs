//! Parsing one line against the rule sets of a simulation: an occurrence routed to the rule
//! set that declares it, with the ids its event needs, or the removal of an assignment.

use super::error::{LogError, column};
use crate::instance::{Instance, InstanceError, read_time, unique_keys};
use crate::load::RuleSource;
use crate::ruleset::Vocabulary;
use crate::simulate::{
    APPROVAL_PENDING, Change, Occurrence, PROVISIONING_FAILURE, REQUEST_APPROVED, TimedEvent,
    digest,
};
use crate::time::TIME_HELP;
use crate::{pipeline, render, shipped};
use serde_json::{Map, Value};
use std::cell::OnceCell;

/// The fields a line may have besides an instance's.
const REQUEST: &str = "request";
const ASSIGNMENT: &str = "assignment";
const REMOVED: &str = "removed";

/// Reads lines against the rule sets of a simulation.
pub struct LineReader<'a> {
    vocabularies: Vec<&'a Vocabulary>,
    /// the shipped rule sets, built the first time a line names what none given declares
    shipped: OnceCell<Vec<Vocabulary>>,
}

impl<'a> LineReader<'a> {
    /// `vocabularies` of the rule sets, in the order given: a line goes to the first that
    /// declares its event and its scope.
    pub fn new(vocabularies: Vec<&'a Vocabulary>) -> Self {
        LineReader {
            vocabularies,
            shipped: OnceCell::new(),
        }
    }

    /// An event and scope no rule set given declares: the shipped rule set that does, if any.
    fn shipped_hint(&self, instance: &Instance) -> Option<String> {
        let shipped = self.shipped.get_or_init(|| {
            let sources: Vec<RuleSource> = shipped::RULE_SETS
                .iter()
                .map(|name| RuleSource::Shipped((*name).to_owned()))
                .collect();
            pipeline::build(&sources)
                .map(|build| {
                    build
                        .compiled
                        .into_iter()
                        .map(|c| c.table.vocabulary)
                        .collect()
                })
                .unwrap_or_default()
        });
        let declaring = shipped
            .iter()
            .find(|v| v.event(&instance.event).is_some() && v.scope(&instance.scope).is_some())?;
        let name = &declaring.header.name;
        Some(format!(
            "`{}` in `{}` is declared by the shipped rule set `{name}`: add it with `--rules {name}`",
            instance.event, instance.scope
        ))
    }

    /// The event of line number `line`, whose text is `text`.
    pub fn read(&self, line: usize, text: &str) -> Result<TimedEvent, LogError> {
        let located = |error: InstanceError| LogError::from_instance(line, text, error);
        let value: Value = serde_json::from_str(text).map_err(|e| LogError {
            column: column(text, crate::json_location::offset_of(text, 1, e.column())),
            ..LogError::new(
                line,
                format!("invalid JSON: {}", crate::json_location::strip_position(&e)),
            )
        })?;
        unique_keys(text).map_err(located)?;
        let Value::Object(mut fields) = value else {
            return Err(
                LogError::new(line, "a line of the log must be a JSON object")
                    .help(r#"each line is an event: {"at": "…", "event": "…", "scope": "…", …}"#),
            );
        };
        let request = take_string(&mut fields, REQUEST).map_err(located)?;
        let assignment = take_string(&mut fields, ASSIGNMENT).map_err(located)?;
        if let Some(removed) = fields.remove(REMOVED) {
            return removal(line, text.len(), fields, removed, assignment).map_err(located);
        }
        let instance = Instance::from_value(Value::Object(fields)).map_err(located)?;
        let at = instance.sent_at.ok_or_else(|| {
            LogError::new(
                line,
                "`at` is missing: every line needs the time of its event",
            )
            .help(r#"add "at": "2025-01-07T09:30:00Z""#)
        })?;
        let (rule_set, vocabulary) = self
            .route(&instance)
            .ok_or_else(|| LogError::new(line, "no rule set was given"))?;
        let facts = render::resolve_facts(vocabulary, &instance).map_err(|error| {
            let declared = vocabulary.event(&instance.event).is_some()
                && vocabulary.scope(&instance.scope).is_some();
            match self.shipped_hint(&instance).filter(|_| !declared) {
                Some(hint) => located(error).help(hint),
                None => located(error),
            }
        })?;
        let event = instance.event.as_str();
        let required = |field: &str, given: bool, why: &str| {
            if given {
                Ok(())
            } else {
                Err(LogError::new(line, format!("`{field}` is missing: {why}")))
            }
        };
        if event == APPROVAL_PENDING || event == REQUEST_APPROVED {
            required(
                REQUEST,
                request.is_some(),
                &format!("`{event}` needs the id of its approval request"),
            )?;
        }
        if event == PROVISIONING_FAILURE {
            required(
                "application",
                instance.details.application.is_some(),
                "the daily limit is per application",
            )?;
        }
        let end = match (&assignment, &instance.details.end) {
            (Some(_), Some(end)) => {
                let end_at = read_time(
                    "end",
                    end,
                    "with an `assignment`, `end` is when it ends: `2025-03-01T00:00:00Z`",
                )
                .map_err(located)?;
                if end_at <= at {
                    return Err(located(InstanceError::at_literal(
                        format!("`end` ({end}) is not after `at`"),
                        end,
                    )));
                }
                Some(end_at)
            }
            _ => None,
        };
        if matches!(event, "role-extended" | "role-renewed") && assignment.is_some() {
            required(
                "end",
                end.is_some(),
                &format!("`{event}` gives the assignment's new end"),
            )?;
        }
        let value_of = |name: &str| {
            let id = vocabulary.fact(name)?;
            let fact = vocabulary.facts.get(id.0)?;
            Some(fact.value_name(facts.get(id)))
        };
        let digest = digest::effect(&instance.scope, event, value_of);
        Ok(TimedEvent {
            line,
            bytes: text.len(),
            at,
            change: Change::Occurred(Box::new(Occurrence {
                rule_set,
                instance,
                request,
                assignment,
                end,
                digest,
            })),
        })
    }

    /// The first rule set that declares the instance's event and scope; else the first that
    /// declares its event, else the first (whose errors then name what is unknown).
    fn route(&self, instance: &Instance) -> Option<(usize, &'a Vocabulary)> {
        let declares_event = |v: &&Vocabulary| v.event(&instance.event).is_some();
        let index = self
            .vocabularies
            .iter()
            .position(|v| declares_event(v) && v.scope(&instance.scope).is_some())
            .or_else(|| self.vocabularies.iter().position(declares_event))
            .unwrap_or(0);
        Some((index, *self.vocabularies.get(index)?))
    }
}

/// A removal line of `bytes` bytes: `{"at": "…", "assignment": "…", "removed": true}` and
/// nothing else.
fn removal(
    line: usize,
    bytes: usize,
    mut fields: Map<String, Value>,
    removed: Value,
    assignment: Option<String>,
) -> Result<TimedEvent, InstanceError> {
    if removed != Value::Bool(true) {
        return Err(InstanceError::at_literal(
            "`removed` must be `true`",
            REMOVED,
        ));
    }
    let at = match fields.remove("at") {
        Some(Value::String(at)) => read_time("at", &at, TIME_HELP)?,
        Some(_) => return Err(InstanceError::at_literal("`at` must be a string", "at")),
        None => {
            return Err(InstanceError::new(
                "`at` is missing: every line needs the time of its event",
                crate::instance::Location::Nowhere,
            ));
        }
    };
    if let Some(extra) = fields.keys().next() {
        return Err(InstanceError::at_literal(
            format!("a removal has only `at`, `assignment` and `removed`, not `{extra}`"),
            extra,
        ));
    }
    let assignment = assignment.ok_or_else(|| {
        InstanceError::at_literal(
            "`assignment` is missing: which assignment is removed?",
            REMOVED,
        )
    })?;
    Ok(TimedEvent {
        line,
        bytes,
        at,
        change: Change::Removed { assignment },
    })
}

/// Take the string field `name` out of a line.
fn take_string(
    fields: &mut Map<String, Value>,
    name: &str,
) -> Result<Option<String>, InstanceError> {
    match fields.remove(name) {
        None => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(InstanceError::at_literal(
            format!("`{name}` must be a string"),
            name,
        )),
    }
}
