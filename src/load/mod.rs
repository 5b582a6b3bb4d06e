//! Loading: rule sources (files, folders, shipped names) → parsed files grouped into programs,
//! one per rule set, following `use` declarations. Reading problems become diagnostics.

mod decode;
mod loader;

use crate::confine::Confinement;
use crate::diagnostic::Diagnostic;
use crate::files::{Disk, Files, Kind};
use crate::shipped;
use crate::source::{FileId, Origin, Sources};
use crate::syntax::ast;
use loader::Loader;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
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
