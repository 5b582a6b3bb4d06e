//! The log `simulate` reads: JSON lines, each an instance with `at` and its ids, or a removal,
//! checked as read (errors name the line and field) and put in order by a reorder window.
//!
//! ```json
//! {"at": "2025-01-06T09:00:00Z", "event": "approval-pending", "scope": "entra-role", "request": "r-1", …}
//! {"at": "2025-01-06T09:02:00Z", "event": "request-approved", "scope": "entra-role", "request": "r-1", …}
//! {"at": "2025-01-06T10:00:00Z", "event": "role-assigned", "scope": "azure-resource",
//!  "assignment": "a-7", "end": "2025-03-01T00:00:00Z", …}
//! {"at": "2025-01-08T12:00:00Z", "assignment": "a-7", "removed": true}
//! ```

use super::capacity::{Capacity, Held};
use super::{
    APPROVAL_PENDING, Change, Occurrence, PROVISIONING_FAILURE, REQUEST_APPROVED, TimedEvent,
    digest,
};
use crate::check::backticked_all;
use crate::diagnostic::did_you_mean;
use crate::instance::{Instance, InstanceError, Person, people_by_class, read_time, unique_keys};
use crate::load::RuleSource;
use crate::ruleset::Vocabulary;
use crate::time::{self, DAY, TIME_HELP};
use crate::{pipeline, render, shipped};
use serde_json::{Map, Value};
use std::cell::OnceCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::BufRead;

/// The longest line read (1 MiB); a longer one is an error, skipped to its end.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The most bytes of one overlong line skipped to reach its end (64 MiB); a longer line ends
/// the log, so an endless stream with no newline is not read for ever.
pub const MAX_SKIPPED_BYTES: usize = 64 << 20;

/// The longest time a log may cover, from its earliest line (ten years): the weekly digests of
/// the weeks between lines are sent, so one mistyped year would otherwise send thousands.
pub const MAX_LOG_SPAN: i64 = 3653 * DAY;

/// The most lines the reorder window holds at once (a million): each waits, parsed, until no
/// line within the window can precede it.
pub const MAX_WINDOW_LINES: usize = 1_000_000;

/// The most bytes of log lines the reorder window holds at once (256 MiB). With
/// [`MAX_WINDOW_LINES`], the window's memory stays under 2 GB: about 1 GB for a million lines
/// like the examples'; a short line weighs about 0.7 KB, a longer one at most 3.3 times its
/// bytes more.
pub const MAX_WINDOW_BYTES: usize = 256 << 20;

/// What the reorder window holds at most: [`MAX_WINDOW_LINES`] lines, [`MAX_WINDOW_BYTES`].
pub const WINDOW_CAPACITY: Capacity = Capacity {
    entries: MAX_WINDOW_LINES,
    bytes: MAX_WINDOW_BYTES,
};

/// The fields a line may have besides an instance's.
const REQUEST: &str = "request";
const ASSIGNMENT: &str = "assignment";
const REMOVED: &str = "removed";

/// A bad line: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogError {
    /// 1-based
    pub line: usize,
    /// 1-based, in characters, when the problem is at one place
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl LogError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        LogError {
            line,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The problem as an E019 diagnostic. With `line_text`, the text of its line, it is located
    /// there (the line added to `sources` as an excerpt of `input`, numbered as in the log);
    /// without it (a line not kept, a time-driven email), its message names the line.
    pub fn diagnostic(
        &self,
        input: &str,
        line_text: Option<&str>,
        sources: &mut crate::source::Sources,
    ) -> crate::diagnostic::Diagnostic {
        use crate::diagnostic::{Code, Diagnostic};
        let Some(text) = line_text.filter(|_| self.line > 0) else {
            let place = match (self.line, self.column) {
                (0, _) => input.to_owned(),
                (line, Some(column)) => format!("{input}:{line}:{column}"),
                (line, None) => format!("{input}:{line}"),
            };
            return Diagnostic::error(Code::E019, format!("{place}: {}", self.message))
                .with_help(self.help.clone());
        };
        let file = sources.add_excerpt(
            input.to_owned(),
            text.to_owned(),
            crate::source::Origin::Memory(input.to_owned()),
            self.line - 1,
        );
        let at = self
            .column
            .and_then(|column| text.char_indices().nth(column - 1))
            .map(|(at, c)| (at..at + c.len_utf8(), "here"));
        let (range, label) = at.unwrap_or((0..0, "in this line"));
        Diagnostic::error(Code::E019, self.message.clone())
            .at(crate::source::Span::new(file, range), label)
            .with_help(self.help.clone())
    }

    /// An instance problem on line `line` whose text is `text`.
    fn from_instance(line: usize, text: &str, error: InstanceError) -> Self {
        LogError {
            line,
            column: error
                .range_in(text)
                .and_then(|range| column(text, range.start)),
            message: error.message,
            help: error.help,
        }
    }
}

