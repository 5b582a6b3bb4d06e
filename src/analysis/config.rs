//! How findings are tuned: a level per code from `pimrules.toml` (`[lint.levels]`), and inline
//! `// pimrules: allow(W003)` comments on or just above the item a finding concerns.

use super::{Code, Finding};
use crate::confine::Confinement;
use crate::diagnostic::Severity;
use crate::files::Kind;
use crate::source::{FileId, Sources, Span};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The configuration file's name.
pub const FILE_NAME: &str = "pimrules.toml";

/// What a code is reported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Warning,
    Error,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    lint: LintSection,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LintSection {
    /// code or name, where it is written → level
    #[serde(default)]
    levels: BTreeMap<Spanned<String>, Level>,
}

/// The lint configuration of a run: the level of each code.
#[derive(Debug, Clone, Default)]
pub struct Config {
    levels: HashMap<Code, Level>,
    /// the file it was read from, if any
    pub path: Option<PathBuf>,
}

/// What is wrong with the text of a `pimrules.toml`, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    /// byte ranges of the text with what to say there, the offending one first (none when the
    /// parser locates nothing)
    pub labels: Vec<(Range<usize>, String)>,
    pub help: Option<String>,
}

/// Why a `pimrules.toml` cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// the file is there but cannot be read; the message names it
    Unreadable(String),
    /// the file was read, and its text is not a valid configuration
    Invalid {
        path: PathBuf,
        text: String,
        problem: Problem,
    },
}

impl Config {
    /// Parse the text of a `pimrules.toml`. Unknown keys and codes, and a code set twice (by its
    /// code and by its name), are errors.
    pub fn parse(text: &str) -> Result<Config, Problem> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| Problem {
            message: printable(e.message().trim_end()),
            labels: e.span().into_iter().map(|s| (s, String::new())).collect(),
            help: None,
        })?;
        let mut entries: Vec<_> = file.lint.levels.into_iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        let mut levels = HashMap::new();
        let mut first: HashMap<Code, Range<usize>> = HashMap::new();
        for (key, level) in entries {
            let Some(code) = Code::parse_lint(key.get_ref()) else {
                return Err(unknown_code(&key));
            };
            if let Some(earlier) = first.get(&code) {
                return Err(Problem {
                    message: format!("{code} is set twice in [lint.levels]"),
                    labels: vec![
                        (
                            key.span(),
                            format!("`{}` is {code}", printable(key.get_ref())),
                        ),
                        (earlier.clone(), "first set here".to_owned()),
                    ],
                    help: Some("keep one of them".to_owned()),
                });
            }
            first.insert(code, key.span());
            levels.insert(code, level);
        }
        Ok(Config { levels, path: None })
    }

    /// The `pimrules.toml` beside the first root rule file, else in `current_dir`; the default
    /// configuration when there is none, read through `files`. The file must be inside the project of the folder it is
    /// found in (or a folder of `allowed`), links followed: a link to a file elsewhere is refused
    /// unread, since a configuration that does not parse is shown.
    pub fn find(
        files: &Confinement,
        current_dir: &Path,
        root_files: &[PathBuf],
        allowed: &[PathBuf],
    ) -> Result<Config, ConfigError> {
        let folders = root_files
            .iter()
            .filter_map(|file| file.parent())
            .take(1)
            .chain(std::iter::once(current_dir))
            .map(|dir| {
                if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                }
            });
        for folder in folders {
            let path = folder.join(FILE_NAME);
            if files.kind(&path) != Some(Kind::File) {
                continue;
            }
            let confinement = files.around([folder], allowed);
            confinement.check(&path).map_err(|refusal| {
                let written = path.display().to_string();
                ConfigError::Unreadable(format!(
                    "not read: {}; {}",
                    refusal.describe(&written),
                    refusal.help()
                ))
            })?;
            let text = confinement
                .read(&path, crate::load::MAX_FILE_BYTES)
                .map_err(|e| {
                    ConfigError::Unreadable(format!("cannot read `{}`: {e}", path.display()))
                })?;
            return match Config::parse(&text) {
                Ok(config) => Ok(Config {
                    path: Some(path),
                    ..config
                }),
                Err(problem) => Err(ConfigError::Invalid {
                    path,
                    text,
                    problem,
                }),
            };
        }
        Ok(Config::default())
    }

    /// The level findings with this code get: the configured one, else the code's default.
    pub fn level(&self, code: Code) -> Level {
        self.levels
            .get(&code)
            .copied()
            .unwrap_or(match code.default_level() {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
            })
    }

    /// Give each finding its configured level; drop those turned off or allowed inline.
    pub fn apply(&self, findings: Vec<Finding>, allows: &Allows) -> Vec<Finding> {
        findings
            .into_iter()
            .filter(|f| !f.items.iter().any(|item| allows.allows(*item, f.code)))
            .filter_map(|mut finding| {
                finding.level = match self.level(finding.code) {
                    Level::Off => return None,
                    Level::Warning => Severity::Warning,
                    Level::Error => Severity::Error,
                };
                Some(finding)
            })
            .collect()
    }
}

