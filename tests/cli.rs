//! The real `pimrules` binary run over the corpus in `tests/inputs/<category>/`: one test per
//! corpus file, named after it (`check/e001-syntax-errors.pimrules`, `lint/w007-gaps.cmd`).
//! Every `check/*.pimrules` is checked, every `fmt/*.pimrules` formatted through `fmt -`, and
//! every `*.cmd` file is one command line; exit code, stdout and stderr are snapshotted in
//! `snapshots/<category>__<name>.snap`. Adding a case is adding a file.
//!
//! The harness is `libtest-mimic` (`harness = false` in Cargo.toml): the built-in one cannot
//! make a test per file found at run time, and libtest-mimic is the small, maintained crate
//! that does only that, with libtest's command line (filters, `--list`, `--exact`) and output.
//! Beside the cases: every code is shown by this run's output, every snapshot belongs to a case,
//! and every file of the corpus is a case or is named by one.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

mod support;

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::OnceLock;
use support::snapshot;

fn main() -> ExitCode {
    let mut trials: Vec<Trial> = cases()
        .iter()
        .map(|case| {
            Trial::test(case.name.clone(), move || {
                snapshot(&case.snapshot, case.output());
                Ok(())
            })
        })
        .collect();
    trials.extend([
        Trial::test(
            "every_diagnostic_code_is_exercised",
            every_diagnostic_code_is_exercised,
        ),
        Trial::test("every_lint_code_is_exercised", every_lint_code_is_exercised),
        Trial::test(
            "every_snapshot_belongs_to_a_case",
            every_snapshot_belongs_to_a_case,
        ),
        Trial::test(
            "every_corpus_file_is_a_case_or_named_by_one",
            every_corpus_file_is_a_case_or_named_by_one,
        ),
    ]);
    libtest_mimic::run(&Arguments::from_args(), trials).exit_code()
}

fn inputs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs")
}

/// How a corpus file is run.
enum Run {
    /// `check FILE` in the file's folder
    Check,
    /// `fmt -` with the file on standard input
    Format,
    /// the file's one command line, in its folder
    Command,
}

/// One corpus file: a test of its own, and its output once this run has made it.
struct Case {
    /// The file's path under `tests/inputs/`: the test's name.
    name: String,
    /// `<category>__<file stem>`
    snapshot: String,
    category: String,
    path: PathBuf,
    run: Run,
    output: OnceLock<String>,
}

impl Case {
    /// What the binary did on this case, run the first time it is asked for (each case runs
    /// once, whichever test asks first).
    fn output(&self) -> &str {
        self.output.get_or_init(|| {
            let dir = inputs().join(&self.category);
            match self.run {
                Run::Check => run(&dir, &["check".to_owned(), file_name(&self.path)]),
                Run::Format => {
                    let text = std::fs::read_to_string(&self.path).expect("fmt inputs are text");
                    run_with_stdin(&dir, &["fmt".to_owned(), "-".to_owned()], &text)
                }
                Run::Command => {
                    let line = std::fs::read_to_string(&self.path).expect("a .cmd file is text");
                    run(&dir, &split_args(&line))
                }
            }
        })
    }
}

/// Every case of the corpus, in the order of their names.
fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut cases = Vec::new();
        for dir in entries(&inputs()).into_iter().filter(|p| p.is_dir()) {
            let category = file_name(&dir);
            for path in entries(&dir).into_iter().filter(|p| p.is_file()) {
                let run = match path.extension().and_then(|e| e.to_str()) {
                    Some("cmd") => Run::Command,
                    Some("pimrules") if category == "check" => Run::Check,
                    Some("pimrules") if category == "fmt" => Run::Format,
                    _ => continue,
                };
                cases.push(Case {
                    name: format!("{category}/{}", file_name(&path)),
                    snapshot: format!("{category}__{}", stem(&path)),
                    category: category.clone(),
                    path,
                    run,
                    output: OnceLock::new(),
                });
            }
        }
        cases.sort_by(|a, b| a.name.cmp(&b.name));
        cases
    })
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

/// The paths in `dir`, sorted.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the corpus folder exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    paths
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The outputs of this run's cases of `category` (all cases when `None`), joined.
fn outputs(category: Option<&str>) -> String {
    cases()
        .iter()
        .filter(|case| category.is_none_or(|c| case.category == c))
        .map(Case::output)
        .collect()
}

/// Every error code is shown by the output of at least one case — but E000, an internal error,
/// which no input should be able to show.
fn every_diagnostic_code_is_exercised() -> Result<(), Failed> {
    use pimrules::diagnostic::Code;
    let all = outputs(None);
    let missing: Vec<String> = Code::ALL
        .iter()
        .filter(|code| !code.is_lint() && **code != Code::E000)
        .filter(|code| !all.contains(&format!("error[{code}]")))
        .map(ToString::to_string)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("no case shows {missing:?}; add one under tests/inputs/").into())
    }
}

/// Every lint code is shown by the output of at least one `lint/` case.
fn every_lint_code_is_exercised() -> Result<(), Failed> {
    let lint = outputs(Some("lint"));
    let missing: Vec<String> = pimrules::diagnostic::Code::lints()
        .filter(|code| !lint.contains(&format!("[{code}]")))
        .map(|code| code.to_string())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("no lint case shows {missing:?}; add one under tests/inputs/lint/").into())
    }
}

/// No stale snapshot: each `snapshots/*.snap` is a case's, or an email's (`email__…`, which
/// `render.rs` checks against the emails it renders).
fn every_snapshot_belongs_to_a_case() -> Result<(), Failed> {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let known: std::collections::BTreeSet<&str> =
        cases().iter().map(|c| c.snapshot.as_str()).collect();
    let stale: Vec<String> = entries(&snapshots)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "snap"))
        .map(|p| stem(p))
        .filter(|name| !name.starts_with("email__") && !known.contains(name.as_str()))
        .collect();
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!("snapshots of no case (delete them, or restore their case): {stale:?}").into())
    }
}

/// Nothing in the corpus is silently skipped: every file or folder in `tests/inputs/<category>/`
/// is a case, or its name is written in another file of the category (a command line, a `use`,
/// a `policy`). `fuzz/` is `fuzz_regressions.rs`'s.
fn every_corpus_file_is_a_case_or_named_by_one() -> Result<(), Failed> {
    let mut unused = Vec::new();
    for dir in entries(&inputs()) {
        let category = file_name(&dir);
        if !dir.is_dir() {
            unused.push(category);
            continue;
        }
        if category == "fuzz" {
            continue;
        }
        let files = entries(&dir);
        let texts: Vec<(String, String)> = files
            .iter()
            .filter_map(|p| Some((file_name(p), std::fs::read_to_string(p).ok()?)))
            .collect();
        for path in &files {
            let name = file_name(path);
            let is_case = cases()
                .iter()
                .any(|c| c.category == category && file_name(&c.path) == name);
            let is_named = texts
                .iter()
                .any(|(other, text)| *other != name && text.contains(&name));
            if !is_case && !is_named {
                unused.push(format!("{category}/{name}"));
            }
        }
    }
    if unused.is_empty() {
        Ok(())
    } else {
        Err(format!("corpus files that no case runs or names: {unused:?}").into())
    }
}
