//! Writing results: stdout that tolerates a closed pipe, diagnostics on stderr in colour or not,
//! and files written atomically (a temporary file renamed into place) so no run leaves half a file.

use super::Exit;
use super::temporary::Temporary;
use crate::analysis::config::Problem;
use crate::diagnostic::emit::{Emitter, TextEmitter};
use crate::diagnostic::{self, ColorMode, Diagnostic};
use crate::source::{Origin, Sources};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::Buffer;
use std::ffi::{OsStr, OsString};
use std::fs::{File, Permissions};
use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::path::Path;

/// Print to stdout. A closed pipe (`pimrules table | head`) is not an error.
pub fn print(text: &str) -> Result<(), Exit> {
    print_bytes(text.as_bytes())
}

/// Print a report for people (not data others parse): what it quotes from input is neutral.
pub fn print_text(text: &str) -> Result<(), Exit> {
    print(&crate::neutral::escape(text))
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

/// A one-line error on stderr, in the style of the diagnostics; what it quotes is neutral.
pub fn error(message: impl std::fmt::Display) {
    eprintln!(
        "error: {}",
        crate::neutral::escape_line(&message.to_string())
    );
}

/// A one-line note on stderr; what it quotes is neutral.
pub fn note(message: impl std::fmt::Display) {
    eprintln!(
        "note: {}",
        crate::neutral::escape_line(&message.to_string())
    );
}

/// Render diagnostics on stderr, followed by a count when there are several.
pub fn diagnostics(diagnostics: &[Diagnostic], sources: &Sources, color: ColorMode) {
    if diagnostics.is_empty() {
        return;
    }
    let colored = colors_stderr(color);
    let text = TextEmitter { color: colored }.emit(diagnostics, sources);
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Render one diagnostic on stderr, without a count (one of many reported as they come).
pub fn diagnostic(diagnostic: Diagnostic, sources: &Sources, color: ColorMode) {
    let colored = colors_stderr(color);
    let text = diagnostic::render(&[diagnostic], sources, colored);
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// A configuration error at its place in the file `name`: no code (it is a usage error, exit 2),
/// but in the style of the diagnostics — `NAME:LINE:COL`, the text underlined, the first label
/// the primary one.
pub fn located_error(name: String, text: String, problem: &Problem, color: ColorMode) {
    let mut sources = Sources::new();
    let id = sources.add(name.clone(), text, Origin::Memory(name));
    let located = |labels: &[(Range<usize>, String)]| {
        let labels = labels.iter().enumerate().map(|(i, (range, label))| {
            let style = if i == 0 {
                cs::LabelStyle::Primary
            } else {
                cs::LabelStyle::Secondary
            };
            cs::Label::new(style, id.0, range.clone()).with_message(label)
        });
        cs::Diagnostic::error()
            .with_message(&problem.message)
            .with_labels(labels.collect())
            .with_notes(problem.help.iter().map(|h| format!("help: {h}")).collect())
    };
    let mut buffer = if colors_stderr(color) {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = term::Config::default();
    let files = sources.codespan_files();
    if term::emit_to_write_style(&mut buffer, &config, files, &located(&problem.labels)).is_err() {
        // a label outside the file: still say what is wrong, without the snippet
        let _ = term::emit_to_write_style(&mut buffer, &config, files, &located(&[]));
    }
    let _ = std::io::stderr().write_all(buffer.as_slice());
}

/// Whether to colour standard error under `color` (`NO_COLOR`, set and not empty, says no).
pub fn colors_stderr(color: ColorMode) -> bool {
    color.use_color(std::io::stderr().is_terminal(), no_color())
}

/// Whether to colour standard output under `color`.
pub fn colors_stdout(color: ColorMode) -> bool {
    color.use_color(std::io::stdout().is_terminal(), no_color())
}

/// Whether the environment asks for no colour (<https://no-color.org>).
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Write `contents` to `path` atomically: into a new temporary file beside it (never one that
/// exists, and readable by its owner only until it is complete), synced, given the permissions of
/// the file it replaces (or those of a new file), then renamed over it. On any failure, and when
/// SIGINT or SIGTERM stops the run, the temporary file is removed and `path` is left as it was.
/// A link at `path` is replaced, not written through (`fmt` resolves links itself).
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Exit> {
    let directory = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let failed = |e: std::io::Error| {
        error(format_args!("cannot write `{}`: {e}", path.display()));
        Exit::Usage
    };
    let (temporary, mut file) =
        create_temporary(directory, path.file_name().unwrap_or_default()).map_err(failed)?;
    // on an error `temporary` is dropped, which removes the file
    file.write_all(contents)
        .and_then(|_| match final_permissions(path) {
            Some(permissions) => file.set_permissions(permissions),
            None => Ok(()),
        })
        .and_then(|_| file.sync_all())
        .map_err(failed)?;
    drop(file);
    pause_before_rename();
    temporary.persist(path).map_err(failed)?;
    // make the rename itself durable; a folder that cannot be synced is not an error
    if let Ok(folder) = File::open(directory) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// A new, empty `.NAME.PID.N.tmp` in `directory`, registered for removal on a signal. `NAME` is
/// the file name as the system has it (not necessarily UTF-8); `N` counts up past names that
/// exist, such as a stale temporary of an earlier run that had this process id: that file is
/// never opened, reused or removed.
fn create_temporary(directory: &Path, file_name: &OsStr) -> std::io::Result<(Temporary, File)> {
    let mut attempt = 0u32;
    loop {
        let mut name = OsString::from(".");
        name.push(file_name);
        name.push(format!(".{}.{attempt}.tmp", std::process::id()));
        match Temporary::create(directory.join(name), create_private) {
            Ok(created) => return Ok(created),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Create the file `path`, which must not exist (so a file or a link planted under that name is
/// never written through), readable and writable by its owner only.
fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// The permissions a written file ends with: those of the file it replaces (links followed),
/// else those of a new file.
fn final_permissions(path: &Path) -> Option<Permissions> {
    match std::fs::metadata(path) {
        Ok(existing) => Some(existing.permissions()),
        Err(_) => new_file_permissions(),
    }
}

/// What `File::create` would give: `0o666` less the umask.
#[cfg(unix)]
fn new_file_permissions() -> Option<Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(Permissions::from_mode(0o666 & !umask()))
}

/// Elsewhere a file keeps the permissions it was created with.
#[cfg(not(unix))]
fn new_file_permissions() -> Option<Permissions> {
    None
}

/// The process's umask, from the `Umask:` line of Linux's `/proc/self/status`; where there is
/// none, `0o022` (new files `0o644`). `umask(2)` cannot read it without setting it, which would
/// need unsafe code and race with other threads.
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Umask:"))
                .and_then(|mask| u32::from_str_radix(mask.trim(), 8).ok())
        })
        .map_or(0o022, |mask| mask & 0o777)
}

/// Test hook, read here and nowhere else: `PIMRULES_TEST_PAUSE_BEFORE_RENAME_MS=N` makes every
/// atomic write wait N milliseconds (at most a minute) with its temporary file complete, just
/// before the rename, so that `tests/atomic.rs` can stop a run by a signal at that moment. It
/// changes nothing else; it is not for use outside tests.
const PAUSE_BEFORE_RENAME: &str = "PIMRULES_TEST_PAUSE_BEFORE_RENAME_MS";

fn pause_before_rename() {
    let pause = std::env::var(PAUSE_BEFORE_RENAME)
        .ok()
        .and_then(|ms| ms.parse::<u64>().ok());
    if let Some(ms) = pause {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(60_000)));
    }
}

/// Print to stdout, or write atomically to `output` when given.
pub fn deliver(text: &str, output: Option<&Path>) -> Result<(), Exit> {
    match output {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => print(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder for one test, under the system's temporary folder.
    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("pimrules-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    }

    #[cfg(unix)]
    #[test]
    fn a_temporary_is_private_from_its_creation() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("private");
        let (temporary, _file) =
            create_temporary(&dir, OsStr::new("rules.pimrules")).expect("created");
        let path = dir.join(format!(".rules.pimrules.{}.0.tmp", std::process::id()));
        let mode = std::fs::metadata(&path)
            .expect("there")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
        drop(temporary);
        assert!(!path.exists(), "dropped unrenamed, it is removed");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_stale_temporary_is_passed_over_and_left_alone() {
        let dir = scratch("stale");
        let name = |n: u32| dir.join(format!(".out.json.{}.{n}.tmp", std::process::id()));
        std::fs::write(name(0), b"stale").expect("a stale temporary");
        let (temporary, mut file) = create_temporary(&dir, OsStr::new("out.json")).expect("made");
        file.write_all(b"new").expect("written");
        drop(file);
        temporary.persist(&dir.join("out.json")).expect("renamed");
        assert_eq!(std::fs::read(dir.join("out.json")).expect("there"), b"new");
        assert_eq!(std::fs::read(name(0)).expect("still there"), b"stale");
        assert!(!name(1).exists(), "the one used was renamed");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_name_that_is_not_utf8_is_kept_byte_for_byte() {
        use std::os::unix::ffi::OsStrExt;
        let dir = scratch("bytes");
        let file_name = OsStr::from_bytes(b"r\xffles.json");
        let (temporary, _file) = create_temporary(&dir, file_name).expect("created");
        let mut expected = b".r\xffles.json.".to_vec();
        expected.extend(format!("{}.0.tmp", std::process::id()).bytes());
        assert!(dir.join(OsStr::from_bytes(&expected)).exists());
        drop(temporary);
        let _ = std::fs::remove_dir_all(dir);
    }
}
