//! `pimrules simulate`: replay a log of events and print the emails sent over time, as JSON
//! lines or a readable timeline, and with `--out-dir` each as an `.eml` file (atomically).
//!
//! The log streams: lines are read one by one, put in order within the reorder window, fed to
//! the timing engine, and each email is printed as soon as nothing earlier can still be sent.

use super::build::build_rules;
use super::render::{file_name_part, read_json_file, report};
use super::{Exit, RuleArgs, output};
use crate::diagnostic::{ColorMode, Diagnostic, Severity};
use crate::eval::{parse_settings, split_setting};
use crate::instance::JsonInput;
use crate::pipeline::Build;
use crate::render::locale::Catalogues;
use crate::render::{Email, Rendering, mime};
use crate::ruleset::Vocabulary;
use crate::simulate::log::{LogError, read_directory};
use crate::simulate::replay::{Problem, Replay, ReplayOptions, Sink, Stopped};
use crate::simulate::{
    Cause, DIGEST_SCOPE, DigestSettings, Dispatch, Mailer, Settings, WEEKLY_DIGEST,
};
use crate::source::Sources;
use crate::time::{self, Civil, LATEST_TIME, TimeError, parse_rfc3339};
use clap::{Args, ValueEnum};
use serde_json::json;
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

pub const AFTER_HELP: &str = "\
The log: one JSON object per line, an instance as `render --input` reads it with `at` (RFC 3339) \
and the ids its event needs:
  {\"at\": \"2025-01-06T09:00:00Z\", \"event\": \"approval-pending\", \"scope\": \"entra-role\", \"request\": \"r-1\", …}
  {\"at\": \"…\", \"event\": \"role-assigned\", \"scope\": \"azure-resource\", \"assignment\": \"a-7\", \"end\": \"2025-03-01T00:00:00Z\", …}
  {\"at\": \"…\", \"event\": \"provisioning-failure\", \"scope\": \"app-provisioning\", \"application\": \"Salesforce\", …}
  {\"at\": \"…\", \"assignment\": \"a-7\", \"removed\": true}
`approval-pending` and `request-approved` leave after --approval-delay; an approval before the \
pending email leaves sets `approved-before-first-email` on it. An assignment with `end` gets \
`role-expiring` 14 days and 1 day before it and `role-expired` at it. The weekly digest leaves \
every Monday 00:00 UTC. `provisioning-failure`: one email per application per UTC day; later \
failures are reported the next day at 00:00. See the README's `simulate` section.

Output: one line per email, {\"at\", \"event\", \"to\", \"recipient\", \"subject\"}, in send order \
(ties: in the order scheduled, then render's recipient order).";

#[derive(Args, Debug)]
pub struct SimulateArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The log: JSON lines, each an event with `at` and the ids it needs, or a removal (`-` for
    /// stdin)
    #[arg(long, value_name = "EVENTS.jsonl")]
    pub input: PathBuf,
    /// People by recipient class who receive the time-driven emails (reminders, the weekly
    /// digest), as an instance's `people`: {"global-administrator": [{"name", "email"}], …}
    #[arg(long, value_name = "FILE")]
    pub directory: Option<PathBuf>,
    /// How long the request approval engine takes to send `approval-pending` and
    /// `request-approved` (`90s`, `5m`, `1h`, `1h30m`; the documents say 3 to 10 minutes for 90 %)
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = time::parse_duration)]
    pub approval_delay: i64,
    /// How much earlier than the latest line read so far a line may be; within it the log is
    /// sorted by time (stably), beyond it a line is an error (`0`: the log must be sorted)
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = time::parse_duration)]
    pub reorder_window: i64,
    /// Send nothing after this time (RFC 3339); without it, everything scheduled is sent (the
    /// last digest is always the one of the week of the last event)
    #[arg(long, value_name = "TIME", value_parser = parse_until)]
    pub until: Option<i64>,
    /// A fact of the weekly digest, e.g. `cloud=government` (repeatable; log lines carry their
    /// own facts)
    #[arg(long = "set", value_name = "FACT=VALUE")]
    pub set: Vec<String>,
    /// The language of the emails
    #[arg(long, value_name = "LOCALE", default_value = "en")]
    pub locale: String,
    /// Output format on standard output
    #[arg(long, value_enum, default_value_t = SimulateFormat::Jsonl)]
    pub format: SimulateFormat,
    /// Also write every email as an `.eml` file into DIR (created when missing), named
    /// `20250106T090500Z-000001-ada@contoso.com.eml` so that names sort in send order
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Report a bad line as a warning and simulate the rest (exit 0)
    #[arg(long)]
    pub keep_going: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    /// one JSON object per email: {"at", "event", "to", "recipient", "subject"}
    Jsonl,
    /// a timeline: each day, each send with its cause, each email under it
    Text,
}

fn parse_until(text: &str) -> Result<i64, String> {
    parse_rfc3339(text).map_err(|error| match error {
        TimeError::NotRfc3339 => {
            format!("`{text}` is not an RFC 3339 time such as `2025-01-13T00:00:00Z`")
        }
        TimeError::TooEarly | TimeError::TooLate => error.describe("--until", text),
    })
}

pub fn simulate(args: &SimulateArgs, color: ColorMode) -> Exit {
    run(args, color).err().unwrap_or(Exit::Success)
}

fn run(args: &SimulateArgs, color: ColorMode) -> Result<(), Exit> {
    let mut build = build_rules(&args.rules.rules, &[], color)?;
    let compiled = build.compiled.clone();
    let catalogues = checked_catalogues(&mut build, color)?;
    let mut rule_sets = Vec::with_capacity(compiled.len());
    for (rule_set, loaded) in compiled.iter().zip(&catalogues) {
        let Some(catalogue) = loaded.locale(&args.locale) else {
            output::error(format_args!(
                "unknown locale `{}` for rule set `{}`; the available locales are {}",
                args.locale,
                rule_set.table.vocabulary.header.name,
                crate::check::backticked_all(&loaded.tags())
            ));
            return Err(Exit::Usage);
        };
        rule_sets.push((&rule_set.table, catalogue));
    }
    if rule_sets.is_empty() {
        output::error("no rule set was given");
        return Err(Exit::Usage);
    }
    let vocabularies: Vec<_> = compiled.iter().map(|c| &c.table.vocabulary).collect();
    let directory = match &args.directory {
        None => Vec::new(),
        Some(path) => {
            let (name, text) = read_json_file(path, JsonInput::Directory, color)?;
            read_directory(&text, &vocabularies)
                .map_err(|error| report(JsonInput::Directory, &error, &name, &text, color))?
        }
    };
    let settings = Settings {
        approval_delay: args.approval_delay,
        digest: digest_settings(&vocabularies, &args.set)?,
        until: args.until,
        directory,
    };
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).map_err(|e| {
            output::error(format_args!("cannot create `{}`: {e}", dir.display()));
            Exit::Usage
        })?;
    }
    let (input_name, input) = open_log(&args.input)?;
    let mailer = Mailer::new(rule_sets);
    let options = ReplayOptions {
        reorder_window: args.reorder_window,
        keep_going: args.keep_going,
    };
    let mut replay = Replay::new(vocabularies, settings, options);
    let mut printer = Printer::new(args, &mailer, &input_name, color);
    let outcome = replay.run(input, Some(&mailer), &mut printer);
    if let Err(Stopped::Read(e)) = &outcome {
        output::error(format_args!("cannot read log `{input_name}`: {e}"));
    }
    let flushed = printer.flush();
    let ended = match outcome {
        Ok(()) => flushed,
        Err(Stopped::Sink(stop)) => Err(stop),
        Err(Stopped::Read(_)) => Err(Stop::Exit(Exit::Usage)),
        Err(Stopped::Failed) => Err(Stop::Exit(Exit::Findings)),
    };
    if let Err(Stop::Exit(exit)) = ended {
        return Err(exit);
    }
    let skipped = replay.skipped();
    if skipped > 0 {
        eprintln!(
            "warning: {skipped} bad {} skipped",
            if skipped == 1 { "line" } else { "lines" }
        );
    }
    let left = replay.scheduled();
    if left > 0 {
        let sends = if left == 1 { "send" } else { "sends" };
        match args.until {
            Some(until) => eprintln!(
                "note: {left} scheduled {sends} fall after --until {} and are not sent",
                time::rfc3339(until)
            ),
            None => eprintln!(
                "note: {left} scheduled {sends} would leave after {}, the latest time pimrules writes, and are not sent",
                time::rfc3339(LATEST_TIME)
            ),
        }
    }
    Ok(())
}

