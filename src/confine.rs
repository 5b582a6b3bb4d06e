//! Confinement: every file a rule set makes pimrules read — a `use`d file, a rule file of a
//! folder, a message catalogue, a test's `policy` file — must lie inside the project, links
//! followed, so that a pull request's rules cannot make pimrules read or print the runner's files.
//!
//! The project roots are the folders of the paths named on the command line, each widened to the
//! nearest enclosing folder that holds `pimrules.toml` or `.git`; `--allow-outside PATH` adds a
//! root. A path a rule set writes is relative to the file that writes it; an absolute path, a
//! `..` that leaves the roots, or a link that points outside is refused, and the refusal names
//! the path as written, never what the file holds.
//!
//! A confinement also reads: every file a rule set names is read through [`Confinement::read`]
//! (and folders listed through [`Confinement::entries`]), on the [`Files`] it was made with.

use crate::files::{Disk, Files, Kind, Memory};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// The files that mark a project's root folder.
pub const ROOT_MARKERS: [&str; 2] = ["pimrules.toml", ".git"];

/// The folders pimrules may read rule-set files from, and the files it reads them from.
#[derive(Debug, Clone)]
pub struct Confinement {
    files: Arc<dyn Files>,
    /// canonical folders
    roots: Vec<PathBuf>,
}

impl Default for Confinement {
    /// Nothing may be read: no roots, and no files.
    fn default() -> Self {
        Confinement {
            files: Arc::new(Memory::new()),
            roots: Vec::new(),
        }
    }
}

/// Why a path is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// an absolute path (or one with a drive or root)
    Absolute,
    /// the path (links followed) is outside every root
    Outside,
    /// there is nothing at the path
    Missing,
}

impl Refusal {
    /// The reason, in the style of the diagnostics.
    pub fn describe(&self, written: &str) -> String {
        let written = written.escape_debug();
        match self {
            Refusal::Absolute => format!("`{written}` is an absolute path"),
            Refusal::Outside => format!("`{written}` is outside the project"),
            Refusal::Missing => format!("no file `{written}`"),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            Refusal::Absolute => {
                "write it relative to this file; to read files outside the project on purpose, \
                 run with `--allow-outside FOLDER`"
            }
            Refusal::Outside => {
                "files a rule set reads must be inside the project (the folder of the files \
                 given, or the nearest one above with `pimrules.toml` or `.git`), links followed; \
                 `--allow-outside FOLDER` allows another folder"
            }
            Refusal::Missing => "paths are relative to the file that names them",
        }
    }
}

impl Refusal {
    /// E013 for a file of a folder or a path given that is not read, naming it as written.
    pub fn diagnostic(&self, path: &Path) -> crate::diagnostic::Diagnostic {
        crate::diagnostic::Diagnostic::error(
            crate::diagnostic::Code::E013,
            format!("not read: {}", self.describe(&path.display().to_string())),
        )
        .help(self.help())
    }
}

