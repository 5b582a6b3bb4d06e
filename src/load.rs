//! Loading: rule sources (files, folders, shipped names) → parsed files grouped into programs,
//! one per rule set, following `use` declarations. Reading problems become diagnostics.

use crate::confine::{Confinement, Refusal};
use crate::diagnostic::{Code, Diagnostic};
use crate::files::{Disk, Files, Kind};
use crate::shipped;
use crate::source::{FileId, Origin, Sources, Span};
use crate::syntax::{self, ast};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Largest rule file pimrules reads.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Most rule files one run reads: the files given (a folder's count) and every file they `use`.
pub const MAX_FILES: usize = 4096;

/// Where rules come from, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleSource {
    /// a `.pimrules` file or a folder of them
    Path(PathBuf),
    /// a rule set shipped in the binary, by name
    Shipped(String),
}

impl RuleSource {
    /// A command-line argument: an existing path among `files`, else a shipped rule set's name,
    /// else a path (which then fails to open with a helpful error).
    pub fn from_arg(arg: &str, files: &dyn Files) -> RuleSource {
        let path = PathBuf::from(arg);
        if files.kind(&path).is_some() || shipped::rule_set(arg).is_none() {
            RuleSource::Path(path)
        } else {
            RuleSource::Shipped(arg.to_owned())
        }
    }

    pub fn default_rule_set() -> RuleSource {
        RuleSource::Shipped(shipped::DEFAULT_RULE_SET.to_owned())
    }
}

/// A problem with the command line's sources themselves (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The files of one rule set, in the order their items count: used files first, then the root.
#[derive(Debug, Clone)]
pub struct Program {
    pub root: FileId,
    pub files: Vec<FileId>,
}

/// Everything read for one run.
pub struct Loaded {
    pub sources: Sources,
    /// where on disk the rule sets may make pimrules read
    pub confinement: Confinement,
    /// each file on disk as it was named (what it names resolves against its folder)
    pub named: HashMap<FileId, PathBuf>,
    pub modules: HashMap<FileId, ast::Module>,
    pub programs: Vec<Program>,
    /// reading and syntax errors, in file order
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// The modules of a program, in order.
    pub fn modules_of<'a>(
        &'a self,
        program: &'a Program,
    ) -> impl Iterator<Item = (FileId, &'a ast::Module)> {
        program
            .files
            .iter()
            .filter_map(|id| self.modules.get(id).map(|m| (*id, m)))
    }
}

/// Read, parse and group the given sources (the default rule set when `sources` is empty),
/// confined to the project of the paths among them.
pub fn load(sources: &[RuleSource]) -> Result<Loaded, LoadError> {
    load_allowing(sources, &[])
}

/// [`load`], with `allowed` folders outside the project that the rule sets may also read from
/// (`--allow-outside`).
pub fn load_allowing(sources: &[RuleSource], allowed: &[PathBuf]) -> Result<Loaded, LoadError> {
    load_on(Arc::new(Disk), sources, allowed)
}

/// [`load_allowing`], reading `files` (the disk, or files in memory).
pub fn load_on(
    files: Arc<dyn Files>,
    sources: &[RuleSource],
    allowed: &[PathBuf],
) -> Result<Loaded, LoadError> {
    let named = sources.iter().filter_map(|s| match s {
        RuleSource::Path(path) => Some(path.as_path()),
        RuleSource::Shipped(_) => None,
    });
    let mut loader = Loader::new(Confinement::on(files, named, allowed));
    let default = [RuleSource::default_rule_set()];
    let sources = if sources.is_empty() {
        &default[..]
    } else {
        sources
    };
    let mut given = Vec::new();
    let mut seen = BTreeSet::new();
    for source in sources {
        let origins = expand(source, &loader.loaded.confinement)?;
        if given.len() + origins.len() > MAX_FILES {
            return Err(LoadError(format!(
                "more than {MAX_FILES} rule files given{}",
                match source {
                    RuleSource::Path(path) =>
                        format!(" (`{}` adds {})", path.display(), origins.len()),
                    RuleSource::Shipped(_) => String::new(),
                }
            )));
        }
        for origin in origins {
            if let Origin::Disk(path) = &origin
                && let Err(refusal) = loader.loaded.confinement.check(path)
            {
                loader.loaded.diagnostics.push(refusal.diagnostic(path));
                continue;
            }
            let id = loader.open(origin)?;
            if seen.insert(id) {
                given.push(id);
            }
        }
    }
    let mut index = 0;
    while index < loader.loaded.sources.len() {
        loader.follow_uses(FileId(index));
        index += 1;
    }
    loader.group(&given);
    Ok(loader.loaded)
}

