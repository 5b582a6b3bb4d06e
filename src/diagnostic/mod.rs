//! Diagnostics shared by every stage: a stable code, a one-line message, labelled spans and
//! help, rendered through codespan-reporting as `file:line:col` with the offending text underlined.

mod codes;
pub mod emit;

use crate::neutral;
use crate::source::{Sources, Span};
pub use codes::{About, Code};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{self, Files, SimpleFiles};
use codespan_reporting::term;
use codespan_reporting::term::termcolor::Buffer;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A span with a short message: the underline and the words next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in the input: an error of any stage or a lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// boxed to keep `Result<_, Diagnostic>` small
    pub primary: Option<Box<Label>>,
    pub secondary: Vec<Label>,
    pub help: Vec<String>,
    /// what lint adds: the rule set and the witness event (boxed, as `primary`)
    pub extras: Option<Box<Extras>>,
}

/// The structured part of a lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extras {
    /// the name of the rule set it was found in
    pub rule_set: String,
    pub witness: Option<WitnessEvent>,
}

/// One concrete event that shows a finding, by name, as `eval` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitnessEvent {
    pub scope: String,
    pub event: String,
    /// every fact with its value, in declaration order
    pub facts: Vec<(String, String)>,
    /// `approval-pending in entra-role with explicit-approvers = true`
    pub text: String,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: Vec::new(),
            extras: None,
        }
    }

    /// The same problem at another level (a lint level, a bad line skipped by `--keep-going`).
    pub fn with_severity(self, severity: Severity) -> Self {
        Diagnostic { severity, ..self }
    }

    /// The rule set it was found in.
    pub fn rule_set(&self) -> Option<&str> {
        self.extras.as_ref().map(|e| e.rule_set.as_str())
    }

    /// The event that shows it, if one can.
    pub fn witness(&self) -> Option<&WitnessEvent> {
        self.extras.as_ref().and_then(|e| e.witness.as_ref())
    }

    /// Every label, the primary one first.
    pub fn labels(&self) -> impl Iterator<Item = &Label> {
        self.primary.iter().map(|b| &**b).chain(&self.secondary)
    }

    /// Underline `span` with `message` as the primary label.
    pub fn at(mut self, span: Span, message: impl Into<String>) -> Self {
        self.primary = Some(Box::new(Label {
            span,
            message: message.into(),
        }));
        self
    }

    pub fn also(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    pub fn with_help(self, help: Option<String>) -> Self {
        match help {
            Some(h) => self.help(h),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic for codespan, its labels over `files` (the run's files made neutral) when
    /// given: every text neutral, every label moved to where its bytes are in the neutral text.
    /// The notes: its help, its witness, and its rule set when `name_rule_set`.
    fn to_codespan(
        &self,
        files: Option<&NeutralFiles>,
        name_rule_set: bool,
    ) -> cs::Diagnostic<usize> {
        let severity = match self.severity {
            Severity::Warning => cs::Severity::Warning,
            Severity::Error => cs::Severity::Error,
        };
        let mut labels = Vec::new();
        if let Some(files) = files {
            let label = |style, label: &Label| files.label(style, label.span, &label.message);
            if let Some(primary) = &self.primary {
                labels.push(label(cs::LabelStyle::Primary, primary));
            }
            for secondary in &self.secondary {
                labels.push(label(cs::LabelStyle::Secondary, secondary));
            }
        }
        let mut notes: Vec<String> = self
            .help
            .iter()
            .map(|h| format!("help: {}", neutral::escape(h)))
            .collect();
        if let Some(witness) = self.witness() {
            notes.push(format!("witness: {}", neutral::escape(&witness.text)));
        }
        if let Some(rule_set) = self.rule_set().filter(|_| name_rule_set) {
            notes.push(format!("in rule set `{}`", neutral::escape(rule_set)));
        }
        cs::Diagnostic::new(severity)
            .with_code(self.code.as_str())
            .with_message(neutral::escape(&self.message))
            .with_labels(labels)
            .with_notes(notes)
    }
}

/// Whether diagnostics are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorMode {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorMode {
    /// Resolve `auto`: colour only on a terminal, and only if the user has not asked for none
    /// (`no_color`: the command line's `NO_COLOR` set and not empty).
    pub fn use_color(self, is_terminal: bool, no_color: bool) -> bool {
        match self {
            ColorMode::Always => true,
            ColorMode::Never => false,
            ColorMode::Auto => is_terminal && !no_color,
        }
    }
}

/// Render diagnostics as codespan-reporting's rich text. Several rule sets may share a library
/// file: then each finding says which rule set it is of.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = term::Config::default();
    let spans = diagnostics
        .iter()
        .flat_map(Diagnostic::labels)
        .map(|label| label.span);
    let files = NeutralFiles::of(spans, sources);
    let mut rule_sets = diagnostics.iter().filter_map(Diagnostic::rule_set);
    let first = rule_sets.next();
    let several = rule_sets.any(|r| Some(r) != first);
    for diagnostic in diagnostics {
        let rich = diagnostic.to_codespan(Some(&files), several);
        if term::emit_to_write_style(&mut buffer, &config, &files, &rich).is_err() {
            // a label outside its file: still say what is wrong, without the snippet
            let plain = diagnostic.to_codespan(None, several);
            let _ = term::emit_to_write_style(&mut buffer, &config, &files, &plain);
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// The files of a run as diagnostics print them: names and texts made neutral (only the texts
/// diagnostics point into are kept), where each original byte went, and the lines before an
/// excerpt's text, so that its lines are numbered as in its input.
pub(crate) struct NeutralFiles {
    files: SimpleFiles<String, String>,
    maps: Vec<neutral::OffsetMap>,
    lines_before: Vec<usize>,
}

impl NeutralFiles {
    /// The files, with the texts of those `spans` point into.
    pub(crate) fn of(spans: impl IntoIterator<Item = Span>, sources: &Sources) -> NeutralFiles {
        let shown: std::collections::BTreeSet<usize> =
            spans.into_iter().map(|span| span.file.0).collect();
        let mut files = SimpleFiles::new();
        let mut maps = Vec::with_capacity(sources.len());
        let mut lines_before = Vec::with_capacity(sources.len());
        for index in 0..sources.len() {
            let id = crate::source::FileId(index);
            let (text, map) = if shown.contains(&index) {
                neutral::escape_mapped(sources.text(id))
            } else {
                (String::new(), neutral::OffsetMap::default())
            };
            files.add(neutral::file_name(sources.name(id)), text);
            maps.push(map);
            lines_before.push(sources.lines_before(id));
        }
        NeutralFiles {
            files,
            maps,
            lines_before,
        }
    }

    /// A label at `span`, moved to where its bytes are in the neutral text, its message neutral.
    pub(crate) fn label(
        &self,
        style: cs::LabelStyle,
        span: Span,
        message: &str,
    ) -> cs::Label<usize> {
        let map = self.maps.get(span.file.0);
        let at = |offset: usize| map.map_or(offset, |m| m.at(offset));
        cs::Label::new(style, span.file.0, at(span.start)..at(span.end))
            .with_message(neutral::escape(message))
    }
}

/// What codespan prints the files from: the neutral texts, lines numbered as in their input.
impl<'a> Files<'a> for NeutralFiles {
    type FileId = usize;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<String, files::Error> {
        self.files.name(id)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, files::Error> {
        self.files.source(id)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, files::Error> {
        self.files.line_index(id, byte_index)
    }

    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, files::Error> {
        Ok(line_index + 1 + self.lines_before.get(id).copied().unwrap_or(0))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, files::Error> {
        self.files.line_range(id, line_index)
    }
}

/// Most diagnostics of one code shown for one file; the rest are counted in one closing line.
pub const MAX_PER_FILE_AND_CODE: usize = 100;

/// Which diagnostics are capped together: the file of the primary label, and the code.
type CapKey = (Option<crate::source::FileId>, Code);

/// Diagnostics as they are found, capped as they arrive: at most [`MAX_PER_FILE_AND_CODE`] of
/// each code per file are kept, the rest only counted, so that a file of a million unknown names
/// costs the memory of a hundred diagnostics, not of a million.
#[derive(Debug, Default)]
pub struct Collected {
    kept: Vec<Diagnostic>,
    /// per key: how many were kept, and how many were only counted
    counts: std::collections::BTreeMap<CapKey, (usize, usize)>,
}

impl Collected {
    /// Keep `diagnostic` if fewer than the cap of its file and code are kept; else count it.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let key = (
            diagnostic.primary.as_ref().map(|l| l.span.file),
            diagnostic.code,
        );
        let (kept, dropped) = self.counts.entry(key).or_default();
        if *kept < MAX_PER_FILE_AND_CODE {
            *kept += 1;
            self.kept.push(diagnostic);
        } else {
            *dropped += 1;
        }
    }

    /// Add what another collection kept and counted.
    pub fn absorb(&mut self, other: Collected) {
        let counted = other.counts;
        self.extend(other.kept);
        for (key, (_, dropped)) in counted {
            self.counts.entry(key).or_default().1 += dropped;
        }
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// The diagnostics kept, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.kept.iter()
    }

    /// The diagnostics kept, in order, then for each (file, code) past the cap one diagnostic at
    /// the last one shown that says how many more there are.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        let Collected { mut kept, counts } = self;
        for (key, (_, more)) in counts {
            let last = kept
                .iter()
                .rev()
                .find(|d| (d.primary.as_ref().map(|l| l.span.file), d.code) == key);
            let (Some(last), true) = (last, more > 0) else {
                continue;
            };
            let mut closing = Diagnostic {
                message: format!("{more} more {} not shown", key.1),
                secondary: Vec::new(),
                help: vec!["fix the ones shown first; they often cause the rest".to_owned()],
                ..last.clone()
            };
            if let Some(primary) = closing.primary.as_mut() {
                primary.message = format!("the last of the {MAX_PER_FILE_AND_CODE} shown");
            }
            kept.push(closing);
        }
        kept
    }
}

impl Extend<Diagnostic> for Collected {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, diagnostics: I) {
        for diagnostic in diagnostics {
            self.push(diagnostic);
        }
    }
}

impl FromIterator<Diagnostic> for Collected {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(diagnostics: I) -> Self {
        let mut collected = Collected::default();
        collected.extend(diagnostics);
        collected
    }
}

/// Counts for the closing summary line, e.g. `2 errors`.
pub fn summary(diagnostics: &[Diagnostic]) -> Option<String> {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    count_summary(errors, diagnostics.len() - errors)
}

/// `2 errors, 1 warning`; `None` for nothing.
pub fn count_summary(errors: usize, warnings: usize) -> Option<String> {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    match (errors, warnings) {
        (0, 0) => None,
        (e, 0) => Some(plural(e, "error")),
        (0, w) => Some(plural(w, "warning")),
        (e, w) => Some(format!("{}, {}", plural(e, "error"), plural(w, "warning"))),
    }
}

/// "did you mean `x`?" — the closest candidate by edit distance, if it is close enough.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(name, candidate);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}