/// The 1-based column, in characters, of the byte `at` of the line `text`.
fn column(text: &str, at: usize) -> Option<usize> {
    text.get(..at).map(|before| before.chars().count() + 1)
}

/// The lines of a log, numbered, each at most [`MAX_LINE_BYTES`] and UTF-8; blank lines are
/// skipped, and so is a byte-order mark that starts the first. Reading errors (I/O) end the
/// iteration with `Err`.
pub struct LogLines<R> {
    reader: R,
    number: usize,
    buffer: Vec<u8>,
    /// whether the rest of the last line read (longer than [`MAX_LINE_BYTES`]) is still to skip
    skipping: bool,
}

impl<R: BufRead> LogLines<R> {
    pub fn new(reader: R) -> Self {
        LogLines {
            reader,
            number: 0,
            buffer: Vec::new(),
            skipping: false,
        }
    }

    /// Skip past the end of the overlong line last read, reading at most
    /// [`MAX_SKIPPED_BYTES`]: a line longer than that (an endless stream of bytes with no
    /// newline, such as a pipe from `/dev/zero`) ends the log as unreadable.
    fn skip_rest(&mut self) -> std::io::Result<()> {
        let mut skipped = 0;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok(());
            }
            let room = &available[..available.len().min(MAX_SKIPPED_BYTES - skipped)];
            if let Some(end) = room.iter().position(|b| *b == b'\n') {
                self.reader.consume(end + 1);
                return Ok(());
            }
            if room.is_empty() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "line {} is longer than {}",
                        self.number,
                        crate::bounded::size(MAX_SKIPPED_BYTES as u64)
                    ),
                ));
            }
            skipped += room.len();
            let consumed = room.len();
            self.reader.consume(consumed);
        }
    }
}

impl<R: BufRead> Iterator for LogLines<R> {
    /// the line's number and its text, or what is wrong with it
    type Item = std::io::Result<(usize, Result<String, LogError>)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if std::mem::take(&mut self.skipping)
                && let Err(e) = self.skip_rest()
            {
                return Some(Err(e));
            }
            self.buffer.clear();
            self.number += 1;
            let limit = MAX_LINE_BYTES as u64 + 1;
            let read =
                std::io::Read::take(&mut self.reader, limit).read_until(b'\n', &mut self.buffer);
            match read {
                Err(e) => return Some(Err(e)),
                Ok(0) => return None,
                Ok(_) => {}
            }
            let line = self.number;
            if self.buffer.len() > MAX_LINE_BYTES && !self.buffer.ends_with(b"\n") {
                // skipped when the next line is asked for, so an overlong line is reported at once
                self.skipping = true;
                let error = LogError::new(
                    line,
                    format!("line is longer than {} MiB", MAX_LINE_BYTES / (1024 * 1024)),
                );
                return Some(Ok((line, Err(error))));
            }
            let bytes = self.buffer.strip_suffix(b"\n").unwrap_or(&self.buffer);
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            let bytes = match line {
                1 => crate::json_location::without_bom(bytes),
                _ => bytes,
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(Ok((
                line,
                match std::str::from_utf8(bytes) {
                    Ok(text) => Ok(text.to_owned()),
                    Err(e) => {
                        let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
                        Err(LogError {
                            column: Some(valid.chars().count() + 1),
                            ..LogError::new(line, "line is not UTF-8 text")
                        })
                    }
                },
            )));
        }
    }
}

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
        change: super::Change::Removed { assignment },
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