/// The catalogues of every rule set of the build, checked (E017 is exit 1).
fn checked_catalogues(build: &mut Build, color: ColorMode) -> Result<Vec<Catalogues>, Exit> {
    let (catalogues, problems) = Catalogues::load_all_checked(build);
    output::diagnostics(&problems, &build.loaded.sources, color);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(Exit::Findings);
    }
    Ok(catalogues)
}

/// The log's name for messages and a reader of its lines (`-`: standard input).
fn open_log(path: &Path) -> Result<(String, Box<dyn BufRead>), Exit> {
    if path.as_os_str() == "-" {
        return Ok(("<stdin>".to_owned(), Box::new(std::io::stdin().lock())));
    }
    let name = path.display().to_string();
    let file = crate::files::Disk::open(path).map_err(|e| {
        output::error(format_args!("cannot read log `{name}`: {e}"));
        Exit::Usage
    })?;
    Ok((name, Box::new(std::io::BufReader::new(file))))
}

/// The digest's rule set (the first that declares `weekly-digest` in `entra-role`) and its
/// facts from `--set`; a bad setting is a usage error.
fn digest_settings(
    vocabularies: &[&crate::ruleset::Vocabulary],
    set: &[String],
) -> Result<Option<DigestSettings>, Exit> {
    let rule_set = vocabularies
        .iter()
        .position(|v| v.event(WEEKLY_DIGEST).is_some() && v.scope(DIGEST_SCOPE).is_some());
    let Some(rule_set) = rule_set else {
        if !set.is_empty() {
            output::error(format_args!(
                "--set gives facts of the weekly digest, but no rule set declares `{WEEKLY_DIGEST}` in `{DIGEST_SCOPE}`"
            ));
            return Err(Exit::Usage);
        }
        return Ok(None);
    };
    let mut facts = Vec::with_capacity(set.len());
    for setting in set {
        let pair = split_setting(setting).map_err(|e| {
            output::error(e);
            Exit::Usage
        })?;
        facts.push(pair);
    }
    parse_settings(vocabularies[rule_set], facts.iter().copied()).map_err(|e| {
        output::error(e);
        Exit::Usage
    })?;
    Ok(Some(DigestSettings {
        rule_set,
        facts: facts
            .into_iter()
            .map(|(fact, value)| (fact.to_owned(), value.to_owned()))
            .collect(),
    }))
}