impl Confinement {
    /// The roots of the paths named on the command line (files or folders), and `allowed`, on
    /// the disk.
    pub fn new<'p>(named: impl IntoIterator<Item = &'p Path>, allowed: &[PathBuf]) -> Self {
        Confinement::on(Arc::new(Disk), named, allowed)
    }

    /// [`Confinement::new`], reading `files`.
    pub fn on<'p>(
        files: Arc<dyn Files>,
        named: impl IntoIterator<Item = &'p Path>,
        allowed: &[PathBuf],
    ) -> Self {
        let mut roots = Vec::new();
        for path in named {
            let folder = if files.kind(path) == Some(Kind::Folder) {
                path
            } else {
                match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                }
            };
            if let Ok(folder) = files.canonicalize(folder) {
                roots.push(project_root(files.as_ref(), folder));
            }
        }
        roots.extend(allowed.iter().filter_map(|a| files.canonicalize(a).ok()));
        roots.sort();
        roots.dedup();
        Confinement { files, roots }
    }

    /// A confinement on the same files, for other paths named.
    pub fn around<'p>(
        &self,
        named: impl IntoIterator<Item = &'p Path>,
        allowed: &[PathBuf],
    ) -> Self {
        Confinement::on(self.files.clone(), named, allowed)
    }

    /// The files this confinement reads.
    pub fn files(&self) -> &dyn Files {
        self.files.as_ref()
    }

    /// The text of the file at `path`, already allowed by [`Confinement::check`] or
    /// [`Confinement::resolve`]: at most `limit` bytes, UTF-8.
    pub fn read(&self, path: &Path, limit: u64) -> Result<String, crate::bounded::ReadError> {
        let prefix = self
            .files
            .read_prefix(path, limit)
            .map_err(crate::bounded::ReadError::Io)?;
        crate::bounded::read_text(&prefix[..], limit)
    }

    /// The entries of the folder at `path`, sorted, with what each is.
    pub fn entries(&self, folder: &Path) -> std::io::Result<Vec<(PathBuf, Option<Kind>)>> {
        let mut entries = self.files.entries(folder)?;
        entries.sort();
        Ok(entries
            .into_iter()
            .map(|path| {
                let kind = self.files.kind(&path);
                (path, kind)
            })
            .collect())
    }

    /// What is at `path` (as named), links followed.
    pub fn kind(&self, path: &Path) -> Option<Kind> {
        self.files.kind(path)
    }

    /// Whether no path was named (only shipped rule sets or text in memory): nothing on disk may
    /// be read through a rule set.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// The file at `path` (as named, relative to the current folder), with links followed, if
    /// it is inside a root.
    pub fn check(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let canonical = self
            .files
            .canonicalize(path)
            .map_err(|_| Refusal::Missing)?;
        if self.roots.iter().any(|root| canonical.starts_with(root)) {
            Ok(canonical)
        } else {
            Err(Refusal::Outside)
        }
    }

    /// A path a rule set writes (`written`), relative to `base` (the folder of the file that
    /// writes it, as named): the path to read, and its canonical form, if allowed.
    pub fn resolve(&self, base: &Path, written: &str) -> Result<(PathBuf, PathBuf), Refusal> {
        let relative = Path::new(written);
        let absolute = relative
            .components()
            .any(|c| matches!(c, Component::RootDir | Component::Prefix(_)));
        if absolute {
            // allowed only inside a root given on purpose
            return self
                .check(relative)
                .map(|c| (relative.to_path_buf(), c))
                .map_err(|e| {
                    if e == Refusal::Missing {
                        e
                    } else {
                        Refusal::Absolute
                    }
                });
        }
        let base = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        let path = base.join(relative);
        // judged first as written, so that nothing outside is even looked at
        let written = self
            .files
            .canonicalize(base)
            .map(|b| lexically_normal(&b.join(relative)))
            .map_err(|_| Refusal::Missing)?;
        if !self.roots.iter().any(|root| written.starts_with(root)) {
            return Err(Refusal::Outside);
        }
        let canonical = self.check(&path)?;
        Ok((path, canonical))
    }
}

/// `a/b/../c` → `a/c`, without looking at the file system (a `..` at the top stays).
fn lexically_normal(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                if !normal.pop() {
                    normal.push("..");
                }
            }
            Component::CurDir => {}
            other => normal.push(other.as_os_str()),
        }
    }
    normal
}

/// The nearest folder at or above `folder` that holds a root marker, else `folder`.
fn project_root(files: &dyn Files, folder: PathBuf) -> PathBuf {
    folder
        .ancestors()
        .find(|dir| {
            ROOT_MARKERS
                .iter()
                .any(|m| files.kind(&dir.join(m)).is_some())
        })
        .map(Path::to_path_buf)
        .unwrap_or(folder)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // scratch folders on disk
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("pimrules-confine-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("project/rules")).expect("a scratch folder");
        std::fs::write(dir.join("project/.git"), "").expect("a marker");
        std::fs::write(dir.join("project/rules/a.pimrules"), "").expect("a file");
        std::fs::write(dir.join("secret"), "token").expect("a file outside");
        dir
    }

    #[test]
    fn the_root_widens_to_the_marker_and_no_further() {
        let dir = scratch("root");
        let named = dir.join("project/rules/a.pimrules");
        let confinement = Confinement::new([named.as_path()], &[]);
        let rules = dir.join("project/rules");
        assert!(confinement.resolve(&rules, "a.pimrules").is_ok());
        assert!(confinement.resolve(&rules, "../rules/a.pimrules").is_ok());
        assert_eq!(
            confinement.resolve(&rules, "../../secret"),
            Err(Refusal::Outside)
        );
        let secret = dir.join("secret");
        let written = secret.to_string_lossy().into_owned();
        assert_eq!(
            confinement.resolve(&rules, &written),
            Err(Refusal::Absolute)
        );
        assert_eq!(
            confinement.resolve(&rules, "missing.pimrules"),
            Err(Refusal::Missing)
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_judged_by_what_they_point_to() {
        let dir = scratch("links");
        let rules = dir.join("project/rules");
        std::os::unix::fs::symlink(dir.join("secret"), rules.join("evil.pimrules"))
            .expect("a link");
        let confinement = Confinement::new([rules.as_path()], &[]);
        assert_eq!(
            confinement.resolve(&rules, "evil.pimrules"),
            Err(Refusal::Outside)
        );
        let allowed = Confinement::new([rules.as_path()], std::slice::from_ref(&dir));
        assert!(allowed.resolve(&rules, "evil.pimrules").is_ok());
        let _ = std::fs::remove_dir_all(dir);
    }
}
