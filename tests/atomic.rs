//! No half-written output: every file a command writes (compile -o, table -o, fmt in place,
//! render --out-dir, policy import/export -o) is replaced whole or not at all.

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

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
}