/// Why a run stops early.
enum Stop {
    /// standard output was closed (`simulate … | head`): not an error
    ClosedOutput,
    Exit(Exit),
}

/// Writes the emails: JSON lines or the timeline on standard output, `.eml` files in a folder;
/// and the log's problems on standard error.
struct Printer<'a> {
    out: BufWriter<std::io::Stdout>,
    format: SimulateFormat,
    out_dir: Option<PathBuf>,
    approval_delay: i64,
    /// the vocabularies of the rule sets
    mailer: &'a Mailer<'a>,
    input_name: &'a str,
    color: ColorMode,
    /// emails written so far (numbers the `.eml` files)
    emails: usize,
    /// the day of the last send on the timeline
    day: Option<i64>,
}

impl Sink for Printer<'_> {
    type Stop = Stop;

    fn sent(&mut self, dispatch: &Dispatch, rendering: Option<&Rendering>) -> Result<(), Stop> {
        let vocabulary = self.mailer.vocabulary(dispatch.rule_set);
        self.print(dispatch, rendering, vocabulary)
    }

    /// The E019 diagnostic of a problem, with its help; in the line when its text is given.
    fn problem(&mut self, _: Problem, error: &LogError, text: Option<&str>, severity: Severity) {
        let mut sources = Sources::new();
        let diagnostic = error
            .diagnostic(self.input_name, text, &mut sources)
            .with_severity(severity);
        // warnings are printed as they come, so the run's output and its warnings interleave
        self.flush_quietly();
        output::diagnostic(diagnostic, &sources, self.color);
    }
}

impl<'a> Printer<'a> {
    fn new(
        args: &SimulateArgs,
        mailer: &'a Mailer<'a>,
        input_name: &'a str,
        color: ColorMode,
    ) -> Self {
        Printer {
            out: BufWriter::new(std::io::stdout()),
            format: args.format,
            out_dir: args.out_dir.clone(),
            approval_delay: args.approval_delay,
            mailer,
            input_name,
            color,
            emails: 0,
            day: None,
        }
    }

