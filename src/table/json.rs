//! The decision table as versioned JSON (`pimrules compile`): names instead of indices, cubes as
//! `{fact: [values]}` listing only the facts they constrain. The shape is documented in the README.

use super::{Cube, DecisionTable};
use crate::ruleset::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// The `format` field of every compiled table; bumped when the shape changes incompatibly.
pub const FORMAT: &str = "pimrules-decision-table/1";

#[derive(Serialize)]
struct TableJson<'a> {
    format: &'static str,
    ruleset: &'a Header,
    scopes: &'a [Scope],
    recipients: &'a [RecipientClass],
    events: Vec<EventJson<'a>>,
    facts: Vec<FactJson<'a>>,
    templates: &'a [Template],
    rules: Vec<RuleJson<'a>>,
    cells: Vec<CellJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    settings: Vec<serde_json::Value>,
}

#[derive(Serialize)]
struct EventJson<'a> {
    name: &'a str,
    label: &'a str,
    critical: bool,
    /// the policy section: a fixed one, one per value of a fact, or none
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<SectionJson<'a>>,
    /// the scopes the event is declared to occur in
    #[serde(skip_serializing_if = "Vec::is_empty")]
    occurs_in: Vec<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum SectionJson<'a> {
    Fixed(PolicySection),
    ByFact {
        fact: &'a str,
        sections: BTreeMap<&'a str, PolicySection>,
    },
}

#[derive(Serialize)]
struct FactJson<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    values: &'a [String],
    default: &'a str,
}

#[derive(Serialize)]
struct RuleJson<'a> {
    name: &'a str,
    location: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    when: Option<String>,
}

#[derive(Serialize)]
struct CellJson<'a> {
    scope: &'a str,
    event: &'a str,
    critical: bool,
    rows: Vec<RowJson<'a>>,
}

#[derive(Serialize)]
struct RowJson<'a> {
    /// the facts this row constrains, each with the values it accepts; `{}` is always
    when: BTreeMap<&'a str, Vec<&'a str>>,
    notify: Vec<&'a str>,
    rule: &'a str,
    template: &'a str,
}

impl DecisionTable {
    /// The table as the pretty-printed JSON document `pimrules compile` prints, written straight
    /// from the table (no JSON tree in between, which for a large table is several times its size).
    pub fn to_json_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.document()).unwrap_or_default();
        text.push('\n');
        text
    }

    fn document(&self) -> TableJson<'_> {
        let v = &self.vocabulary;
        TableJson {
            format: FORMAT,
            ruleset: &v.header,
            scopes: &v.scopes,
            recipients: &v.recipients,
            events: v.events.iter().map(|e| self.event_json(e)).collect(),
            facts: v
                .facts
                .iter()
                .map(|f| FactJson {
                    name: &f.name,
                    kind: if f.domain.is_bool() { "bool" } else { "enum" },
                    values: f.values(),
                    default: f.value_name(f.default),
                })
                .collect(),
            templates: &v.templates,
            rules: self
                .rules
                .iter()
                .map(|r| RuleJson {
                    name: &r.name,
                    location: &r.location,
                    when: r.condition.as_ref().map(|c| c.display(v).to_string()),
                })
                .collect(),
            cells: self
                .cells()
                .filter(|(_, _, cell)| !cell.rows.is_empty())
                .map(|(scope, event, cell)| CellJson {
                    scope: v.scope_name(scope),
                    event: v.event_name(event),
                    critical: self.is_critical(event),
                    rows: cell
                        .rows
                        .iter()
                        .map(|row| RowJson {
                            when: cube_json(&row.cube, v),
                            notify: row.classes.iter().map(|c| v.class_name(c)).collect(),
                            rule: self.rule_name(row.rule),
                            template: v.template_name(row.template),
                        })
                        .collect(),
                })
                .collect(),
            settings: self
                .settings
                .iter()
                .map(crate::policy::settings_json)
                .collect(),
        }
    }

    fn event_json<'a>(&'a self, event: &'a Event) -> EventJson<'a> {
        let v = &self.vocabulary;
        let section = match &event.section {
            EventSection::None => None,
            EventSection::Fixed(section) => Some(SectionJson::Fixed(*section)),
            EventSection::ByFact { fact, sections } => {
                v.facts.get(fact.0).map(|f| SectionJson::ByFact {
                    fact: &f.name,
                    sections: sections
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (f.value_name(i), *s))
                        .collect(),
                })
            }
        };
        EventJson {
            name: &event.name,
            label: &event.label,
            critical: event.critical,
            section,
            occurs_in: event.occurs_in.iter().map(|s| v.scope_name(*s)).collect(),
        }
    }
}

/// `{fact: [values]}` for the facts a cube constrains.
pub(crate) fn cube_json<'a>(
    cube: &Cube,
    vocabulary: &'a Vocabulary,
) -> BTreeMap<&'a str, Vec<&'a str>> {
    cube.constraints(vocabulary)
        .into_iter()
        .map(|(fact, values)| (fact.name.as_str(), values))
        .collect()
}
