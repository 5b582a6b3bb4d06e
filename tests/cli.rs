//! The real `pimrules` binary run over the corpus in `tests/inputs/<category>/`: every
//! `check/*.pimrules` is checked, and every `*.cmd` file is one command line; exit code, stdout
//! and stderr are snapshotted in `snapshots/`. Adding a case is adding a file.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::snapshot;

fn inputs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs")
}

/// Split a command line on whitespace; double quotes group words and may be empty (`""`).
fn split_args(line: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut started = false;
    for ch in line.trim().chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            c if c.is_whitespace() && !quoted => {
                if started {
                    args.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            c => {
                current.push(c);
                started = true;
            }
        }
    }
    if started {
        args.push(current);
    }
    args
}

/// Run the binary in `dir` and describe what it did.
fn run(dir: &Path, args: &[String]) -> String {
    run_with_stdin(dir, args, "")
}

/// Run the binary in `dir` with `stdin` as its input and describe what it did.
fn run_with_stdin(dir: &Path, args: &[String], stdin: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_pimrules"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the pimrules binary runs");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.as_bytes())
            .expect("stdin accepts the input");
    }
    let output = child.wait_with_output().expect("the pimrules binary ends");
    let code = output
        .status
        .code()
        .map_or_else(|| format!("killed: {:?}", output.status), |c| c.to_string());
    let described = format!(
        "$ pimrules {}\nexit: {code}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // SARIF names the repository root (`originalUriBaseIds`) by its absolute path
    described.replace(env!("CARGO_MANIFEST_DIR"), "[ROOT]")
}

fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the corpus folder exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn check_every_corpus_file() {
    let dir = inputs().join("check");
    for file in files_with_extension(&dir, "pimrules") {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let result = run(&dir, &["check".to_owned(), name]);
        snapshot(&format!("check__{}", stem(&file)), &result);
    }
}

#[test]
fn format_every_corpus_file() {
    let dir = inputs().join("fmt");
    for file in files_with_extension(&dir, "pimrules") {
        let text = std::fs::read_to_string(&file).expect("fmt inputs are text");
        let result = run_with_stdin(&dir, &["fmt".to_owned(), "-".to_owned()], &text);
        snapshot(&format!("fmt__{}", stem(&file)), &result);
    }
}

#[test]
fn run_every_command_line() {
    let mut categories: Vec<PathBuf> = std::fs::read_dir(inputs())
        .expect("tests/inputs exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    categories.sort();
    for dir in categories {
        for case in files_with_extension(&dir, "cmd") {
            let line = std::fs::read_to_string(&case).expect("a .cmd file is text");
            let result = run(&dir, &split_args(&line));
            snapshot(&format!("{}__{}", stem(&dir), stem(&case)), &result);
        }
    }
}

/// Every error code has at least one case in the corpus whose output shows it — but E000, an
/// internal error, which no input should be able to show.
#[test]
fn every_diagnostic_code_is_exercised() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let all: String = files_with_extension(&snapshots, "snap")
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let codes = pimrules::diagnostic::Code::ALL.into_iter();
    for code in codes.filter(|c| !c.is_lint() && *c != pimrules::diagnostic::Code::E000) {
        assert!(
            all.contains(&format!("error[{code}]")),
            "no snapshot shows {code}; add a case under tests/inputs/"
        );
    }
}
