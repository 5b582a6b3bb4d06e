//! `pimrules diff OLD NEW`: what changes, for whom and under which facts, between two rule sets
//! (files, folders or shipped names); exit 0 when they are equivalent, 1 when they differ.

use super::build::{build_rules, single};
use super::eval::Format;
use super::{Exit, output};
use crate::diagnostic::ColorMode;
use crate::diff::{self, ChangeKind, RuleSetDiff};
use crate::table::DecisionTable;
use clap::Args;
use serde_json::json;

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The old rule set: a file, a folder or a shipped rule set's name
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new rule set: a file, a folder or a shipped rule set's name
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn diff(args: &DiffArgs, color: ColorMode) -> Exit {
    let run = || -> Result<Exit, Exit> {
        let old_build = build_rules(std::slice::from_ref(&args.old), &[], color)?;
        let new_build = build_rules(std::slice::from_ref(&args.new), &[], color)?;
        let old = &single(&old_build)?.table;
        let new = &single(&new_build)?.table;
        let difference = diff::diff(old, new).map_err(|gave_up| {
            output::error(format!("cannot compare the rule sets exactly: {gave_up}"));
            Exit::Usage
        })?;
        let text = match args.format {
            Format::Text => diff_text(old, new, &difference),
            Format::Json => format!(
                "{}\n",
                serde_json::to_string_pretty(&diff_json(old, new, &difference)).unwrap_or_default()
            ),
        };
        match args.format {
            Format::Text => output::print_text(&text)?,
            Format::Json => output::print(&text)?,
        }
        Ok(if difference.is_empty() {
            Exit::Success
        } else {
            Exit::Findings
        })
    };
    run().unwrap_or_else(|exit| exit)
}

fn title(table: &DecisionTable) -> String {
    let header = &table.vocabulary.header;
    match &header.version {
        Some(version) => format!("{} {version}", header.name),
        None => header.name.clone(),
    }
}

fn diff_text(old: &DecisionTable, new: &DecisionTable, difference: &RuleSetDiff) -> String {
    let mut text = format!("{} → {}\n", title(old), title(new));
    if difference.is_empty() {
        text.push_str("the rule sets send the same emails\n");
        return text;
    }
    for (what, before, after) in &difference.properties {
        text.push_str(&format!("{what}: {before} → {after}\n"));
    }
    let mut current: Option<(&str, &str)> = None;
    let width = difference
        .changes
        .iter()
        .map(|c| c.recipient.len())
        .max()
        .unwrap_or(0);
    for change in &difference.changes {
        if current != Some((change.event.as_str(), change.scope.as_str())) {
            text.push_str(&format!("\n{} in {}\n", change.event, change.scope));
            current = Some((change.event.as_str(), change.scope.as_str()));
        }
        let (mark, note) = match &change.kind {
            ChangeKind::Added => ("+", String::new()),
            ChangeKind::Removed => ("-", String::new()),
            ChangeKind::Template { old, new } => ("~", format!("  template {old} → {new}")),
        };
        let when = if change.when == "always" {
            "always".to_owned()
        } else {
            format!("when {}", change.when)
        };
        text.push_str(&format!(
            "  {mark} {:width$}  {when}{note}\n",
            change.recipient
        ));
    }
    let count = difference.changes.len() + difference.properties.len();
    text.push_str(&format!(
        "\n{count} difference{}\n",
        if count == 1 { "" } else { "s" }
    ));
    text
}

fn diff_json(
    old: &DecisionTable,
    new: &DecisionTable,
    difference: &RuleSetDiff,
) -> serde_json::Value {
    let changes: Vec<serde_json::Value> = difference
        .changes
        .iter()
        .map(|c| {
            let mut entry = json!({
                "scope": c.scope,
                "event": c.event,
                "recipient": c.recipient,
                "change": match c.kind {
                    ChangeKind::Added => "added",
                    ChangeKind::Removed => "removed",
                    ChangeKind::Template { .. } => "template",
                },
                "when": c.when,
                "witness": c.witness.iter().map(|(f, v)| (f.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
            });
            if let ChangeKind::Template { old, new } = &c.kind {
                entry["template"] = json!({"old": old, "new": new});
            }
            entry
        })
        .collect();
    json!({
        "old": title(old),
        "new": title(new),
        "equivalent": difference.is_empty(),
        "properties": difference.properties.iter().map(|(what, a, b)| json!({"property": what, "old": a, "new": b})).collect::<Vec<_>>(),
        "changes": changes,
    })
}
