//! Writing results: stdout that tolerates a closed pipe, diagnostics on stderr in colour or not,
//! and files written atomically (a temporary file renamed into place) so no run leaves half a file.

use super::Exit;
use crate::diagnostic::{self, ColorMode, Diagnostic};
use crate::source::Sources;
use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Print to stdout. A closed pipe (`pimrules table | head`) is not an error.
pub fn print(text: &str) -> Result<(), Exit> {
    print_bytes(text.as_bytes())
}

/// Print bytes to stdout, as [`print`] does text.
pub fn print_bytes(bytes: &[u8]) -> Result<(), Exit> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            Err(Exit::Usage)
        }
    }
}

/// A one-line error on stderr, in the style of the diagnostics.
pub fn error(message: impl std::fmt::Display) {
    eprintln!("error: {message}");
}

/// Render diagnostics on stderr, followed by a count when there are several.
pub fn diagnostics(diagnostics: &[Diagnostic], sources: &Sources, color: ColorMode) {
    if diagnostics.is_empty() {
        return;
    }
    let mut text = rendered(diagnostics, sources, color);
    if let Some(summary) = diagnostic::summary(diagnostics) {
        text.push_str(&format!("{summary} found\n"));
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Render one diagnostic on stderr, without a count (one of many reported as they come).
pub fn diagnostic(diagnostic: Diagnostic, sources: &Sources, color: ColorMode) {
    let text = rendered(&[diagnostic], sources, color);
    let _ = std::io::stderr().write_all(text.as_bytes());
}

fn rendered(diagnostics: &[Diagnostic], sources: &Sources, color: ColorMode) -> String {
    let colored = color.use_color(std::io::stderr().is_terminal());
    diagnostic::render(diagnostics, sources, colored)
}

/// Write `contents` to `path` atomically: into a new temporary file beside it (never one that
/// exists), synced, given the permissions of the file it replaces, then renamed over it. On any
/// failure the temporary file is removed and `path` is left as it was.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Exit> {
    let directory = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (temporary, mut file) = create_temporary(directory, &file_name).map_err(|e| {
        error(format_args!("cannot write `{}`: {e}", path.display()));
        Exit::Usage
    })?;
    let written = file
        .write_all(contents)
        .and_then(|_| match std::fs::metadata(path) {
            Ok(existing) => file.set_permissions(existing.permissions()),
            Err(_) => Ok(()),
        })
        .and_then(|_| file.sync_all())
        .and_then(|_| {
            drop(file);
            std::fs::rename(&temporary, path)
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        error(format_args!("cannot write `{}`: {e}", path.display()));
        return Err(Exit::Usage);
    }
    // make the rename itself durable; a folder that cannot be synced is not an error
    if let Ok(folder) = std::fs::File::open(directory) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// A new, empty `.NAME.PID.N.tmp` in `directory`: created exclusively, so an existing file (or a
/// link planted under that name) is never written through.
fn create_temporary(directory: &Path, file_name: &str) -> std::io::Result<(PathBuf, File)> {
    let mut attempt = 0u32;
    loop {
        let temporary =
            directory.join(format!(".{file_name}.{}.{attempt}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => return Ok((temporary, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Print to stdout, or write atomically to `output` when given.
pub fn deliver(text: &str, output: Option<&Path>) -> Result<(), Exit> {
    match output {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => print(text),
    }
}
