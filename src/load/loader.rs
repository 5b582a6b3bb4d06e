//! The loader's state while one run reads: each file opened once, its `use` declarations
//! followed, then the files grouped into programs with cycles reported.

use super::decode::decode;
use super::{LoadError, Loaded, MAX_FILE_BYTES, MAX_FILES, Program};
use crate::confine::{Confinement, Refusal};
use crate::diagnostic::{Code, Diagnostic};
use crate::files::Kind;
use crate::shipped;
use crate::source::{FileId, Origin, Sources, Span};
use crate::syntax::{self, ast};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

pub(super) struct Loader {
    pub(super) loaded: Loaded,
    /// for each file, the files its `use` declarations name, with the span of each `use`
    uses: HashMap<FileId, Vec<(FileId, Span)>>,
}

impl Loader {
    pub(super) fn new(confinement: Confinement) -> Self {
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
    pub(super) fn open(&mut self, origin: Origin) -> Result<FileId, LoadError> {
        // files are known by their canonical path, but named as the user wrote them
        let (written, named) = match &origin {
            Origin::Disk(path) => (path.display().to_string(), Some(path.clone())),
            _ => (String::new(), None),
        };
        let origin = self.known_as(origin);
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
    pub(super) fn register(&mut self, name: String, bytes: Vec<u8>, origin: Origin) -> FileId {
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
    pub(super) fn follow_uses(&mut self, id: FileId) {
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
            let new_file = target.as_ref().is_ok_and(|origin| {
                let origin = self.known_as(origin.clone());
                self.loaded.sources.find(&origin).is_none()
            });
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
    pub(super) fn group(&mut self, given: &[FileId]) {
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

    /// The origin a file is registered under: on disk, its canonical path (`./a/../b.pimrules`
    /// and `b.pimrules` are the same file).
    fn known_as(&self, origin: Origin) -> Origin {
        match origin {
            Origin::Disk(path) => Origin::Disk(
                self.loaded
                    .confinement
                    .files()
                    .canonicalize(&path)
                    .unwrap_or(path),
            ),
            other => other,
        }
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
