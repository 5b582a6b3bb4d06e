//! One replay of a log, the loop every user of `simulate` runs: lines read and checked, put in
//! order by the reorder window, fed to the [`Simulator`], each dispatch rendered by the [`Mailer`].
//!
//! What leaves goes to a [`Sink`] as soon as nothing earlier can still be sent; bad lines go
//! there too, as errors that end the replay or, keeping going, as warnings. No I/O: the caller
//! opens the log and writes what the sink is given.

use super::log::{LineReader, LogError, LogLines, ReorderWindow};
use super::{Cause, Dispatch, Mailer, Settings, Simulator, TimedEvent};
use crate::diagnostic::Severity;
use crate::render::Rendering;
use crate::ruleset::Vocabulary;
use std::io::BufRead;

/// How a replay reads its log.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReplayOptions {
    /// seconds a line may come before the latest line read so far (`0`: the log is sorted)
    pub reorder_window: i64,
    /// a bad line is a warning and the rest is replayed; without it, it ends the replay
    pub keep_going: bool,
}

/// Where a replay's results go, in send order.
pub trait Sink {
    /// Why the sink ends the replay (its output closed, a file not written).
    type Stop;

    /// A dispatch that left, with its emails when a mailer rendered them (`None` without a
    /// mailer, or when its rule set sends nothing for it).
    fn sent(
        &mut self,
        dispatch: &Dispatch,
        rendering: Option<&Rendering>,
    ) -> Result<(), Self::Stop>;

    /// A problem with the log, with the text of its line when it is at hand. An error ends
    /// the replay; a warning (keeping going) does not.
    fn problem(
        &mut self,
        problem: Problem,
        error: &LogError,
        line_text: Option<&str>,
        severity: Severity,
    );
}

/// What a problem with the log is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// a line that does not read, or that the reorder window refuses
    BadLine,
    /// a line the engine refuses: the open state is full (or out of order, which the window
    /// prevents)
    Refused,
    /// a dispatch that does not render
    Unrendered,
}

/// Why a replay ended before the end of its log.
#[derive(Debug)]
pub enum Stopped<S> {
    /// the log could not be read
    Read(std::io::Error),
    /// a bad line or a dispatch that did not render, given to the sink as an error
    Failed,
    /// the sink ended it
    Sink(S),
}

/// A replay: the reading, the window and the engine, with what they hold open.
pub struct Replay<'a> {
    reader: LineReader<'a>,
    window: ReorderWindow,
    simulator: Simulator,
    keep_going: bool,
    skipped: usize,
    /// reused for what each event sends
    sent: Vec<Dispatch>,
}

impl<'a> Replay<'a> {
    /// A replay of lines read against the `vocabularies` of the rule sets, in the order given
    /// (see [`LineReader::new`]), simulated with `settings`.
    pub fn new(
        vocabularies: Vec<&'a Vocabulary>,
        settings: Settings,
        options: ReplayOptions,
    ) -> Self {
        Replay {
            reader: LineReader::new(vocabularies),
            window: ReorderWindow::new(options.reorder_window),
            simulator: Simulator::new(settings),
            keep_going: options.keep_going,
            skipped: 0,
            sent: Vec::new(),
        }
    }

    /// Replay the whole log `input` into `sink`, each dispatch rendered by `mailer` when one
    /// is given (without one, the timing alone).
    pub fn run<S: Sink>(
        &mut self,
        input: impl BufRead,
        mailer: Option<&Mailer>,
        sink: &mut S,
    ) -> Result<(), Stopped<S::Stop>> {
        let mut out = Out { mailer, sink };
        for item in LogLines::new(input) {
            let (line, text) = item.map_err(Stopped::Read)?;
            let ready = match &text {
                Ok(text) => self
                    .reader
                    .read(line, text)
                    .and_then(|event| self.window.push(event)),
                Err(error) => Err(error.clone()),
            };
            match ready {
                Ok(events) => {
                    for event in events {
                        self.feed(event, &mut out)?;
                    }
                }
                // a problem with the line just read is shown in it
                Err(error) => {
                    let shown = text.as_deref().ok().filter(|_| error.line == line);
                    self.bad_line(Problem::BadLine, &error, shown, &mut out)?
                }
            }
        }
        for event in self.window.finish() {
            self.feed(event, &mut out)?;
        }
        let mut rest = Vec::new();
        self.simulator.finish(&mut rest);
        out.send(&rest)
    }

    /// How many bad lines were skipped (keeping going).
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// How many sends are still scheduled: after the run, those after `until` or after the
    /// latest time pimrules writes.
    pub fn scheduled(&self) -> usize {
        self.simulator.scheduled()
    }

    fn feed<S: Sink>(
        &mut self,
        event: TimedEvent,
        out: &mut Out<'_, '_, '_, S>,
    ) -> Result<(), Stopped<S::Stop>> {
        let mut sent = std::mem::take(&mut self.sent);
        sent.clear();
        // a refused line (the open state is full; out of order, which the window prevents)
        // is a bad line; what left before it is sent either way
        let fed = self.simulator.feed(event, &mut sent);
        let result = out
            .send(&sent)
            .and_then(|()| fed.or_else(|error| self.bad_line(Problem::Refused, &error, None, out)));
        self.sent = sent;
        result
    }

    /// A bad line: an error that ends the replay, or keeping going a warning.
    fn bad_line<S: Sink>(
        &mut self,
        problem: Problem,
        error: &LogError,
        text: Option<&str>,
        out: &mut Out<'_, '_, '_, S>,
    ) -> Result<(), Stopped<S::Stop>> {
        if self.keep_going {
            out.sink.problem(problem, error, text, Severity::Warning);
            self.skipped += 1;
            Ok(())
        } else {
            out.sink.problem(problem, error, text, Severity::Error);
            Err(Stopped::Failed)
        }
    }
}

/// The rendering of what leaves, and where it goes.
struct Out<'m, 'r, 's, S> {
    mailer: Option<&'m Mailer<'r>>,
    sink: &'s mut S,
}

impl<S: Sink> Out<'_, '_, '_, S> {
    fn send(&mut self, dispatches: &[Dispatch]) -> Result<(), Stopped<S::Stop>> {
        for dispatch in dispatches {
            let rendering = match self.mailer {
                None => None,
                Some(mailer) => mailer.render(dispatch).map_err(|error| {
                    let unrendered = LogError {
                        line: cause_line(&dispatch.cause).unwrap_or(0),
                        column: None,
                        message: format!(
                            "cannot render `{}`: {}",
                            dispatch.instance.event, error.message
                        ),
                        help: error.help,
                    };
                    self.sink
                        .problem(Problem::Unrendered, &unrendered, None, Severity::Error);
                    Stopped::Failed
                })?,
            };
            self.sink
                .sent(dispatch, rendering.as_ref())
                .map_err(Stopped::Sink)?;
        }
        Ok(())
    }
}

/// The log line behind a dispatch, when there is one.
fn cause_line(cause: &Cause) -> Option<usize> {
    match cause {
        Cause::Logged { line }
        | Cause::PendingApproval { line, .. }
        | Cause::Approved { line, .. }
        | Cause::Provisioning { line, .. } => Some(*line),
        Cause::Reminder { .. } | Cause::Expiry { .. } | Cause::Digest { .. } => None,
    }
}
