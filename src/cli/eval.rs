//! `pimrules eval` (which classes one event notifies, checked with `--expect`) and
//! `pimrules explain` (why each class is or is not notified), in text or JSON.

use super::build::{build_rules, lookup, single};
use super::{Exit, RuleArgs, output};
use crate::diagnostic::ColorMode;
use crate::eval::explain::{self, ClassExplanation};
use crate::eval::{Decision, Evaluator, parse_settings, split_setting};
use crate::ruleset::tenant::NotificationPolicy;
use crate::ruleset::{ClassId, EventId, FactValues, ScopeId};
use crate::source::{Origin, Sources};
use crate::table::{ClassSet, DecisionTable};
use clap::{Args, ValueEnum};
use serde_json::json;
use std::path::PathBuf;

/// The event a command is about: what `eval` and `explain` share.
#[derive(Args, Debug)]
pub struct EventArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The event, e.g. `activation-completed`
    #[arg(long, value_name = "EVENT")]
    pub event: String,
    /// The scope, e.g. `entra-role`
    #[arg(long, value_name = "SCOPE")]
    pub scope: String,
    /// Set a fact (repeatable); facts not set take their declared defaults
    #[arg(long = "set", value_name = "FACT=VALUE")]
    pub set: Vec<String>,
    /// A tenant notification policy: Graph notification rules, as `{"value": [...]}` or an array
    #[arg(long, value_name = "FILE", conflicts_with = "role")]
    pub policy: Option<PathBuf>,
    /// Use the tenant settings declared for this role (`settings "NAME" for …`), by name or id
    #[arg(long, value_name = "NAME")]
    pub role: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    #[command(flatten)]
    pub event: EventArgs,
    /// Also explain, for every class, which rules fired or which condition failed
    #[arg(long)]
    pub explain: bool,
    /// Exit 1 unless exactly these classes are notified (comma-separated; empty for nobody)
    #[arg(long, value_name = "A,B", value_delimiter = ',', num_args = 0..)]
    pub expect: Option<Vec<String>>,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub event: EventArgs,
    /// Explain only this recipient class (repeatable)
    #[arg(long = "recipient", value_name = "CLASS")]
    pub recipients: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// An event resolved against a table, with its facts, decided (the policy, if any, applied).
struct Question<'a> {
    table: &'a DecisionTable,
    facts: FactValues,
    decision: Decision,
}

impl<'a> Question<'a> {
    fn ask(args: &EventArgs, table: &'a DecisionTable, color: ColorMode) -> Result<Self, Exit> {
        let v = &table.vocabulary;
        let scope_names: Vec<&str> = v.scopes.iter().map(|s| s.name.as_str()).collect();
        let event_names: Vec<&str> = v.events.iter().map(|e| e.name.as_str()).collect();
        let scope = lookup("scope", &args.scope, &scope_names, ScopeId)?;
        let event = lookup("event", &args.event, &event_names, EventId)?;
        let settings = args
            .set
            .iter()
            .map(|s| split_setting(s))
            .collect::<Result<Vec<_>, _>>()
            .and_then(|settings| parse_settings(v, settings))
            .map_err(|e| {
                output::error(e);
                Exit::Usage
            })?;
        let policy = match (&args.policy, &args.role) {
            (Some(path), _) => Some(read_policy(path, color)?),
            (None, Some(role)) => match table.role_settings(role) {
                Some(settings) => Some(settings.policy.clone()),
                None => {
                    let names: Vec<&str> = table.settings.iter().map(|s| s.name.as_str()).collect();
                    let hint = crate::diagnostic::did_you_mean(role, names.iter().copied())
                        .unwrap_or_else(|| {
                            if names.is_empty() {
                                "the rules declare no `settings`".to_owned()
                            } else {
                                format!(
                                    "the roles with settings are {}",
                                    crate::check::backticked_all(&names)
                                )
                            }
                        });
                    output::error(format_args!("no settings for role `{role}`; {hint}"));
                    return Err(Exit::Usage);
                }
            },
            (None, None) => None,
        };
        if policy
            .as_ref()
            .is_some_and(NotificationPolicy::has_additional)
            && v.policy_class().is_none()
        {
            output::error(
                "the policy adds recipients, but the rule set declares no `from policy` recipient class",
            );
            return Err(Exit::Usage);
        }
        let evaluator = Evaluator::new(table);
        let decision = evaluator.evaluate(scope, event, &settings, policy.as_ref());
        Ok(Question {
            table,
            facts: settings,
            decision,
        })
    }

    fn explanations(&self) -> Vec<ClassExplanation> {
        explain::explain(self.table, &self.decision, &self.facts)
    }

