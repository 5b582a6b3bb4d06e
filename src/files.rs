//! The files a rule set reads, behind one trait: [`Disk`] for the command line, [`Memory`] for
//! tests and programs that embed pimrules. Nothing else in the library touches the file system.
//!
//! Every path a rule set writes — a `use`, a message catalogue, `pimrules.toml`, a test's
//! `policy` file — is resolved by [`Confinement::resolve`](crate::confine::Confinement::resolve)
//! and read through this trait, so the same rules (links followed, inside the project) hold for
//! every file, whichever the implementation.

use crate::bounded::ReadError;
use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// What a path names, links followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
}

/// Reading files. Implementations are shared across threads.
pub trait Files: Send + Sync + std::fmt::Debug {
    /// What is at `path`, links followed; `None` when nothing is (or it cannot be seen).
    fn kind(&self, path: &Path) -> Option<Kind>;
    /// `path` made absolute, with links followed and `.` and `..` resolved; an error when
    /// nothing is there.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// At most `limit + 1` bytes of the file at `path`: more than `limit` means it is too large,
    /// and nothing past that is read.
    fn read_prefix(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>>;
    /// The paths of the entries of the folder at `path` (each `path` joined with its name), in
    /// no particular order.
    fn entries(&self, folder: &Path) -> io::Result<Vec<PathBuf>>;
}

/// The computer's file system: what the command line reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Disk;

// The one place outside the command line allowed to touch the file system.
#[allow(clippy::disallowed_methods)]
impl Files for Disk {
    fn kind(&self, path: &Path) -> Option<Kind> {
        let metadata = std::fs::metadata(path).ok()?;
        if metadata.is_dir() {
            Some(Kind::Folder)
        } else {
            Some(Kind::File)
        }
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn read_prefix(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        crate::bounded::read_prefix(Disk::open(path)?, limit)
    }

    fn entries(&self, folder: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::read_dir(folder)?
            .map(|entry| entry.map(|e| e.path()))
            .collect()
    }
}

#[allow(clippy::disallowed_methods)]
impl Disk {
    /// A file named to be read, opened; a character or block device (`/dev/zero`, a disk) is
    /// refused, since it is no input anyone meant. A pipe is opened, and read bounded as standard
    /// input is.
    pub fn open(path: &Path) -> io::Result<std::fs::File> {
        let file = std::fs::File::open(path)?;
        if let Some(device) = device_kind(&file.metadata()?.file_type()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("a {device} device, not a file"),
            ));
        }
        Ok(file)
    }

    /// The UTF-8 text of the file at `path`, of at most `limit` bytes: what the command line
    /// reads of the files it is given (an instance, a policy, a file to format).
    pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
        crate::bounded::read_text(Disk::open(path).map_err(ReadError::Io)?, limit)
    }
}

#[cfg(unix)]
fn device_kind(file_type: &std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_char_device() {
        Some("character")
    } else if file_type.is_block_device() {
        Some("block")
    } else {
        None
    }
}

#[cfg(not(unix))]
fn device_kind(_: &std::fs::FileType) -> Option<&'static str> {
    None
}

/// Files held in memory, by absolute path: a project without a disk. Relative paths are read
/// from the root, `/`; folders are the paths above the files; nothing is a link.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Memory {
    pub fn new() -> Self {
        Memory::default()
    }

    /// Add (or replace) the file at `path` (relative paths are from `/`).
    pub fn insert(&mut self, path: impl AsRef<Path>, contents: impl Into<Vec<u8>>) {
        self.files.insert(absolute(path.as_ref()), contents.into());
    }

    /// [`Memory::insert`], for building one in a chain.
    pub fn with(mut self, path: impl AsRef<Path>, contents: impl Into<Vec<u8>>) -> Self {
        self.insert(path, contents);
        self
    }

    fn is_folder(&self, path: &Path) -> bool {
        self.files
            .keys()
            .any(|file| file != path && file.starts_with(path))
    }
}

impl Files for Memory {
    fn kind(&self, path: &Path) -> Option<Kind> {
        let path = absolute(path);
        if self.files.contains_key(&path) {
            Some(Kind::File)
        } else if self.is_folder(&path) {
            Some(Kind::Folder)
        } else {
            None
        }
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let path = absolute(path);
        match self.kind(&path) {
            Some(_) => Ok(path),
            None => Err(not_found(&path)),
        }
    }

    fn read_prefix(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        let path = absolute(path);
        let bytes = self.files.get(&path).ok_or_else(|| not_found(&path))?;
        let end = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
        Ok(bytes[..bytes.len().min(end)].to_vec())
    }

    fn entries(&self, folder: &Path) -> io::Result<Vec<PathBuf>> {
        let folder = absolute(folder);
        if !self.is_folder(&folder) {
            return Err(not_found(&folder));
        }
        let mut entries: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|file| file.strip_prefix(&folder).ok())
            .filter_map(|rest| rest.components().next())
            .map(|first| folder.join(first))
            .collect();
        entries.dedup();
        Ok(entries)
    }
}

/// `path` from the root, with `.` and `..` resolved by its words alone.
fn absolute(path: &Path) -> PathBuf {
    let mut normal = PathBuf::from("/");
    for component in path.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::Normal(name) => normal.push(name),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    normal
}

fn not_found(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("no file `{}`", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_files_have_folders_above_them() {
        let files = Memory::new()
            .with("rules/main.pimrules", "a")
            .with("rules/locales/en/x.ftl", "b");
        assert_eq!(files.kind(Path::new("rules")), Some(Kind::Folder));
        assert_eq!(
            files.kind(Path::new("./rules/../rules/main.pimrules")),
            Some(Kind::File)
        );
        assert_eq!(files.kind(Path::new("rules/none")), None);
        let mut entries = files.entries(Path::new("rules")).unwrap_or_default();
        entries.sort();
        assert_eq!(
            entries,
            [
                PathBuf::from("/rules/locales"),
                PathBuf::from("/rules/main.pimrules")
            ]
        );
        assert_eq!(
            files.read_prefix(Path::new("rules/main.pimrules"), 0).ok(),
            Some(b"a".to_vec())
        );
        assert!(files.canonicalize(Path::new("nothing")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_and_a_file_opened() {
        let refused = Disk::open(Path::new("/dev/zero")).map(|_| ());
        assert_eq!(
            refused.map_err(|e| e.to_string()),
            Err("a character device, not a file".to_owned())
        );
        assert!(Disk::open(Path::new("Cargo.toml")).is_ok());
    }
}