    fn print(
        &mut self,
        dispatch: &Dispatch,
        rendering: Option<&Rendering>,
        vocabulary: Option<&Vocabulary>,
    ) -> Result<(), Stop> {
        let emails = rendering.map_or(&[][..], |r| r.emails.as_slice());
        let class = |email: &Email| {
            let first = email.recipient.classes.first();
            vocabulary
                .zip(first)
                .map_or("", |(v, class)| v.class_name(*class))
        };
        let mut text = String::new();
        match self.format {
            SimulateFormat::Jsonl => {
                for email in emails {
                    let line = json!({
                        "at": time::rfc3339(dispatch.at),
                        "event": dispatch.instance.event,
                        "to": email.recipient.address,
                        "recipient": class(email),
                        "subject": email.body.content.subject,
                    });
                    text.push_str(&line.to_string());
                    text.push('\n');
                }
            }
            SimulateFormat::Text => self.timeline(&mut text, dispatch, emails, class),
        }
        self.write(text.as_bytes())?;
        if let (Some(dir), Some(rendering)) = (&self.out_dir, rendering) {
            for (index, email) in rendering.emails.iter().enumerate() {
                let name = format!(
                    "{}-{:06}-{}.eml",
                    time::compact(dispatch.at),
                    self.emails + index + 1,
                    file_name_part(&email.recipient.address)
                );
                output::write_atomically(&dir.join(name), &mime::eml(rendering, email))
                    .map_err(Stop::Exit)?;
            }
        }
        self.emails += emails.len();
        Ok(())
    }

    /// A day heading when the day changes, the send with its cause, then one line per email.
    fn timeline<'e>(
        &mut self,
        text: &mut String,
        dispatch: &Dispatch,
        emails: &'e [Email],
        class: impl Fn(&'e Email) -> &'e str,
    ) {
        let civil = Civil::of(dispatch.at);
        let day = time::day_start(dispatch.at);
        if self.day != Some(day) {
            if self.day.is_some() {
                text.push('\n');
            }
            text.push_str(&format!("{} {}\n", civil.weekday_name(), civil.date()));
            self.day = Some(day);
        }
        text.push_str(&format!(
            "  {}  {} in {} ({})\n",
            civil.time(),
            dispatch.instance.event,
            dispatch.instance.scope,
            describe(&dispatch.cause, self.approval_delay)
        ));
        if emails.is_empty() {
            text.push_str("            nobody is emailed\n");
            return;
        }
        let rows: Vec<(&str, &str, &str)> = emails
            .iter()
            .map(|email| {
                (
                    email.recipient.address.as_str(),
                    class(email),
                    email.body.content.subject.as_str(),
                )
            })
            .collect();
        let to_width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
        let class_width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
        for (to, class, subject) in rows {
            text.push_str(&format!(
                "            {to:to_width$}  {class:class_width$}  {subject}\n"
            ));
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Stop> {
        self.out.write_all(bytes).map_err(closed_or_failed)
    }

    fn flush(&mut self) -> Result<(), Stop> {
        self.out.flush().map_err(closed_or_failed)
    }

    /// Flush before a diagnostic, so output and diagnostics keep their order; a failure shows
    /// again at the next write.
    fn flush_quietly(&mut self) {
        let _ = self.out.flush();
    }
}

/// A write error: a closed pipe stops the run quietly, anything else is exit 2.
fn closed_or_failed(e: std::io::Error) -> Stop {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Stop::ClosedOutput
    } else {
        output::error(format_args!("cannot write to standard output: {e}"));
        Stop::Exit(Exit::Usage)
    }
}

/// Why a send leaves when it does, for the timeline.
fn describe(cause: &Cause, approval_delay: i64) -> String {
    let delay = time::format_duration(approval_delay);
    match cause {
        Cause::Logged { line } => format!("line {line}"),
        Cause::PendingApproval {
            line,
            request,
            approved_first,
        } => {
            let mut text = format!("request {request} of line {line}, {delay} later");
            if *approved_first {
                text.push_str("; approved before this email left");
            }
            text
        }
        Cause::Approved { line, request } => {
            format!("request {request} approved on line {line}, {delay} later")
        }
        Cause::Reminder { assignment, end } => {
            format!("assignment {assignment} ends {}", time::readable(*end))
        }
        Cause::Expiry { assignment } => format!("assignment {assignment} has ended"),
        Cause::Digest { week_start } => {
            format!("the week from {}", Civil::of(*week_start).date())
        }
        Cause::Provisioning {
            line,
            application,
            more,
            next_day: false,
        } => match more {
            0 => format!("line {line}, the day's first failure of {application}"),
            n => format!("line {line}, the day's first failure of {application}, and {n} earlier"),
        },
        Cause::Provisioning {
            line,
            application,
            more,
            ..
        } => match more {
            0 => format!("a failure of {application} counted the day before, line {line}"),
            n => format!(
                "the last of {} failures of {application} counted the day before, line {line}",
                n + 1
            ),
        },
    }
}