/// A key of `[lint.levels]` that names no code, with the closest code or name if one is close.
fn unknown_code(key: &Spanned<String>) -> Problem {
    let names = Code::lints().flat_map(|c| [c.as_str(), c.name()]);
    // no list of the codes: `--explain` has one, and the list grows
    let codes = "a code (`W001`) or its name (`dead-rule`); `pimrules lint --explain CODE` \
                 documents each";
    let help = match crate::diagnostic::did_you_mean(key.get_ref(), names) {
        Some(suggestion) => format!("{suggestion} A level is set for {codes}"),
        None => format!("a level is set for {codes}"),
    };
    Problem {
        message: format!(
            "unknown lint code `{}` in [lint.levels]",
            printable(key.get_ref())
        ),
        labels: vec![(key.span(), "not a lint code".to_owned())],
        help: Some(help),
    }
}

/// `text` with its control characters escaped: a key the parser quotes may hold any, and a
/// message must not move the cursor or change the colours of the terminal it is shown on.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => " ".to_owned(),
            c if c.is_control() => c.escape_debug().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// The `// pimrules: allow(…)` comments of a run's files.
#[derive(Debug, Default)]
pub struct Allows {
    files: HashMap<FileId, FileAllows>,
}

#[derive(Debug, Default)]
struct FileAllows {
    /// byte offset where each line starts
    line_starts: Vec<usize>,
    /// 1-based lines that hold nothing but a comment
    comment_lines: HashSet<usize>,
    /// 1-based line → the codes its comment allows
    directives: HashMap<usize, Vec<Code>>,
}

impl Allows {
    /// Read the comments of every file in `sources`.
    pub fn read(sources: &Sources) -> Allows {
        let mut files = HashMap::new();
        for index in 0..sources.len() {
            let file = FileId(index);
            let text = sources.text(file);
            let mut allows = FileAllows {
                line_starts: std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect(),
                ..FileAllows::default()
            };
            for comment in crate::syntax::comments(text) {
                let line = allows.line_of(comment.start);
                if comment.own_line {
                    allows.comment_lines.insert(line);
                }
                if let Some(codes) = parse_directive(&comment.text) {
                    allows.directives.entry(line).or_default().extend(codes);
                }
            }
            files.insert(file, allows);
        }
        Allows { files }
    }

    /// Whether `code` is allowed for the item at `item`: by a comment at the end of the item's
    /// first line, in the block of comment lines right above it, or — for an item of several
    /// lines, where `fmt` moves a comment written after `rule name {` — right below that line.
    pub fn allows(&self, item: Span, code: Code) -> bool {
        let Some(file) = self.files.get(&item.file) else {
            return false;
        };
        let first = file.line_of(item.start);
        let last = file.line_of(item.end.saturating_sub(1).max(item.start));
        let allows_on = |line: &usize| file.directives.get(line).is_some_and(|c| c.contains(&code));
        let is_comment = |line: &usize| file.comment_lines.contains(line);
        let above = (1..first).rev().take_while(is_comment);
        let below = (first + 1..last).take_while(is_comment);
        allows_on(&first) || above.chain(below).any(|line| allows_on(&line))
    }
}

impl FileAllows {
    /// The 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|start| *start <= offset)
    }
}

