//! No half-written output: every file a command writes (compile -o, table -o, fmt in place, render
//! --out-dir, policy -o) is replaced whole or not at all, even when a signal stops the run.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

#[path = "support/scratch.rs"]
mod scratch;

use scratch::{Scratch, pimrules};
use std::path::{Path, PathBuf};

const OLD: &[u8] = b"the previous contents\n";
const BROKEN_RULES: &[u8] = b"ruleset \"broken\" version \"1\"\nrule {\n";

fn inputs(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/inputs")
        .join(name)
}

/// The names in a folder, sorted: no temporary file may be left among them.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Run, and assert the exit code.
fn run(args: &[&str], code: i32) {
    let output = pimrules(args);
    assert_eq!(
        output.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_failing_run_leaves_the_previous_output_byte_identical() {
    let scratch = Scratch::new("atomic-failing");
    let broken = scratch.write("broken.pimrules", BROKEN_RULES);
    let broken = broken.to_str().expect("UTF-8 path");
    let out = scratch.write("out.txt", OLD);
    let out = out.to_str().expect("UTF-8 path");
    let bad_json = inputs("policy/graph-bad-json.json");
    let bad_settings = inputs("policy/bad-settings.pimrules");
    let runs: [&[&str]; 5] = [
        &["compile", broken, "-o", out],
        &["table", "--rules", broken, "-o", out],
        &["table", "--scope", "no-such-scope", "-o", out],
        &[
            "policy",
            "import",
            bad_json.to_str().expect("path"),
            "-o",
            out,
        ],
        &[
            "policy",
            "export",
            bad_settings.to_str().expect("path"),
            "--to",
            "graph",
            "-o",
            out,
        ],
    ];
    for args in runs {
        let output = pimrules(args);
        assert_ne!(output.status.code(), Some(0), "{args:?} should fail");
        assert_eq!(std::fs::read(out).expect("still there"), OLD, "{args:?}");
    }
    assert_eq!(listing(&scratch.0), ["broken.pimrules", "out.txt"]);
}

#[test]
fn fmt_leaves_a_file_it_cannot_format_untouched() {
    let scratch = Scratch::new("atomic-fmt");
    let broken = scratch.write("broken.pimrules", BROKEN_RULES);
    run(&["fmt", broken.to_str().expect("path")], 1);
    assert_eq!(std::fs::read(&broken).expect("there"), BROKEN_RULES);
    // a file it can format is replaced whole, keeping its permissions, and nothing else is left
    let messy = std::fs::read(inputs("fmt/messy-spacing.pimrules")).expect("corpus file");
    let path = scratch.write("messy.pimrules", &messy);
    set_mode(&path, 0o640);
    run(&["fmt", path.to_str().expect("path")], 0);
    run(&["fmt", "--check", path.to_str().expect("path")], 0);
    assert_eq!(mode(&path), 0o640);
    assert_eq!(listing(&scratch.0), ["broken.pimrules", "messy.pimrules"]);
}

#[test]
fn a_write_that_fails_leaves_no_temporary_file() {
    let scratch = Scratch::new("atomic-fails");
    // the target is a folder: the temporary file is written, the rename fails, both are cleaned
    std::fs::create_dir(scratch.0.join("table.md")).expect("mkdir");
    let target = scratch.0.join("table.md");
    run(&["table", "-o", target.to_str().expect("path")], 2);
    assert_eq!(listing(&scratch.0), ["table.md"]);
    assert_eq!(listing(&target), Vec::<String>::new());

    // a read-only folder (root ignores the permission, so only where it holds)
    let locked = scratch.0.join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    set_mode(&locked, 0o555);
    if std::fs::File::create(locked.join("probe")).is_err() {
        let out = locked.join("table.json");
        run(&["compile", "-o", out.to_str().expect("path")], 2);
        assert_eq!(listing(&locked), Vec::<String>::new());
    }
    set_mode(&locked, 0o755);
}

#[test]
fn render_out_dir_replaces_each_file_whole() {
    let scratch = Scratch::new("atomic-render");
    let instance = inputs("render/spec-example.json");
    let instance = instance.to_str().expect("path");
    let dir = scratch.0.join("emails");
    let dir_arg = dir.to_str().expect("path");
    let render = |input: &str, code: i32| {
        run(
            &[
                "render",
                "--input",
                input,
                "--format",
                "eml",
                "--out-dir",
                dir_arg,
            ],
            code,
        )
    };
    render(instance, 0);
    let files = listing(&dir);
    assert!(!files.is_empty());
    let first = dir.join(&files[0]);
    let written = std::fs::read(&first).expect("written");
    // a failing run (an invalid instance) leaves every earlier file as it was
    let bad = inputs("render/invalid-address.json");
    render(bad.to_str().expect("path"), 1);
    assert_eq!(std::fs::read(&first).expect("there"), written);
    // a second run replaces the files, and leaves nothing else
    render(instance, 0);
    assert_eq!(listing(&dir), files);
}

#[cfg(unix)]
#[test]
fn fmt_writes_through_a_link_and_keeps_it() {
    let scratch = Scratch::new("atomic-link");
    let messy = std::fs::read(inputs("fmt/messy-spacing.pimrules")).expect("corpus file");
    std::fs::create_dir(scratch.0.join("shared")).expect("mkdir");
    let target = scratch.write("shared/rules.pimrules", &messy);
    set_mode(&target, 0o640);
    let link = scratch.0.join("rules.pimrules");
    std::os::unix::fs::symlink("shared/rules.pimrules", &link).expect("a link");
    run(&["fmt", link.to_str().expect("path")], 0);
    let metadata = std::fs::symlink_metadata(&link).expect("still there");
    assert!(
        metadata.file_type().is_symlink(),
        "the link is still a link"
    );
    assert_eq!(
        std::fs::read_link(&link).expect("a link"),
        Path::new("shared/rules.pimrules")
    );
    assert_ne!(std::fs::read(&target).expect("formatted"), messy);
    run(&["fmt", "--check", target.to_str().expect("path")], 0);
    assert_eq!(mode(&target), 0o640);
    assert_eq!(listing(&scratch.0), ["rules.pimrules", "shared"]);
    assert_eq!(listing(&scratch.0.join("shared")), ["rules.pimrules"]);
}

#[cfg(unix)]
#[test]
fn fmt_neither_reads_nor_writes_through_a_link_out_of_the_project() {
    let scratch = Scratch::new("atomic-link-out");
    let messy = std::fs::read(inputs("fmt/messy-spacing.pimrules")).expect("corpus file");
    let outside = scratch.write("outside.pimrules", &messy);
    let project = scratch.0.join("project");
    std::fs::create_dir_all(project.join(".git")).expect("a repository");
    let link = project.join("rules.pimrules");
    std::os::unix::fs::symlink("../outside.pimrules", &link).expect("a link");
    for args in [&["fmt"][..], &["fmt", "--check"]] {
        let output = pimrules(
            args.iter()
                .copied()
                .chain([project.to_str().expect("path")]),
        );
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("is outside the project"), "{stderr}");
        assert!(String::from_utf8_lossy(&output.stdout).is_empty());
    }
    assert_eq!(std::fs::read(&outside).expect("untouched"), messy);
    // let in on purpose, it is formatted through the link
    let allowed = scratch.0.to_str().expect("path");
    run(
        &[
            "fmt",
            link.to_str().expect("path"),
            "--allow-outside",
            allowed,
        ],
        0,
    );
    assert_ne!(std::fs::read(&outside).expect("formatted"), messy);
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("there")
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_new_file_gets_the_permissions_of_any_new_file() {
    let scratch = Scratch::new("atomic-new");
    // the test and the binary it runs share the umask: a file made here shows what it gives
    let probe = scratch.write("probe", b"");
    let out = scratch.0.join("table.json");
    run(&["compile", "-o", out.to_str().expect("path")], 0);
    assert_eq!(mode(&out), mode(&probe));
    // an existing private file stays private
    set_mode(&out, 0o600);
    run(&["compile", "-o", out.to_str().expect("path")], 0);
    assert_eq!(mode(&out), 0o600);
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_written_as_given() {
    use std::os::unix::ffi::OsStrExt;
    let scratch = Scratch::new("atomic-bytes");
    let out = scratch
        .0
        .join(std::ffi::OsStr::from_bytes(b"t\xffble.json"));
    let output = pimrules([
        std::ffi::OsStr::new("compile"),
        std::ffi::OsStr::new("-o"),
        out.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(out.is_file());
    assert_eq!(std::fs::read_dir(&scratch.0).expect("readable").count(), 1);
}

#[test]
fn a_stale_temporary_is_never_read_as_a_rule_file() {
    let scratch = Scratch::new("atomic-stale");
    let rules = std::fs::read(inputs("fmt/messy-spacing.pimrules")).expect("corpus file");
    scratch.write("rules.pimrules", &rules);
    // what a run killed with SIGKILL leaves: a temporary of a rule file, here not even valid
    let stale = ".rules.pimrules.4242.0.tmp";
    scratch.write(stale, BROKEN_RULES);
    let dir = scratch.0.to_str().expect("path");
    run(&["check", dir], 0);
    run(&["lint", dir], 0);
    run(&["fmt", dir], 0);
    run(&["fmt", "--check", dir], 0);
    assert_eq!(
        std::fs::read(scratch.0.join(stale)).expect("left alone"),
        BROKEN_RULES
    );
    assert_eq!(listing(&scratch.0), [stale, "rules.pimrules"]);
}

/// The test hook that holds each atomic write just before its rename (see `src/cli/output.rs`).
#[cfg(unix)]
const PAUSE_BEFORE_RENAME: &str = "PIMRULES_TEST_PAUSE_BEFORE_RENAME_MS";

#[cfg(unix)]
#[test]
fn a_run_stopped_by_a_signal_leaves_no_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    for (signal, number) in [("TERM", 15), ("INT", 2)] {
        let scratch = Scratch::new(&format!("atomic-signal-{signal}"));
        let out = scratch.write("table.json", OLD);
        set_mode(&out, 0o600);
        let mut child = Command::new(env!("CARGO_BIN_EXE_pimrules"))
            .args(["compile", "-o", out.to_str().expect("path")])
            .env(PAUSE_BEFORE_RENAME, "30000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary runs");
        let temporary = wait_for_temporary(&scratch.0);
        let temporary_mode = mode(&scratch.0.join(&temporary));
        let kill = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(kill.success());
        let status = child.wait().expect("the run ends");
        // no more open than the file it is to replace
        assert_eq!(temporary_mode, 0o600, "{temporary}");
        // ended by the signal, as if it had not been caught: a shell reports 128 + its number
        assert_eq!(status.signal(), Some(number), "SIG{signal}: {status:?}");
        assert_eq!(listing(&scratch.0), ["table.json"], "SIG{signal}");
        assert_eq!(std::fs::read(&out).expect("still there"), OLD);
    }
}

/// The name of the temporary file that appears in `dir`, waiting up to 30 s for it.
#[cfg(unix)]
fn wait_for_temporary(dir: &Path) -> String {
    for _ in 0..3000 {
        if let Some(name) = listing(dir).into_iter().find(|n| n.ends_with(".tmp")) {
            return name;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("no temporary file appeared in {}", dir.display());
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
}
