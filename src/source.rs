//! Source files and locations: every text pimrules reads is registered here once, and every
//! diagnostic points into it with a [`Span`] (file + byte range), rendered as `file:line:col`.

use codespan_reporting::files::{Files, SimpleFile, SimpleFiles};
use std::ops::Range;

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub usize);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            start: range.start,
            end: range.end,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The smallest span covering both (which must be in the same file).
    pub fn to(&self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// Where a source text came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// a file on disk, by the path it was opened with
    Disk(std::path::PathBuf),
    /// a rule file embedded in the binary, by its file name in `rules/`
    Shipped(&'static str),
    /// text handed to the library directly (tests, benchmarks, other tools)
    Memory(String),
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// Every source text of one run, addressable by [`FileId`].
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    origins: Vec<Origin>,
    /// the first file of each origin, so that finding one takes no longer with many files
    first_of: std::collections::HashMap<Origin, FileId>,
    /// per file, how many lines of a longer input come before its text (0 for a whole file)
    lines_before: Vec<usize>,
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, name: String, text: String, origin: Origin) -> FileId {
        self.add_excerpt(name, text, origin, 0)
    }

    /// Add one part of a longer input that is never held whole (a line of a streamed log): its
    /// lines are numbered as in the input, after `lines_before` lines.
    pub fn add_excerpt(
        &mut self,
        name: String,
        text: String,
        origin: Origin,
        lines_before: usize,
    ) -> FileId {
        let id = FileId(self.files.add(name, text));
        self.first_of.entry(origin.clone()).or_insert(id);
        self.origins.push(origin);
        self.lines_before.push(lines_before);
        id
    }

    /// How many lines of the input come before the file's text (0 for a whole file).
    pub fn lines_before(&self, id: FileId) -> usize {
        self.lines_before.get(id.0).copied().unwrap_or(0)
    }

    pub fn file(&self, id: FileId) -> Option<&SimpleFile<String, String>> {
        self.files.get(id.0).ok()
    }

    pub fn text(&self, id: FileId) -> &str {
        self.file(id).map(|f| f.source().as_str()).unwrap_or("")
    }

    pub fn name(&self, id: FileId) -> &str {
        self.file(id).map(|f| f.name().as_str()).unwrap_or("")
    }

    pub fn origin(&self, id: FileId) -> Option<&Origin> {
        self.origins.get(id.0)
    }

    /// The file whose origin is `origin`, if it was already added.
    pub fn find(&self, origin: &Origin) -> Option<FileId> {
        self.first_of.get(origin).copied()
    }

    pub fn len(&self) -> usize {
        self.origins.len()
    }

    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, id: FileId, offset: usize) -> LineColumn {
        match self.files.location(id.0, offset) {
            Ok(loc) => LineColumn {
                line: loc.line_number + self.lines_before(id),
                column: loc.column_number,
            },
            Err(_) => LineColumn { line: 1, column: 1 },
        }
    }

    /// `file:line:col` for the start of a span.
    pub fn locate(&self, span: Span) -> String {
        let at = self.line_column(span.file, span.start);
        format!(
            "{}:{}:{}",
            crate::neutral::file_name(self.name(span.file)),
            at.line,
            at.column
        )
    }

    /// The files as codespan-reporting holds them, for printing diagnostics with it.
    pub fn codespan_files(&self) -> &SimpleFiles<String, String> {
        &self.files
    }
}