/// Parse one in-memory text as a whole rule set (it cannot `use` other files).
pub fn load_text(name: &str, text: &str) -> Loaded {
    let mut loader = Loader::new(Confinement::default());
    let id = loader.register(
        name.to_owned(),
        text.as_bytes().to_vec(),
        Origin::Memory(name.to_owned()),
    );
    loader.follow_uses(id);
    loader.group(&[id]);
    loader.loaded
}

/// The files a source stands for: one file, the `.pimrules` files of a folder, or a shipped root.
fn expand(source: &RuleSource, confinement: &Confinement) -> Result<Vec<Origin>, LoadError> {
    match source {
        RuleSource::Shipped(name) => match shipped::rule_set(name) {
            Some(file) => Ok(vec![Origin::Shipped(file.file_name)]),
            None => Err(unknown_source(name)),
        },
        RuleSource::Path(path) => match confinement.kind(path) {
            Some(Kind::Folder) => {
                let entries = confinement.entries(path).map_err(|e| {
                    LoadError(format!("cannot read folder `{}`: {e}", path.display()))
                })?;
                let files: Vec<PathBuf> = entries
                    .into_iter()
                    .filter(|(p, kind)| {
                        p.extension().is_some_and(|ext| ext == "pimrules")
                            && *kind == Some(Kind::File)
                    })
                    .map(|(p, _)| p)
                    .collect();
                if files.is_empty() {
                    return Err(LoadError(format!(
                        "folder `{}` has no `.pimrules` files",
                        path.display()
                    )));
                }
                Ok(files.into_iter().map(Origin::Disk).collect())
            }
            Some(Kind::File) => Ok(vec![Origin::Disk(path.clone())]),
            None => Err(unknown_source(&path.display().to_string())),
        },
    }
}

fn unknown_source(name: &str) -> LoadError {
    let mut message = format!("no file, folder or shipped rule set named `{name}`");
    if let Some(hint) = crate::diagnostic::did_you_mean(name, shipped::RULE_SETS.iter().copied()) {
        message.push_str(&format!("; {hint}"));
    } else {
        message.push_str(&format!(
            " (shipped rule sets: {})",
            shipped::RULE_SETS.join(", ")
        ));
    }
    LoadError(message)
}

struct Loader {
    loaded: Loaded,
    /// for each file, the files its `use` declarations name, with the span of each `use`
    uses: HashMap<FileId, Vec<(FileId, Span)>>,
}

impl Loader {
    fn new(confinement: Confinement) -> Self {
        Loader {
            loaded: Loaded {
                confinement,
                named: HashMap::new(),
                sources: Sources::new(),
                modules: HashMap::new(),
                programs: Vec::new(),
                diagnostics: Vec::new(),
            },
            uses: HashMap::new(),
        }
    }

    /// Read and parse a file once; later calls return the same id.
    fn open(&mut self, origin: Origin) -> Result<FileId, LoadError> {
        // files are known by their canonical path, but named as the user wrote them
        let (origin, written, named) = match origin {
            Origin::Disk(path) => (
                Origin::Disk(self.normalize(&path)),
                path.display().to_string(),
                Some(path),
            ),
            other => (other, String::new(), None),
        };
        if let Some(id) = self.loaded.sources.find(&origin) {
            return Ok(id);
        }
        let (name, bytes) = match &origin {
            Origin::Shipped(file_name) => match shipped::file(file_name) {
                Some(file) => (
                    format!("<shipped>/{file_name}"),
                    file.text.as_bytes().to_vec(),
                ),
                None => return Err(LoadError(format!("no shipped file `{file_name}`"))),
            },
            Origin::Disk(path) => (written, self.read_limited(path)?),
            Origin::Memory(name) => return Err(LoadError(format!("no file `{name}`"))),
        };
        let id = self.register(name, bytes, origin);
        if let Some(named) = named {
            self.loaded.named.insert(id, named);
        }
        Ok(id)
    }

    /// Register and parse a file's bytes.
    fn register(&mut self, name: String, bytes: Vec<u8>, origin: Origin) -> FileId {
        let too_large = bytes.len() as u64 > MAX_FILE_BYTES;
        let (text, problem) = decode(bytes, too_large);
        let id = self.loaded.sources.add(name, text, origin);
        let module = match problem {
            Some(problem) => {
                self.loaded.diagnostics.push(problem.into_diagnostic(id));
                ast::Module::default()
            }
            None => {
                let (module, diagnostics) = syntax::parse(id, self.loaded.sources.text(id));
                self.loaded.diagnostics.extend(diagnostics);
                module
            }
        };
        self.loaded.modules.insert(id, module);
        id
    }

