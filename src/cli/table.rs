//! `pimrules table`: the who-gets-what matrix of a rule set, per scope, in markdown (as in
//! Microsoft's documentation), CSV, JSON or a standalone HTML page.

use super::build::{build_rules, lookup, single};
use super::{Exit, RuleArgs, output};
use crate::diagnostic::ColorMode;
use crate::matrix::{self, Selection};
use crate::ruleset::{ClassId, EventId, ScopeId};
use crate::table::cover::Budget;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct TableArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Only this scope [default: every scope with rules]
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<String>,
    /// Only these events, in this order (repeatable or comma-separated) [default: every event the scope uses]
    #[arg(long = "event", value_name = "EVENT", value_delimiter = ',')]
    pub events: Vec<String>,
    /// Only these recipient classes, in this order (repeatable or comma-separated) [default: every class notified]
    #[arg(long = "recipient", value_name = "CLASS", value_delimiter = ',')]
    pub recipients: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = TableFormat::Markdown)]
    pub format: TableFormat,
    /// Write to FILE (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Markdown,
    Csv,
    Json,
    Html,
}

pub fn table(args: &TableArgs, color: ColorMode) -> Exit {
    let run = || -> Result<(), Exit> {
        let build = build_rules(&args.rules.rules, &[], color)?;
        let table = &single(&build)?.table;
        let v = &table.vocabulary;
        let scope_names: Vec<&str> = v.scopes.iter().map(|s| s.name.as_str()).collect();
        let event_names: Vec<&str> = v.events.iter().map(|e| e.name.as_str()).collect();
        let class_names: Vec<&str> = v.recipients.iter().map(|c| c.name.as_str()).collect();
        let selection = Selection {
            events: args
                .events
                .iter()
                .map(|e| lookup("event", e, &event_names, EventId))
                .collect::<Result<_, _>>()?,
            classes: args
                .recipients
                .iter()
                .map(|c| lookup("recipient class", c, &class_names, ClassId))
                .collect::<Result<_, _>>()?,
        };
        let scopes: Vec<ScopeId> = match &args.scope {
            Some(scope) => vec![lookup("scope", scope, &scope_names, ScopeId)?],
            None => (0..v.scopes.len())
                .map(ScopeId)
                .filter(|s| {
                    table
                        .cells()
                        .any(|(scope, _, cell)| scope == *s && !cell.rows.is_empty())
                })
                .collect(),
        };
        let budget = Budget::for_rows(table.rows());
        let matrices: Vec<matrix::Matrix> = scopes
            .iter()
            .map(|s| matrix::build(table, *s, &selection, &budget))
            .collect::<Result<_, _>>()
            .map_err(|gave_up| {
                output::error(format!("cannot build the table exactly: {gave_up}"));
                Exit::Usage
            })?;
        let text = match args.format {
            TableFormat::Markdown => matrix::to_markdown(table, &matrices),
            TableFormat::Csv => matrix::to_csv(table, &matrices),
            TableFormat::Json => {
                let mut json = serde_json::to_string_pretty(&matrix::to_json(table, &matrices))
                    .unwrap_or_default();
                json.push('\n');
                json
            }
            TableFormat::Html => matrix::to_html(table, &matrices),
        };
        output::deliver(&text, args.output.as_deref())
    };
    run().err().unwrap_or(Exit::Success)
}