/// The codes of `pimrules: allow(W001, W003) reason…`; `None` for any other comment.
fn parse_directive(comment: &str) -> Option<Vec<Code>> {
    let rest = comment.trim_start().strip_prefix("pimrules:")?.trim_start();
    let list = rest.strip_prefix("allow(")?;
    let list = &list[..list.find(')')?];
    Some(list.split(',').filter_map(Code::parse_lint).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_name_codes_by_code_or_name() {
        assert_eq!(
            parse_directive(" pimrules: allow(W003, dead-rule) the reason"),
            Some(vec![Code::W003, Code::W001])
        );
        assert_eq!(
            parse_directive("pimrules:allow(w007)"),
            Some(vec![Code::W007])
        );
        assert_eq!(parse_directive(" pimrules: allow(W003"), None);
        assert_eq!(parse_directive(" see pimrules: allow(W003)"), None);
        assert_eq!(parse_directive(" an ordinary comment"), None);
    }

    #[test]
    fn levels_come_from_the_file_or_the_code() {
        let config = Config::parse("[lint.levels]\nW001 = \"error\"\nnotification-gap = \"off\"\n")
            .expect("a valid configuration");
        assert_eq!(config.level(Code::W001), Level::Error);
        assert_eq!(config.level(Code::W007), Level::Off);
        assert_eq!(config.level(Code::W003), Level::Error);
        assert_eq!(config.level(Code::W002), Level::Warning);
        assert!(Config::parse("").is_ok());
        assert!(Config::parse("[lint.levels]\nW001 = \"loud\"\n").is_err());
        assert!(Config::parse("[lint.levels]\nW100 = \"off\"\n").is_err());
        assert!(Config::parse("[format]\n").is_err());
    }

    /// The text each label of the problem with `text` underlines, and its message.
    fn located(text: &str) -> Vec<(&str, String)> {
        let problem = Config::parse(text).expect_err("an invalid configuration");
        problem
            .labels
            .into_iter()
            .map(|(range, label)| (&text[range], label))
            .collect()
    }

    #[test]
    fn every_problem_is_located() {
        let levels = |body: &str| format!("[lint.levels]\n{body}");
        assert_eq!(
            located(&levels("W100 = \"off\"\n")),
            [("W100", "not a lint code".to_owned())]
        );
        assert_eq!(
            located(&levels("W001 = \"loud\"\n")),
            [("\"loud\"", String::new())]
        );
        assert_eq!(located("[format]\n"), [("format", String::new())]);
        assert_eq!(located("[lint]\nfoo = 1\n"), [("foo", String::new())]);
        assert_eq!(located("[lint.levels\n"), [("", String::new())]);
        let twice = levels("W002 = \"off\"\nW001 = \"off\"\ndead-rule = \"error\"\n");
        assert_eq!(
            located(&twice),
            [
                ("dead-rule", "`dead-rule` is W001".to_owned()),
                ("W001", "first set here".to_owned())
            ]
        );
        let problem = Config::parse(&levels("notification-gaps = \"off\"\n")).expect_err("bad");
        assert_eq!(
            problem.message,
            "unknown lint code `notification-gaps` in [lint.levels]"
        );
        assert!(
            problem
                .help
                .is_some_and(|h| h.starts_with("did you mean `notification-gap`?"))
        );
        // a key may hold any character: the message shows control characters escaped
        let problem = Config::parse(&levels("\"\\u001b[2J\" = \"off\"\n")).expect_err("bad");
        assert_eq!(
            problem.message,
            "unknown lint code `\\u{1b}[2J` in [lint.levels]"
        );
    }

    #[test]
    fn a_byte_order_mark_is_read_past_and_counted_in_the_locations() {
        let config = Config::parse("\u{feff}[lint.levels]\nW001 = \"error\"\n").expect("valid");
        assert_eq!(config.level(Code::W001), Level::Error);
        assert_eq!(
            located("\u{feff}[lint.levels]\nW100 = \"off\"\n"),
            [("W100", "not a lint code".to_owned())]
        );
    }

    #[test]
    fn an_allow_applies_to_its_item_only() {
        let mut sources = Sources::new();
        let text = "// header\n\n// pimrules: allow(W002)\n// reason\nrule a {\n  // pimrules: allow(W001)\n  on e in s\n}\nrule b { }\n";
        let file = sources.add(
            "a.pimrules".into(),
            text.into(),
            crate::source::Origin::Memory("a".into()),
        );
        let allows = Allows::read(&sources);
        let a = text.find("rule a").unwrap_or_default();
        let b = text.find("rule b").unwrap_or_default();
        let item_a = Span::new(file, a..b - 1);
        let item_b = Span::new(file, b..text.len() - 1);
        assert!(allows.allows(item_a, Code::W002));
        assert!(allows.allows(item_a, Code::W001));
        assert!(!allows.allows(item_a, Code::W003));
        assert!(!allows.allows(item_b, Code::W001));
        assert!(!allows.allows(item_b, Code::W002));
    }
}
