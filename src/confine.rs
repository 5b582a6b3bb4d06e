//! Confinement: every file a rule set makes pimrules read — a `use`d file, a rule file of a
//! folder, a message catalogue, a test's `policy` file — must lie inside the project, links
//! followed, so that a pull request's rules cannot make pimrules read or print the runner's files.
//!
//! The project roots are the folders of the paths named on the command line, each widened to the
//! nearest enclosing folder that holds `pimrules.toml` or `.git`; `--allow-outside PATH` adds a
//! root. A path a rule set writes is relative to the file that writes it; an absolute path, a
//! `..` that leaves the roots, or a link that points outside is refused, and the refusal names
//! the path as written, never what the file holds.

use std::path::{Component, Path, PathBuf};

/// The files that mark a project's root folder.
pub const ROOT_MARKERS: [&str; 2] = ["pimrules.toml", ".git"];

/// The folders pimrules may read rule-set files from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Confinement {
    /// canonical folders
    roots: Vec<PathBuf>,
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
    /// The roots of the paths named on the command line (files or folders), and `allowed`.
    pub fn new<'p>(named: impl IntoIterator<Item = &'p Path>, allowed: &[PathBuf]) -> Self {
        let mut roots = Vec::new();
        for path in named {
            let folder = if path.is_dir() {
                Some(path)
            } else {
                match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => Some(p),
                    _ => Some(Path::new(".")),
                }
            };
            if let Some(folder) = folder.and_then(|f| std::fs::canonicalize(f).ok()) {
                roots.push(project_root(folder));
            }
        }
        roots.extend(allowed.iter().filter_map(|a| std::fs::canonicalize(a).ok()));
        roots.sort();
        roots.dedup();
        Confinement { roots }
    }

    /// Whether no path was named (only shipped rule sets or text in memory): nothing on disk may
    /// be read through a rule set.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// The file at `path` (as named, relative to the current folder), with links followed, if
    /// it is inside a root.
    pub fn check(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let canonical = std::fs::canonicalize(path).map_err(|_| Refusal::Missing)?;
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
        let written = std::fs::canonicalize(base)
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
fn project_root(folder: PathBuf) -> PathBuf {
    folder
        .ancestors()
        .find(|dir| ROOT_MARKERS.iter().any(|m| dir.join(m).exists()))
        .map(Path::to_path_buf)
        .unwrap_or(folder)
}

#[cfg(test)]
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
