//! A bad line of the log: its number, the column when the problem is at one place, the
//! message and help, and how it becomes an E019 diagnostic located in the line's text.

use crate::instance::InstanceError;

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
    pub(super) fn from_instance(line: usize, text: &str, error: InstanceError) -> Self {
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
pub(super) fn column(text: &str, at: usize) -> Option<usize> {
    text.get(..at).map(|before| before.chars().count() + 1)
}
