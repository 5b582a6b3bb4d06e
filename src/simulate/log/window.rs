//! The reorder window: lines put in time order while streaming, each held until no line
//! within the window can precede it, within limits of lines, bytes and the span of the log.

use super::error::LogError;
use crate::simulate::TimedEvent;
use crate::simulate::capacity::{Capacity, Held};
use crate::time::{self, DAY};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

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