/// Puts lines in time order while streaming: a line may come at most `window` seconds before
/// the latest line read so far. Lines wait until no line within the window can precede them;
/// at most a [`Capacity`] of them at once.
#[derive(Debug, Clone)]
pub struct ReorderWindow {
    window: i64,
    waiting: BinaryHeap<Reverse<Waiting>>,
    capacity: Capacity,
    /// the lines waiting and their bytes
    held: Held,
    /// the latest `at` read so far, and its line
    latest: Option<(i64, usize)>,
    /// the earliest `at` read so far, and its line
    earliest: Option<(i64, usize)>,
}

/// A line waiting in the window, ordered by time, then by line (a stable sort).
#[derive(Debug, Clone)]
struct Waiting(TimedEvent);

impl Waiting {
    fn key(&self) -> (i64, usize) {
        (self.0.at, self.0.line)
    }
}

impl PartialEq for Waiting {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Waiting {}

impl PartialOrd for Waiting {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Waiting {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl ReorderWindow {
    /// A window of `window` seconds that holds at most [`WINDOW_CAPACITY`].
    pub fn new(window: i64) -> Self {
        ReorderWindow::with_capacity(window, WINDOW_CAPACITY)
    }

    /// A window of `window` seconds that holds at most `capacity`.
    pub fn with_capacity(window: i64, capacity: Capacity) -> Self {
        ReorderWindow {
            window,
            waiting: BinaryHeap::new(),
            capacity,
            held: Held::default(),
            latest: None,
            earliest: None,
        }
    }

    /// Add a line; the lines that can no longer be preceded come back, in time order. A line
    /// that is refused (too early, too late, or one more than the window may hold once the
    /// lines it lets go have left) changes nothing.
    pub fn push(&mut self, event: TimedEvent) -> Result<Vec<TimedEvent>, LogError> {
        if let Some((latest, latest_line)) = self.latest {
            if event.at < latest - self.window {
                return Err(LogError::new(
                    event.line,
                    format!(
                        "`at` {} is more than the reorder window ({}) before line {latest_line}'s {}",
                        time::rfc3339(event.at),
                        time::format_duration(self.window),
                        time::rfc3339(latest),
                    ),
                )
                .help("sort the log by time, or widen the window with `--reorder-window`"));
            }
        }
        if let Some((earliest, earliest_line)) = self.earliest
            && event.at - earliest > MAX_LOG_SPAN
        {
            return Err(LogError::new(
                event.line,
                format!(
                    "`at` {} is more than ten years after line {earliest_line}'s {}; a log covers at most ten years",
                    time::rfc3339(event.at),
                    time::rfc3339(earliest),
                ),
            )
            .help("check the year; simulate a longer history as several logs"));
        }
        let latest = self
            .latest
            .map_or(event.at, |(latest, _)| latest.max(event.at));
        // the line itself never leaves at once: it is no earlier than the new horizon
        let ready = self.release(latest - self.window);
        let freed = ready.iter().map(|event| event.bytes).sum();
        let held = self.held.after(1, event.bytes, ready.len(), freed);
        if let Some(full) = self.capacity.exceeded(held, "lines") {
            let line = event.line;
            for event in ready {
                self.waiting.push(Reverse(Waiting(event)));
            }
            return Err(LogError::new(
                line,
                format!(
                    "the reorder window ({}) would hold more than {full} with this line",
                    time::format_duration(self.window)
                ),
            )
            .help("sort the log by time, or narrow the window with `--reorder-window`"));
        }
        self.held = held;
        if self.latest.is_none_or(|(latest, _)| event.at > latest) {
            self.latest = Some((event.at, event.line));
        }
        if self
            .earliest
            .is_none_or(|(earliest, _)| event.at < earliest)
        {
            self.earliest = Some((event.at, event.line));
        }
        self.waiting.push(Reverse(Waiting(event)));
        Ok(ready)
    }

    /// Take out the lines before `horizon`, in time order.
    fn release(&mut self, horizon: i64) -> Vec<TimedEvent> {
        let mut ready = Vec::new();
        while self
            .waiting
            .peek()
            .is_some_and(|Reverse(waiting)| waiting.0.at < horizon)
        {
            if let Some(Reverse(Waiting(event))) = self.waiting.pop() {
                ready.push(event);
            }
        }
        ready
    }

    /// The lines still waiting, in time order: the log has ended.
    pub fn finish(&mut self) -> Vec<TimedEvent> {
        self.held = Held::default();
        self.release(i64::MAX)
    }
}
