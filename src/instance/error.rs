//! What can be wrong with an instance (or a directory `simulate` reads): the problem, where it
//! is in the text, and the diagnostic it becomes (E014 for a limit, else E018 or E019).

use std::ops::Range;

/// A JSON document pimrules reads instances from, which decides the code of its problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonInput {
    /// `render --input`: E018
    Instance,
    /// `simulate --directory`: E019, as the log it completes
    Directory,
}

impl JsonInput {
    /// What messages call it.
    pub fn name(self) -> &'static str {
        match self {
            JsonInput::Instance => "instance",
            JsonInput::Directory => "directory",
        }
    }

    fn code(self) -> crate::diagnostic::Code {
        match self {
            JsonInput::Instance => crate::diagnostic::Code::E018,
            JsonInput::Directory => crate::diagnostic::Code::E019,
        }
    }
}

/// A problem with an instance, with where to point in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceError {
    pub message: String,
    pub location: Location,
    pub help: Option<String>,
    /// the problem is a limit exceeded (E014), not an invalid instance (E018)
    pub limit_exceeded: bool,
}

/// Where an instance problem is in the instance's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// a byte range
    Range(Range<usize>),
    /// the first occurrence of this JSON string literal (a value or key as written)
    Literal(String),
    Nowhere,
}

impl InstanceError {
    pub fn new(message: impl Into<String>, location: Location) -> Self {
        InstanceError {
            message: message.into(),
            location,
            help: None,
            limit_exceeded: false,
        }
    }

    /// An instance over one of the limits of [`crate::instance`] (`MAX_…`).
    pub fn limit(message: impl Into<String>, location: Location) -> Self {
        InstanceError {
            limit_exceeded: true,
            ..InstanceError::new(message, location)
        }
    }

    /// An error pointing at the string `literal` where it occurs in the instance.
    pub fn at_literal(message: impl Into<String>, literal: &str) -> Self {
        InstanceError::new(message, Location::Literal(literal.to_owned()))
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The problem with `input` as a diagnostic in `file`, whose text is `text`, at its place:
    /// E014 for a limit, else the input's code.
    pub fn diagnostic(
        &self,
        input: JsonInput,
        file: crate::source::FileId,
        text: &str,
    ) -> crate::diagnostic::Diagnostic {
        use crate::diagnostic::{Code, Diagnostic};
        let code = if self.limit_exceeded {
            Code::E014
        } else {
            input.code()
        };
        let diagnostic = Diagnostic::error(code, self.message.clone()).with_help(self.help.clone());
        match self.range_in(text) {
            Some(range) => diagnostic.at(crate::source::Span::new(file, range), "here"),
            None => diagnostic,
        }
    }

    /// The byte range to underline in `text`, if the location can be found there.
    pub fn range_in(&self, text: &str) -> Option<Range<usize>> {
        match &self.location {
            Location::Range(range) => Some(range.clone()),
            Location::Literal(literal) => {
                let quoted = serde_json::to_string(literal).ok()?;
                text.find(&quoted).map(|at| at..at + quoted.len())
            }
            Location::Nowhere => None,
        }
    }
}
