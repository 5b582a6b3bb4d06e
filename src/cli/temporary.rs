//! Temporary files being written: a process-wide registry of them, removed when SIGINT or SIGTERM
//! stops the run, so that an interrupted write leaves neither the old file changed nor a `.tmp`.
//!
//! The signals are caught with `signal-hook`'s iterator (a thread that receives them from a
//! self-pipe), the safe way to run ordinary code — locking, unlinking — after a signal: a signal
//! handler itself may only call async-signal-safe functions. `ctrlc` was the other candidate; it
//! does not say which signal arrived, so it cannot end the run as that signal would.
//!
//! The handler is installed by the first temporary file, so commands that only print keep the
//! default behaviour. Creating a temporary, renaming it into place and removing it all happen
//! under the registry's lock, and the signal thread removes the registered files and ends the
//! process while holding it: a signal removes exactly the temporaries that exist, never a file
//! that was renamed into place, and no new one is made after it.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The temporary files of this process that exist and are not yet renamed into place.
static WRITING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The registry, even if a thread panicked while holding it (the list stays consistent: every
/// change to it is a single push or remove).
fn writing() -> MutexGuard<'static, Vec<PathBuf>> {
    WRITING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A temporary file this process created: removed when dropped, unless [`Temporary::persist`]
/// renamed it into place.
#[derive(Debug)]
pub struct Temporary {
    path: PathBuf,
}

impl Temporary {
    /// Create the file at `path` with `open` (which must create it, never open an existing one)
    /// and register it for removal on a signal.
    pub fn create(
        path: PathBuf,
        open: impl FnOnce(&Path) -> std::io::Result<File>,
    ) -> std::io::Result<(Temporary, File)> {
        install_signal_handler();
        let mut writing = writing();
        let file = open(&path)?;
        writing.push(path.clone());
        Ok((Temporary { path }, file))
    }

    /// Rename the file over `target`. On failure it is removed (when `self` is dropped).
    pub fn persist(self, target: &Path) -> std::io::Result<()> {
        let mut writing = writing();
        let renamed = std::fs::rename(&self.path, target);
        if renamed.is_ok() {
            writing.retain(|p| *p != self.path);
        }
        // the lock is released before `self` is dropped, which takes it again
        drop(writing);
        renamed
    }
}

impl Drop for Temporary {
    /// Remove the file, unless it was renamed into place (then it is no longer registered).
    fn drop(&mut self) {
        let mut writing = writing();
        if let Some(index) = writing.iter().position(|p| *p == self.path) {
            let _ = std::fs::remove_file(&self.path);
            writing.swap_remove(index);
        }
    }
}

/// Catch SIGINT and SIGTERM once per process: on either, remove the registered temporaries and
/// end the process as the signal would have (a shell reports 130 or 143). When the handler
/// cannot be installed, signals keep their default effect.
#[cfg(unix)]
fn install_signal_handler() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // held until the process ends: nothing is created or renamed after the removal
                let writing = writing();
                for path in writing.iter() {
                    let _ = std::fs::remove_file(path);
                }
                // die of the signal, so that a calling shell or script sees it (and a loop
                // interrupted with ^C stops); exit with its conventional code should that fail
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    });
}

/// Elsewhere nothing is caught: an interrupted run may leave its temporary file.
#[cfg(not(unix))]
fn install_signal_handler() {}