    fn heading(&self) -> String {
        let v = &self.table.vocabulary;
        let header = &v.header;
        format!(
            "{}{} in {} — {}{}\n",
            v.event_name(self.decision.event),
            if self.decision.critical {
                " (critical)"
            } else {
                ""
            },
            v.scope_name(self.decision.scope),
            header.name,
            header
                .version
                .as_deref()
                .map(|x| format!(" {x}"))
                .unwrap_or_default(),
        )
    }
}

/// Read a policy file; its problems are located diagnostics (exit 1), an unreadable file exit 2.
fn read_policy(path: &std::path::Path, color: ColorMode) -> Result<NotificationPolicy, Exit> {
    let text = crate::files::Disk::read_text(path, crate::load::MAX_FILE_BYTES).map_err(|e| {
        output::error(format_args!("cannot read policy `{}`: {e}", path.display()));
        Exit::Usage
    })?;
    NotificationPolicy::from_graph_json(&text).map_err(|problem| {
        let mut sources = Sources::new();
        let file = sources.add(
            path.display().to_string(),
            text.clone(),
            Origin::Disk(path.to_path_buf()),
        );
        output::diagnostics(&[problem.diagnostic(file)], &sources, color);
        Exit::Findings
    })
}

pub fn eval(args: &EvalArgs, color: ColorMode) -> Exit {
    let run = || -> Result<Exit, Exit> {
        let build = build_rules(&args.event.rules.rules, &[], color)?;
        let table = &single(&build)?.table;
        let question = Question::ask(&args.event, table, color)?;
        let v = &table.vocabulary;
        let expected = match &args.expect {
            None => None,
            Some(names) => {
                let class_names: Vec<&str> = v.recipients.iter().map(|c| c.name.as_str()).collect();
                let classes: ClassSet = names
                    .iter()
                    .map(|n| n.trim())
                    .filter(|n| !n.is_empty())
                    .map(|n| lookup("recipient class", n, &class_names, ClassId))
                    .collect::<Result<_, _>>()?;
                Some(classes)
            }
        };
        let explanations = args.explain.then(|| question.explanations());
        let text = match args.event.format {
            Format::Json => {
                let mut document = decision_json(&question);
                if let Some(explanations) = &explanations {
                    document["explanation"] = explanations_json(table, explanations);
                }
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&document).unwrap_or_default()
                )
            }
            Format::Text => {
                let mut text = question.heading();
                text.push_str(&decision_text(&question));
                if let Some(explanations) = &explanations {
                    text.push('\n');
                    text.push_str(&explanations_text(table, explanations));
                }
                text
            }
        };
        match args.event.format {
            Format::Text => output::print_text(&text)?,
            Format::Json => output::print(&text)?,
        }
        if let Some(expected) = expected {
            let actual = question.decision.classes();
            if actual != expected {
                let names = |set: ClassSet| -> String {
                    let list: Vec<&str> = set.iter().map(|c| v.class_name(c)).collect();
                    if list.is_empty() {
                        "nobody".to_owned()
                    } else {
                        list.join(", ")
                    }
                };
                let mut message = format!(
                    "error: expected {}, but {} notified\n",
                    names(expected),
                    names(actual)
                );
                let missing = ClassSet(expected.0 & !actual.0);
                let unexpected = ClassSet(actual.0 & !expected.0);
                if !missing.is_empty() {
                    message.push_str(&format!("  missing:    {}\n", names(missing)));
                }
                if !unexpected.is_empty() {
                    message.push_str(&format!("  unexpected: {}\n", names(unexpected)));
                }
                message.push_str("  run with --explain to see why\n");
                eprint!("{message}");
                return Ok(Exit::Findings);
            }
        }
        Ok(Exit::Success)
    };
    run().unwrap_or_else(|exit| exit)
}

pub fn explain(args: &ExplainArgs, color: ColorMode) -> Exit {
    let run = || -> Result<(), Exit> {
        let build = build_rules(&args.event.rules.rules, &[], color)?;
        let table = &single(&build)?.table;
        let question = Question::ask(&args.event, table, color)?;
        let v = &table.vocabulary;
        let class_names: Vec<&str> = v.recipients.iter().map(|c| c.name.as_str()).collect();
        let only: Vec<ClassId> = args
            .recipients
            .iter()
            .map(|r| lookup("recipient class", r, &class_names, ClassId))
            .collect::<Result<_, _>>()?;
        let explanations: Vec<ClassExplanation> = question
            .explanations()
            .into_iter()
            .filter(|e| only.is_empty() || only.contains(&e.class))
            .collect();
        let text = match args.event.format {
            Format::Json => {
                let mut document = decision_json(&question);
                document["explanation"] = explanations_json(table, &explanations);
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&document).unwrap_or_default()
                )
            }
            Format::Text => {
                let mut text = question.heading();
                text.push_str(&facts_text(&question));
                text.push('\n');
                text.push_str(&explanations_text(table, &explanations));
                text
            }
        };
        match args.event.format {
            Format::Text => output::print_text(&text),
            Format::Json => output::print(&text),
        }
    };
    run().err().unwrap_or(Exit::Success)
}

