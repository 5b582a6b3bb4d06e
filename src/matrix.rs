//! The who-gets-what matrix of a decision table (`pimrules table`): per scope, recipient classes
//! × events, each cell Yes, No, or Yes under a condition (a footnote), as in Microsoft's documents.

use crate::ruleset::*;
use crate::syntax::condition_text::{ConditionText, FactTestText, Operator};
use crate::table::DecisionTable;
use crate::table::cover::{self, Budget, GaveUp};
use crate::table::cube::{self, Cube};
use serde_json::json;
use std::borrow::Cow;

/// Whether a class receives an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    Never,
    Always,
    /// under this condition (in the language's syntax)
    When(String),
}

/// One scope's matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub scope: ScopeId,
    pub events: Vec<EventId>,
    pub classes: Vec<ClassId>,
    /// `cells[class][event]`, in the order of `classes` and `events`
    pub cells: Vec<Vec<Coverage>>,
}

/// Which part of the table to show; empty lists mean "everything the scope uses".
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub events: Vec<EventId>,
    pub classes: Vec<ClassId>,
}

/// The matrix of one scope; each cell's question takes from `budget` (one run's, shared by its
/// scopes), and the first one the budget cannot answer is given up.
pub fn build(
    table: &DecisionTable,
    scope: ScopeId,
    selection: &Selection,
    budget: &Budget,
) -> Result<Matrix, GaveUp> {
    let vocabulary = &table.vocabulary;
    let events: Vec<EventId> = if selection.events.is_empty() {
        (0..vocabulary.events.len())
            .map(EventId)
            .filter(|e| !table.cell(scope, *e).rows.is_empty())
            .collect()
    } else {
        selection.events.clone()
    };
    let classes: Vec<ClassId> = if selection.classes.is_empty() {
        (0..vocabulary.recipients.len())
            .map(ClassId)
            .filter(|c| {
                events.iter().any(|e| {
                    table
                        .cell(scope, *e)
                        .rows
                        .iter()
                        .any(|r| r.classes.contains(*c))
                })
            })
            .collect()
    } else {
        selection.classes.clone()
    };
    let cells = classes
        .iter()
        .map(|class| {
            events
                .iter()
                .map(|event| {
                    coverage(table, scope, *event, *class, budget).map_err(|_| {
                        GaveUp::at(
                            format!(
                                "`{}` in `{}` for `{}`",
                                vocabulary.event_name(*event),
                                vocabulary.scope_name(scope),
                                vocabulary.class_name(*class)
                            ),
                            budget,
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<_, _>>()?;
    Ok(Matrix {
        scope,
        events,
        classes,
        cells,
    })
}

/// When a class receives an event in a scope, from the union of the rows that send it.
pub fn coverage(
    table: &DecisionTable,
    scope: ScopeId,
    event: EventId,
    class: ClassId,
    budget: &Budget,
) -> Result<Coverage, cover::OverBudget> {
    let vocabulary = &table.vocabulary;
    let region: Vec<Cube> = table
        .cell(scope, event)
        .rows
        .iter()
        .filter(|row| row.classes.contains(class))
        .map(|row| row.cube.clone())
        .collect();
    if region.is_empty() {
        return Ok(Coverage::Never);
    }
    if cover::covers(&region, &[Cube::full(vocabulary)], budget)? {
        return Ok(Coverage::Always);
    }
    Ok(Coverage::When(describe_region(
        &cube::simplify(region),
        vocabulary,
    )))
}

/// Cubes as a condition: `a == x and b in {y, z} or c == w`.
pub fn describe_region(cubes: &[Cube], vocabulary: &Vocabulary) -> String {
    ConditionText::Any(cubes.iter().map(|c| cube_text(c, vocabulary)).collect()).to_string()
}

/// One cube as a conjunction of the facts it constrains (`always` if none).
fn cube_text<'v>(cube: &Cube, vocabulary: &'v Vocabulary) -> ConditionText<'v> {
    let atoms = cube
        .constraints(vocabulary)
        .into_iter()
        .map(|(fact, values)| {
            ConditionText::Test(FactTestText {
                fact: Cow::Borrowed(&fact.name),
                operator: if values.len() == 1 {
                    Operator::Equals
                } else {
                    Operator::In
                },
                values: values.into_iter().map(Cow::Borrowed).collect(),
            })
        })
        .collect();
    ConditionText::All(atoms)
}

/// The distinct conditions of a matrix, in reading order: footnote `n` is `footnotes[n - 1]`.
fn footnotes(matrix: &Matrix) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    for row in &matrix.cells {
        for cell in row {
            if let Coverage::When(condition) = cell
                && !notes.contains(condition)
            {
                notes.push(condition.clone());
            }
        }
    }
    notes
}

fn footnote_mark(n: usize) -> String {
    const SUPERSCRIPTS: [&str; 9] = ["¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"];
    SUPERSCRIPTS
        .get(n.wrapping_sub(1))
        .map_or_else(|| format!("[{n}]"), |s| (*s).to_owned())
}

/// A class as Microsoft's tables name it: its label, with "(Activated)" for `while activated`.
fn class_label(vocabulary: &Vocabulary, class: ClassId) -> String {
    match vocabulary.recipients.get(class.0) {
        Some(c) if c.while_activated => format!("{} (Activated)", c.label),
        Some(c) => c.label.clone(),
        None => String::new(),
    }
}

fn title(table: &DecisionTable, scope: ScopeId) -> String {
    let v = &table.vocabulary;
    let scope = v.scopes.get(scope.0);
    format!(
        "{} (`{}`) — {}",
        scope.map_or("?", |s| s.label.as_str()),
        scope.map_or("?", |s| s.name.as_str()),
        ruleset_title(&v.header)
    )
}

fn ruleset_title(header: &Header) -> String {
    match &header.version {
        Some(version) => format!("{} {version}", header.name),
        None => header.name.clone(),
    }
}

/// Markdown: a heading, the table, and the conditions as footnotes.
pub fn to_markdown(table: &DecisionTable, matrices: &[Matrix]) -> String {
    let v = &table.vocabulary;
    let mut out = String::new();
    for (i, matrix) in matrices.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let scope = v.scopes.get(matrix.scope.0);
        out.push_str(&format!(
            "## {} (`{}`) — {}\n\n",
            markdown_cell(scope.map_or("?", |s| s.label.as_str())),
            scope.map_or("?", |s| s.name.as_str()),
            markdown_cell(&ruleset_title(&v.header))
        ));
        if matrix.events.is_empty() || matrix.classes.is_empty() {
            out.push_str("No rule sends email in this scope.\n");
            continue;
        }
        let notes = footnotes(matrix);
        let headers: Vec<String> = matrix
            .events
            .iter()
            .map(|e| markdown_cell(v.events.get(e.0).map_or("?", |e| e.label.as_str())))
            .collect();
        out.push_str(&format!("| Recipient | {} |\n", headers.join(" | ")));
        out.push_str(&format!("| --- |{}\n", " --- |".repeat(headers.len())));
        for (class, row) in matrix.classes.iter().zip(&matrix.cells) {
            let label = class_label(v, *class);
            let cells: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Coverage::Never => "No".to_owned(),
                    Coverage::Always => "Yes".to_owned(),
                    Coverage::When(c) => {
                        let n = notes.iter().position(|x| x == c).map_or(0, |p| p + 1);
                        format!("Yes{}", footnote_mark(n))
                    }
                })
                .collect();
            out.push_str(&format!(
                "| {} | {} |\n",
                markdown_cell(&label),
                cells.join(" | ")
            ));
        }
        if !notes.is_empty() {
            out.push('\n');
            for (n, note) in notes.iter().enumerate() {
                out.push_str(&format!("{} when `{note}`  \n", footnote_mark(n + 1)));
            }
        }
    }
    out
}

/// Text in a Markdown table or heading: what Markdown or HTML would act on escaped, control
/// and invisible characters shown escaped, one line.
fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::neutral::escape(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// CSV in long form: one line per scope, event and recipient class.
pub fn to_csv(table: &DecisionTable, matrices: &[Matrix]) -> String {
    let v = &table.vocabulary;
    let mut out = String::from("scope,event,recipient,sent,when\n");
    for matrix in matrices {
        for (class, row) in matrix.classes.iter().zip(&matrix.cells) {
            for (event, cell) in matrix.events.iter().zip(row) {
                let (sent, when) = match cell {
                    Coverage::Never => ("never", ""),
                    Coverage::Always => ("always", ""),
                    Coverage::When(c) => ("when", c.as_str()),
                };
                out.push_str(&format!(
                    "{},{},{},{},{}\n",
                    csv_field(v.scope_name(matrix.scope)),
                    csv_field(v.event_name(*event)),
                    csv_field(v.class_name(*class)),
                    sent,
                    csv_field(when)
                ));
            }
        }
    }
    out
}

/// A CSV field (RFC 4180), its control and invisible characters shown escaped.
fn csv_field(text: &str) -> String {
    let text = crate::neutral::escape(text);
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// JSON: `{"ruleset", "version", "scopes": [{"scope", "events", "rows": [{"recipient", "cells"}]}]}`.
pub fn to_json(table: &DecisionTable, matrices: &[Matrix]) -> serde_json::Value {
    let v = &table.vocabulary;
    let scopes: Vec<serde_json::Value> = matrices
        .iter()
        .map(|matrix| {
            let rows: Vec<serde_json::Value> = matrix
                .classes
                .iter()
                .zip(&matrix.cells)
                .map(|(class, row)| {
                    let cells: serde_json::Map<String, serde_json::Value> = matrix
                        .events
                        .iter()
                        .zip(row)
                        .map(|(event, cell)| {
                            let value = match cell {
                                Coverage::Never => json!({"sent": "never"}),
                                Coverage::Always => json!({"sent": "always"}),
                                Coverage::When(c) => json!({"sent": "when", "when": c}),
                            };
                            (v.event_name(*event).to_owned(), value)
                        })
                        .collect();
                    json!({"recipient": v.class_name(*class), "cells": cells})
                })
                .collect();
            json!({
                "scope": v.scope_name(matrix.scope),
                "events": matrix.events.iter().map(|e| v.event_name(*e)).collect::<Vec<_>>(),
                "rows": rows,
            })
        })
        .collect();
    json!({
        "ruleset": v.header.name,
        "version": v.header.version,
        "scopes": scopes,
    })
}

/// A self-contained HTML page with one table per scope and the conditions as footnotes.
pub fn to_html(table: &DecisionTable, matrices: &[Matrix]) -> String {
    let v = &table.vocabulary;
    let mut body = String::new();
    for matrix in matrices {
        body.push_str(&format!(
            "<h2>{}</h2>\n",
            escape(&title(table, matrix.scope).replace('`', ""))
        ));
        if matrix.events.is_empty() || matrix.classes.is_empty() {
            body.push_str("<p>No rule sends email in this scope.</p>\n");
            continue;
        }
        let notes = footnotes(matrix);
        body.push_str("<table>\n<thead><tr><th scope=\"col\">Recipient</th>");
        for event in &matrix.events {
            let label = v.events.get(event.0).map_or("?", |e| e.label.as_str());
            body.push_str(&format!("<th scope=\"col\">{}</th>", escape(label)));
        }
        body.push_str("</tr></thead>\n<tbody>\n");
        for (class, row) in matrix.classes.iter().zip(&matrix.cells) {
            let label = class_label(v, *class);
            body.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(&label)));
            for cell in row {
                let html = match cell {
                    Coverage::Never => "<td class=\"no\">No</td>".to_owned(),
                    Coverage::Always => "<td class=\"yes\">Yes</td>".to_owned(),
                    Coverage::When(c) => {
                        let n = notes.iter().position(|x| x == c).map_or(0, |p| p + 1);
                        format!(
                            "<td class=\"when\">Yes<sup><a href=\"#note-{}-{n}\">{n}</a></sup></td>",
                            matrix.scope.0
                        )
                    }
                };
                body.push_str(&html);
            }
            body.push_str("</tr>\n");
        }
        body.push_str("</tbody>\n</table>\n");
        if !notes.is_empty() {
            body.push_str("<ol class=\"notes\">\n");
            for (n, note) in notes.iter().enumerate() {
                body.push_str(&format!(
                    "<li id=\"note-{}-{}\">when <code>{}</code></li>\n",
                    matrix.scope.0,
                    n + 1,
                    escape(note)
                ));
            }
            body.push_str("</ol>\n");
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n\
         body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }}\n\
         table {{ border-collapse: collapse; margin-bottom: 1rem; }}\n\
         th, td {{ border: 1px solid #c8c8c8; padding: .4rem .7rem; text-align: left; }}\n\
         thead th {{ background: #f3f3f3; }}\n\
         td.yes, td.when {{ color: #0b6a0b; }}\n\
         td.no {{ color: #8a1f11; }}\n\
         </style>\n</head>\n<body>\n<h1>{title}</h1>\n{body}</body>\n</html>\n",
        title = escape(&format!(
            "Who gets which email — {}",
            ruleset_title(&v.header)
        )),
    )
}

/// Escape text for HTML (control and invisible characters shown escaped too).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in crate::neutral::escape(text).chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
