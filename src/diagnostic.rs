//! Diagnostics shared by every stage: a stable code, a one-line message, labelled spans and
//! help, rendered through codespan-reporting as `file:line:col` with the offending text underlined.

use crate::neutral;
use crate::source::{Sources, Span};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::Buffer;

/// A stable diagnostic code. Each has a one-line title and a paragraph of documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    E001,
    E002,
    E003,
    E004,
    E005,
    E006,
    E007,
    E008,
    E009,
    E010,
    E011,
    E012,
    E013,
    E014,
    E015,
    E016,
    E017,
    E018,
    E019,
    E020,
}

impl Code {
    pub const ALL: [Code; 20] = [
        Code::E001,
        Code::E002,
        Code::E003,
        Code::E004,
        Code::E005,
        Code::E006,
        Code::E007,
        Code::E008,
        Code::E009,
        Code::E010,
        Code::E011,
        Code::E012,
        Code::E013,
        Code::E014,
        Code::E015,
        Code::E016,
        Code::E017,
        Code::E018,
        Code::E019,
        Code::E020,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::E001 => "E001",
            Code::E002 => "E002",
            Code::E003 => "E003",
            Code::E004 => "E004",
            Code::E005 => "E005",
            Code::E006 => "E006",
            Code::E007 => "E007",
            Code::E008 => "E008",
            Code::E009 => "E009",
            Code::E010 => "E010",
            Code::E011 => "E011",
            Code::E012 => "E012",
            Code::E013 => "E013",
            Code::E014 => "E014",
            Code::E015 => "E015",
            Code::E016 => "E016",
            Code::E017 => "E017",
            Code::E018 => "E018",
            Code::E019 => "E019",
            Code::E020 => "E020",
        }
    }

    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(text))
    }

    /// The short name of the problem.
    pub fn title(self) -> &'static str {
        match self {
            Code::E001 => "syntax error",
            Code::E002 => "not a text file",
            Code::E003 => "nesting too deep",
            Code::E004 => "unknown name",
            Code::E005 => "duplicate",
            Code::E006 => "value outside the fact's domain",
            Code::E007 => "type mismatch",
            Code::E008 => "missing header field",
            Code::E009 => "missing or repeated clause",
            Code::E010 => "invalid email address",
            Code::E011 => "fact without a usable default",
            Code::E012 => "incomplete section mapping",
            Code::E013 => "cannot use file",
            Code::E014 => "limit exceeded",
            Code::E015 => "file belongs to no rule set",
            Code::E016 => "invalid tenant policy",
            Code::E017 => "missing or broken message catalogue",
            Code::E018 => "invalid instance",
            Code::E019 => "invalid event log",
            Code::E020 => "invalid or missing tenant id",
        }
    }

    /// One paragraph that explains the code, what causes it and how to fix it.
    pub fn explanation(self) -> &'static str {
        match self {
            Code::E001 => {
                "The text does not follow the grammar of `.pimrules` files. The message says what was \
                 expected at the marked position. After a syntax error pimrules resumes reading at \
                 the next line that starts, unindented, with a top-level keyword (`rule`, `test`, \
                 `event`, …), so one run reports every broken item."
            }
            Code::E002 => {
                "A `.pimrules` file must be UTF-8 text. The file contains bytes that are not valid \
                 UTF-8, or a NUL byte, which means it is probably binary or in another encoding. \
                 Save it as UTF-8."
            }
            Code::E003 => {
                "A condition is nested more deeply (parentheses and `not`) than pimrules accepts. \
                 The limit keeps the compiler's stack bounded; no readable rule needs more. Flatten \
                 the condition with `and`/`or` or `in { … }`."
            }
            Code::E004 => {
                "A name does not refer to anything declared: an event, scope, recipient class, \
                 fact, template, policy row or section. Names must be declared (in this file or in \
                 one it `use`s) before rules and tests can refer to them. The help suggests the \
                 closest declared name."
            }
            Code::E005 => {
                "Something is declared or listed twice: two declarations with the same name, two \
                 rules or tests with the same name, a header field given twice, or a name repeated \
                 in one list. Remove or rename one of them; the secondary label shows the first."
            }
            Code::E006 => {
                "A condition, default or test compares a fact with a value that is not in the \
                 fact's declared domain. Every fact has a finite domain (`fact cloud: public | \
                 government | china`); use one of its values."
            }
            Code::E007 => {
                "A value of the wrong kind: a `bool` fact compared with a name, an enumerated fact \
                 compared with `true`/`false`, or an enumerated fact used on its own as a \
                 condition. Compare enumerated facts with `==`, `!=` or `in { … }`."
            }
            Code::E008 => {
                "A rule set must say what it is and how its emails are sent: `ruleset \"name\"`, \
                 `sender \"Display Name\" <address>`, `subject-prefix \"…\"` and `max-recipients N`. \
                 One of them is missing."
            }
            Code::E009 => {
                "A rule needs exactly one `on … in …`, one `notify …` and one `template …` clause, \
                 and at most one `when …`; a test needs exactly one `given …` and at least one \
                 `expect …`. A clause is missing or given twice."
            }
            Code::E010 => {
                "An email address is not of the form `local@domain` (no spaces, control characters \
                 or angle brackets, and a dot in the domain)."
            }
            Code::E011 => {
                "Every fact needs a default (`= value`): `eval` uses it when an event does not set \
                 the fact, and the analyses need a complete description of each event."
            }
            Code::E012 => {
                "`section by FACT { value -> section, … }` must map every value of the fact to a \
                 section exactly once, so that every event falls in a well-defined section of the \
                 tenant's notification policy."
            }
            Code::E013 => {
                "A `use \"file\"` could not be followed: the file does not exist, cannot be read, or \
                 using it would form a cycle. Paths are relative to the file that says `use`; the \
                 shipped rule sets can use each other's files by name."
            }
            Code::E014 => {
                "An input exceeds one of pimrules' documented limits (file size, rules, facts, \
                 values per fact, recipient classes, scopes × events, the number of cases a \
                 condition expands to, rows of the decision table, or a `render` instance's size, \
                 people and text fields; the README's \"Limits\" lists them all). The limits keep \
                 every analysis exact and every run bounded in time and memory."
            }
            Code::E015 => {
                "Several rule sets were given at once and a file without a `ruleset` header is not \
                 used by any of them, so pimrules cannot tell which rule set it belongs to. Add \
                 `use \"file.pimrules\"` to the rule set that needs it."
            }
            Code::E016 => {
                "A tenant notification policy (`--policy`) could not be read: it is not JSON, or not \
                 a list of Microsoft Graph `unifiedRoleManagementPolicyNotificationRule`s, or a rule \
                 has an unknown id (`Notification_{Admin|Requestor|Approver}_{Admin_Eligibility|\
                 Admin_Assignment|EndUser_Assignment}`), a level other than `None`, `Critical` or \
                 `All`, or an invalid address. Rules of other kinds (expiration, approval, …) are \
                 skipped. `policy import`, `plan` and `audit` refuse what would make them invent \
                 a setting: a document without notification rules (policy assignments fetched \
                 without `$expand=policy($expand=rules)`), rules that carry only their ids \
                 (`$select=id`), one page of several (`@odata.nextLink`), or a duplicate key; the \
                 message names the request that fetches what is missing."
            }
            Code::E017 => {
                "Every template needs a message, in every locale the rule set's emails can be \
                 rendered in, that words its subject and heading (`role-assigned = …`, optionally \
                 with `.summary`, `.action` and `.link`), and every locale needs the parts of an \
                 email (`email-subject`, `email-footer`, …). Messages come from Fluent catalogues: \
                 the shipped `rules/locales/<locale>/pim.ftl`, overridden by \
                 `locales/<locale>/pim.ftl` next to the rule set's root file and by `<rule \
                 set>.ftl` in either place. Every reference in them must resolve, or the email \
                 would show it raw (`{$name}`): a message writes only the variables the renderer \
                 gives it (links only names, never the instance's text), a term only the \
                 arguments its reference passes; referenced messages, terms and attributes exist \
                 in some catalogue of the locale; no message reaches itself; no formatting \
                 resolves more than 100 placeables; there are no functions; and placeables nest \
                 at most 32 deep (a deeper entry is skipped). Add the message to a catalogue of \
                 the named locale, or fix the catalogue at the marked position."
            }
            Code::E018 => {
                "The instance given to `render --input` could not be used: it is not JSON, a field \
                 has the wrong type or an unknown name, an event, scope, fact, value or recipient \
                 class is not in the rule set, an address is not of the form `local@domain`, or \
                 its `policy` is not a valid tenant notification policy. Only `event` and `scope` \
                 are required; see the README for every field."
            }
            Code::E019 => {
                "A line of the event log given to `simulate --input`, or its `--directory`, \
                 could not be used. Each line is a JSON object: an instance as `render` reads it \
                 with `at` (RFC 3339) and the ids its event needs (`request` for \
                 `approval-pending` and `request-approved`, `application` for \
                 `provisioning-failure`, `end` as an RFC 3339 time after `at` when an \
                 `assignment` is given), or a removal `{\"at\", \"assignment\", \"removed\": \
                 true}`. A line may come at most the reorder window (`--reorder-window`) before \
                 the latest line read before it. The message names the line and the field; \
                 `--keep-going` reports bad lines as warnings and simulates the rest."
            }
            Code::E020 => {
                "An id or scope of tenant settings is not what the service it belongs to accepts, \
                 or one that writing the settings needs is missing. A group id is the group's \
                 object id (a UUID); an Entra role id is a role definition id (a UUID); an Azure \
                 role id is a scoped role definition id (`…/providers/Microsoft.Authorization/\
                 roleDefinitions/UUID`); an Azure scope is a management group, subscription, \
                 resource group or resource; a Graph policy id is one URL segment and an Azure \
                 policy id a role management policy's resource id. `policy export` and `plan` \
                 need the policy id to address their requests (`PATCH …/{policyId}/rules/{id}`), \
                 and Terraform needs the ids its resources are keyed by."
            }
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// boxed to keep `Result<_, Diagnostic>` small
    pub primary: Option<Box<Label>>,
    pub secondary: Vec<Label>,
    pub help: Vec<String>,
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
        }
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

    /// The diagnostic for codespan, over `files` (the run's files made neutral): every text
    /// neutral, every label moved to where its bytes are in the neutral text.
    fn to_codespan(&self, files: &NeutralFiles) -> cs::Diagnostic<usize> {
        let severity = match self.severity {
            Severity::Warning => cs::Severity::Warning,
            Severity::Error => cs::Severity::Error,
        };
        let label = |style, label: &Label| files.label(style, label.span, &label.message);
        let mut labels = Vec::new();
        if let Some(primary) = &self.primary {
            labels.push(label(cs::LabelStyle::Primary, primary));
        }
        for secondary in &self.secondary {
            labels.push(label(cs::LabelStyle::Secondary, secondary));
        }
        cs::Diagnostic::new(severity)
            .with_code(self.code.as_str())
            .with_message(neutral::escape(&self.message))
            .with_labels(labels)
            .with_notes(
                self.help
                    .iter()
                    .map(|h| format!("help: {}", neutral::escape(h)))
                    .collect(),
            )
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

/// Render diagnostics as codespan-reporting's rich text.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = term::Config::default();
    let spans = diagnostics
        .iter()
        .flat_map(|d| d.primary.iter().map(|b| &**b).chain(&d.secondary))
        .map(|label| label.span);
    let files = NeutralFiles::of(spans, sources);
    for diagnostic in diagnostics {
        if term::emit_to_write_style(
            &mut buffer,
            &config,
            files.files(),
            &diagnostic.to_codespan(&files),
        )
        .is_err()
        {
            // a label outside its file: still say what is wrong, without the snippet
            let plain = Diagnostic {
                primary: None,
                secondary: Vec::new(),
                ..diagnostic.clone()
            };
            let _ = term::emit_to_write_style(
                &mut buffer,
                &config,
                files.files(),
                &plain.to_codespan(&files),
            );
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// The files of a run as diagnostics print them: names and texts made neutral (only the texts
/// diagnostics point into are kept), and where each original byte went.
pub(crate) struct NeutralFiles {
    files: SimpleFiles<String, String>,
    maps: Vec<neutral::OffsetMap>,
}

impl NeutralFiles {
    /// The files, with the texts of those `spans` point into.
    pub(crate) fn of(spans: impl IntoIterator<Item = Span>, sources: &Sources) -> NeutralFiles {
        let shown: std::collections::BTreeSet<usize> =
            spans.into_iter().map(|span| span.file.0).collect();
        let mut files = SimpleFiles::new();
        let mut maps = Vec::with_capacity(sources.len());
        for index in 0..sources.len() {
            let id = crate::source::FileId(index);
            let (text, map) = if shown.contains(&index) {
                neutral::escape_mapped(sources.text(id))
            } else {
                (String::new(), neutral::OffsetMap::default())
            };
            files.add(neutral::file_name(sources.name(id)), text);
            maps.push(map);
        }
        NeutralFiles { files, maps }
    }

    /// What codespan prints the files from.
    pub(crate) fn files(&self) -> &SimpleFiles<String, String> {
        &self.files
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