/// `{"ruleset", "event", "scope", "notifications": [{"recipient", "rule", "critical", "template"}]}`
fn decision_json(question: &Question) -> serde_json::Value {
    let table = question.table;
    let v = &table.vocabulary;
    let decision = &question.decision;
    let notifications: Vec<serde_json::Value> = decision
        .notifications
        .iter()
        .map(|n| {
            let mut entry = json!({
                "recipient": v.class_name(n.class),
                "rule": n.source.describe(table),
                "critical": decision.critical,
                "template": v.template_name(n.template),
            });
            if !n.addresses.is_empty() {
                entry["addresses"] = json!(n.addresses);
            }
            entry
        })
        .collect();
    json!({
        "ruleset": v.header.name,
        "event": v.event_name(decision.event),
        "scope": v.scope_name(decision.scope),
        "notifications": notifications,
    })
}

fn decision_text(question: &Question) -> String {
    let table = question.table;
    let v = &table.vocabulary;
    let notifications = &question.decision.notifications;
    if notifications.is_empty() {
        return "  nobody is notified\n".to_owned();
    }
    let source = |n: &crate::eval::Notification| match &n.source {
        crate::eval::Source::Rule(rule) => table.rule_name(*rule).to_owned(),
        crate::eval::Source::Policy(id) => format!("policy {id}"),
    };
    let class_width = notifications
        .iter()
        .map(|n| v.class_name(n.class).len())
        .chain([9])
        .max()
        .unwrap_or(9);
    let rule_width = notifications
        .iter()
        .map(|n| source(n).len())
        .chain([4])
        .max()
        .unwrap_or(4);
    let mut text = format!(
        "  {:class_width$}  {:rule_width$}  template\n",
        "recipient", "rule"
    );
    for n in notifications {
        text.push_str(&format!(
            "  {:class_width$}  {:rule_width$}  {}\n",
            v.class_name(n.class),
            source(n),
            v.template_name(n.template),
        ));
        for address in &n.addresses {
            text.push_str(&format!("  {:class_width$}  → {address}\n", ""));
        }
    }
    text
}

/// `facts: a = x, b = y (set)` — every fact, marking those set on the command line.
fn facts_text(question: &Question) -> String {
    let v = &question.table.vocabulary;
    let defaults = FactValues::defaults(v);
    let parts: Vec<String> = v
        .facts
        .iter()
        .enumerate()
        .map(|(i, fact)| {
            let value = question.facts.0.get(i).copied().unwrap_or(0) as usize;
            let marker = if defaults.0.get(i).copied() == Some(value as u8) {
                ""
            } else {
                " (set)"
            };
            format!("{} = {}{marker}", fact.name, fact.value_name(value))
        })
        .collect();
    format!("facts: {}\n", parts.join(", "))
}

pub(super) fn explanations_text(
    table: &DecisionTable,
    explanations: &[ClassExplanation],
) -> String {
    let v = &table.vocabulary;
    let mut text = String::new();
    let mut unreached = Vec::new();
    for e in explanations {
        if !e.has_rules() {
            unreached.push(v.class_name(e.class));
            continue;
        }
        let status = if e.notified {
            "notified"
        } else {
            "not notified"
        };
        text.push_str(&format!("{}: {status}\n", v.class_name(e.class)));
        for rule in &e.fired {
            text.push_str(&format!(
                "  ✓ rule {} fired ({})\n",
                table.rule_name(*rule),
                rule_location(table, *rule)
            ));
        }
        for (rule, reason) in &e.failed {
            text.push_str(&format!("  ✗ rule {}: {reason}\n", table.rule_name(*rule)));
        }
        if let Some(policy) = &e.policy {
            text.push_str(&format!("  • {policy}\n"));
        }
    }
    if !unreached.is_empty() {
        text.push_str(&format!(
            "no rule sends this event to: {}\n",
            unreached.join(", ")
        ));
    }
    text
}

fn rule_location(table: &DecisionTable, rule: crate::ruleset::RuleId) -> &str {
    table.rules.get(rule.0).map_or("?", |r| r.location.as_str())
}

fn explanations_json(
    table: &DecisionTable,
    explanations: &[ClassExplanation],
) -> serde_json::Value {
    let v = &table.vocabulary;
    json!(explanations
        .iter()
        .map(|e| {
            json!({
                "recipient": v.class_name(e.class),
                "notified": e.notified,
                "fired": e.fired.iter().map(|r| table.rule_name(*r)).collect::<Vec<_>>(),
                "failed": e.failed.iter().map(|(r, reason)| json!({"rule": table.rule_name(*r), "reason": reason})).collect::<Vec<_>>(),
                "policy": e.policy,
            })
        })
        .collect::<Vec<_>>())
}
