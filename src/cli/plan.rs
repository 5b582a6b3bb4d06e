//! `pimrules plan LIVE DESIRED`: who gains or loses which email if the desired settings replace
//! the live ones, then the requests that do it; exit 0 when nothing changes, 1 when it does.

use super::build::{build_rules, single};
use super::eval::Format;
use super::policy::{NamesArgs, tenant_settings};
use super::{Exit, RuleArgs, output};
use crate::diagnostic::{ColorMode, Diagnostic};
use crate::plan::{self, Plan};
use crate::policy::requests_json;
use crate::ruleset::tenant::rule_id;
use clap::Args;
use serde_json::json;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// The tenant's live settings: its Graph or ARM export (JSON) or an imported settings file
    #[arg(value_name = "LIVE")]
    pub live: PathBuf,
    /// The desired settings: a .pimrules file or folder with `settings` blocks (or another
    /// export, to compare two tenants)
    #[arg(value_name = "DESIRED")]
    pub desired: PathBuf,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub names: NamesArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn plan(args: &PlanArgs, color: ColorMode) -> Exit {
    let run = || -> Result<Exit, Exit> {
        let build = build_rules(&args.rules.rules, &[], color)?;
        let table = &single(&build)?.table;
        let (_, live) = tenant_settings(&args.live, &args.names, color)?;
        let (sources, desired) = tenant_settings(&args.desired, &args.names, color)?;
        let plan = plan::plan(table, &live, &desired).map_err(|errors| {
            let diagnostics: Vec<Diagnostic> = errors.iter().map(|e| e.diagnostic()).collect();
            output::diagnostics(&diagnostics, &sources, color);
            Exit::Findings
        })?;
        let text = match args.format {
            Format::Text => plan_text(&plan),
            Format::Json => format!(
                "{}\n",
                serde_json::to_string_pretty(&plan_json(&plan)).unwrap_or_default()
            ),
        };
        match args.format {
            Format::Text => output::print_text(&text)?,
            Format::Json => output::print(&text)?,
        }
        Ok(if plan.is_empty() {
            Exit::Success
        } else {
            Exit::Findings
        })
    };
    run().unwrap_or_else(|exit| exit)
}

fn plan_text(plan: &Plan) -> String {
    let mut text = String::new();
    for role in &plan.roles {
        if role.rules.is_empty() {
            continue;
        }
        let rules: Vec<String> = role
            .rules
            .iter()
            .map(|(s, r)| format!("{} {}", s.keyword(), r.keyword()))
            .collect();
        text.push_str(&format!("{}: {}\n", role.role, rules.join(", ")));
        let width = role.changes.iter().map(|c| who(c).len()).max().unwrap_or(0);
        let mut heading = String::new();
        for change in &role.changes {
            let event = format!("{} in {}", change.event, change.scope);
            if event != heading {
                text.push_str(&format!("  {event}\n"));
                heading = event;
            }
            let sign = if change.gained { '+' } else { '-' };
            let when = match change.when.as_str() {
                "always" => "always".to_owned(),
                region => format!("when {region}"),
            };
            text.push_str(&format!("    {sign} {:width$}  {when}\n", who(change)));
        }
        if role.changes.is_empty() {
            text.push_str("  nobody gains or loses an email\n");
        }
        for event in &role.not_compared {
            text.push_str(&format!(
                "  {event}: not compared (more than {} fact combinations)\n",
                plan::MAX_COMBINATIONS
            ));
        }
        text.push('\n');
    }
    if plan.requests.is_empty() {
        text.push_str("no changes\n");
        return text;
    }
    let count = plan.requests.len();
    text.push_str(&format!(
        "{count} request{}\n",
        if count == 1 { "" } else { "s" }
    ));
    for request in &plan.requests {
        text.push_str(&format!("{} {}\n", request.method, request.url));
        text.push_str(&format!("  {}\n", request.body));
    }
    text
}

fn who(change: &plan::PeopleChange) -> String {
    match &change.address {
        Some(address) => format!("{} {address}", change.recipient),
        None => change.recipient.clone(),
    }
}

fn plan_json(plan: &Plan) -> serde_json::Value {
    json!({
        "version": 1,
        "roles": plan.roles.iter().map(|role| json!({
            "role": role.role,
            "live": role.live,
            "rules": role.rules.iter().map(|(s, r)| rule_id(*s, *r)).collect::<Vec<_>>(),
            "changes": role.changes.iter().map(|c| json!({
                "scope": c.scope,
                "event": c.event,
                "recipient": c.recipient,
                "address": c.address,
                "kind": if c.gained { "gained" } else { "lost" },
                "when": c.when,
                "witness": c.witness.iter().map(|(f, v)| (f.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
            })).collect::<Vec<_>>(),
            "not_compared": role.not_compared,
        })).collect::<Vec<_>>(),
        "requests": requests_json(&plan.requests)["requests"],
    })
}