    /// Open the files a file `use`s; a missing file is a diagnostic at its `use`.
    fn follow_uses(&mut self, id: FileId) {
        let uses: Vec<ast::Spanned<String>> = self
            .loaded
            .modules
            .get(&id)
            .map(|m| {
                m.items
                    .iter()
                    .filter_map(|item| match &item.node {
                        ast::Item::Use(path) => Some(path.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut resolved = Vec::new();
        let mut refused = Vec::new();
        for used in uses {
            let target = match self.loaded.sources.origin(id) {
                Some(Origin::Shipped(_)) => match shipped::file(&used.node) {
                    Some(file) => Ok(Origin::Shipped(file.file_name)),
                    None => Err(format!("no shipped file `{}`", used.node)),
                },
                Some(Origin::Disk(_)) => {
                    // relative to the folder the using file was named in, so messages read as
                    // typed; confined to the project, links followed
                    let base = self
                        .loaded
                        .named
                        .get(&id)
                        .and_then(|p| p.parent())
                        .unwrap_or(Path::new(""));
                    match self.loaded.confinement.resolve(base, &used.node) {
                        Ok((path, _))
                            if self.loaded.confinement.kind(&path) == Some(Kind::File) =>
                        {
                            Ok(Origin::Disk(path))
                        }
                        Ok((path, _)) => Err(format!("`{}` is not a file", path.display())),
                        Err(refusal) => {
                            refused.push((used, refusal));
                            continue;
                        }
                    }
                }
                Some(Origin::Memory(_)) | None => {
                    Err("text given in memory cannot `use` files".to_owned())
                }
            };
            let new_file = target
                .as_ref()
                .is_ok_and(|origin| self.loaded.sources.find(origin).is_none());
            if new_file && self.loaded.sources.len() >= MAX_FILES {
                self.loaded.diagnostics.push(
                    Diagnostic::error(
                        Code::E014,
                        format!("more than {MAX_FILES} rule files in one run"),
                    )
                    .at(used.span, "one file too many")
                    .help("join files: a rule set needs a few files, not thousands"),
                );
                continue;
            }
            let opened = target.and_then(|origin| self.open(origin).map_err(|e| e.0));
            match opened {
                Ok(target) if target == id => self.loaded.diagnostics.push(
                    Diagnostic::error(Code::E013, "a file cannot use itself")
                        .at(used.span, "this file"),
                ),
                Ok(target) => resolved.push((target, used.span)),
                Err(message) => self.loaded.diagnostics.push(
                    Diagnostic::error(Code::E013, format!("cannot use `{}`", used.node))
                        .at(used.span, message)
                        .help("paths are relative to the file that says `use`"),
                ),
            }
        }
        for (used, refusal) in refused {
            let help = match refusal {
                Refusal::Missing => "paths are relative to the file that says `use`",
                _ => refusal.help(),
            };
            self.loaded.diagnostics.push(
                Diagnostic::error(
                    Code::E013,
                    format!("cannot use `{}`", used.node.escape_debug()),
                )
                .at(used.span, refusal.describe(&used.node))
                .help(help),
            );
        }
        self.uses.insert(id, resolved);
    }

    /// Group the given files into programs: each file with a `ruleset` header is one, with the
    /// files it uses; headerless files join the only rule set, or are reported.
    fn group(&mut self, given: &[FileId]) {
        let used: BTreeSet<FileId> = self
            .uses
            .values()
            .flat_map(|targets| targets.iter().map(|(id, _)| *id))
            .collect();
        // a file with a header always starts a rule set; a headerless one only if nothing uses it
        let roots: Vec<FileId> = given
            .iter()
            .copied()
            .filter(|id| self.has_header(*id) || !used.contains(id))
            .collect();
        let (headed, headless): (Vec<FileId>, Vec<FileId>) =
            roots.into_iter().partition(|id| self.has_header(*id));
        match headed.as_slice() {
            [] | [_] => {
                let root = headed.first().or(headless.last()).copied();
                if let Some(root) = root {
                    let (mut files, mut done) = (Vec::new(), BTreeSet::new());
                    for extra in headless.iter().filter(|id| **id != root) {
                        self.collect(*extra, &mut files, &mut done);
                    }
                    self.collect(root, &mut files, &mut done);
                    self.loaded.programs.push(Program { root, files });
                }
            }
            _ => {
                for root in &headed {
                    let (mut files, mut done) = (Vec::new(), BTreeSet::new());
                    self.collect(*root, &mut files, &mut done);
                    self.loaded.programs.push(Program { root: *root, files });
                }
                for orphan in headless {
                    let span = Span::new(orphan, 0..0);
                    self.loaded.diagnostics.push(
                        Diagnostic::error(
                            Code::E015,
                            format!(
                                "`{}` has no `ruleset` header and no rule set uses it",
                                self.loaded.sources.name(orphan)
                            ),
                        )
                        .at(span, "this file belongs to no rule set")
                        .help("add `use \"…\"` for it to the rule set that needs it"),
                    );
                }
            }
        }
    }

    /// Depth-first: a file's used files, then the file; each file once; cycles reported. With
    /// its own stack, so that a chain of thousands of `use`s is no deeper for the process.
    fn collect(&mut self, root: FileId, files: &mut Vec<FileId>, done: &mut BTreeSet<FileId>) {
        if done.contains(&root) {
            return;
        }
        // the files being visited, each with how many of its uses have been followed
        let mut path: Vec<(FileId, usize)> = vec![(root, 0)];
        let mut on_path: BTreeSet<FileId> = BTreeSet::from([root]);
        while let Some(&(id, next)) = path.last() {
            let target = self.uses.get(&id).and_then(|uses| uses.get(next)).copied();
            let Some((target, span)) = target else {
                path.pop();
                on_path.remove(&id);
                done.insert(id);
                files.push(id);
                continue;
            };
            if let Some(last) = path.last_mut() {
                last.1 += 1;
            }
            if on_path.contains(&target) {
                let cycle: Vec<&str> = path
                    .iter()
                    .map(|(f, _)| *f)
                    .skip_while(|f| *f != target)
                    .chain(std::iter::once(target))
                    .map(|f| self.loaded.sources.name(f))
                    .collect();
                let diagnostic = Diagnostic::error(Code::E013, "`use` forms a cycle")
                    .at(span, format!("cycle: {}", cycle.join(" → ")));
                if !self.loaded.diagnostics.contains(&diagnostic) {
                    self.loaded.diagnostics.push(diagnostic);
                }
            } else if !done.contains(&target) {
                on_path.insert(target);
                path.push((target, 0));
            }
        }
    }

    /// `./a/../b.pimrules` and `b.pimrules` are the same file.
    fn normalize(&self, path: &Path) -> PathBuf {
        self.loaded
            .confinement
            .files()
            .canonicalize(path)
            .unwrap_or_else(|_| path.to_path_buf())
    }

    /// Read a file, refusing (by its size, before reading) anything over the limit.
    fn read_limited(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        self.loaded
            .confinement
            .files()
            .read_prefix(path, MAX_FILE_BYTES)
            .map_err(|e| LoadError(format!("cannot read `{}`: {e}", path.display())))
    }

    fn has_header(&self, id: FileId) -> bool {
        self.loaded.modules.get(&id).is_some_and(|m| {
            m.items
                .iter()
                .any(|item| matches!(item.node, ast::Item::RuleSet(_)))
        })
    }
}

/// Why a file's bytes are not parsed.
enum ReadProblem {
    TooLarge,
    InvalidUtf8 { at: usize },
    NulByte { at: usize },
}

impl ReadProblem {
    fn into_diagnostic(self, file: FileId) -> Diagnostic {
        match self {
            ReadProblem::TooLarge => Diagnostic::error(
                Code::E014,
                format!("file is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
            )
            .at(Span::new(file, 0..0), "file too large")
            .help("split the rule set into several files joined with `use`"),
            ReadProblem::InvalidUtf8 { at } => {
                Diagnostic::error(Code::E002, "file is not valid UTF-8")
                    .at(Span::new(file, at..at + 1), "invalid UTF-8 here")
                    .help("save the file as UTF-8 text")
            }
            ReadProblem::NulByte { at } => {
                Diagnostic::error(Code::E002, "file contains a NUL byte; is it binary?")
                    .at(Span::new(file, at..at + 1), "NUL byte here")
            }
        }
    }
}

/// The text to register for a file, and the problem that stops it being parsed, if any.
fn decode(bytes: Vec<u8>, too_large: bool) -> (String, Option<ReadProblem>) {
    if too_large {
        return (String::new(), Some(ReadProblem::TooLarge));
    }
    // a UTF-8 byte-order mark (what Windows PowerShell 5.1 and Notepad write) says nothing
    let bytes = match bytes.strip_prefix("\u{feff}".as_bytes()) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            Some(at) => (text, Some(ReadProblem::NulByte { at })),
            None => (text, None),
        },
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            // the lossy text has the same bytes up to `at`, so the location is right
            (text, Some(ReadProblem::InvalidUtf8 { at }))
        }
    }
}
