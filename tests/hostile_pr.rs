//! A hostile pull request: a repository whose rule files try to make pimrules read and print the
//! CI runner's files — `use` of absolute paths, of `..` out of the repository and of
//! `/proc/self/environ`, a rule file, a message catalogue and a test policy that are links to
//! files outside — run through the commands of the CI recipe (`examples/ci/pimrules.yml`). No
//! byte of a file outside the repository, nor of the runner's environment, may reach the output.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

#[cfg(unix)]
mod hostile {
    use std::path::Path;
    use std::process::{Command, Output};

    const SECRET: &str = "ghp_SECRETMARKER0123456789";

    /// The runner's files, and a repository checked out beside them.
    struct Runner {
        dir: std::path::PathBuf,
    }

    impl Drop for Runner {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn write(path: &Path, text: &str) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("a folder");
        }
        std::fs::write(path, text).expect("a file");
    }

    fn link(target: &Path, at: &Path) {
        if let Some(parent) = at.parent() {
            std::fs::create_dir_all(parent).expect("a folder");
        }
        std::os::unix::fs::symlink(target, at).expect("a link");
    }

    fn runner(name: &str) -> Runner {
        let dir =
            std::env::temp_dir().join(format!("pimrules-hostile-pr-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // outside the repository: what a pull request must not read
        let secret = dir.join("secret.txt");
        write(&secret, &format!("token {SECRET}\n"));
        write(&dir.join("secret.pimrules"), &format!("rule {SECRET} {{\n"));
        write(&dir.join("secret.json"), &format!("{{\"{SECRET}\": \n"));
        write(&dir.join("secret.ftl"), &format!("{SECRET} = {{ $x\n"));
        write(&dir.join("secret.toml"), &format!("[lint]\n{SECRET} =\n"));
        let repo = dir.join("repo");
        std::fs::create_dir_all(repo.join(".git")).expect("a repository");
        let rules = repo.join("rules");
        write(
            &rules.join("main.pimrules"),
            &format!(
                r#"ruleset "pr" version "1"
sender "PIM" <pim@contoso.com>
subject-prefix "PIM: "
max-recipients 10
use "{}"
use "../../secret.pimrules"
use "/proc/self/environ"
use "vocabulary.pimrules"

rule r {{
  on e in s
  notify c
}}
"#,
                dir.join("secret.pimrules").display()
            ),
        );
        write(
            &rules.join("vocabulary.pimrules"),
            "scope s \"S\"\nrecipient c \"C\"\nevent e \"E\"\ntemplate e \"E\"\n",
        );
        link(&dir.join("secret.pimrules"), &rules.join("linked.pimrules"));
        // a rule set that is fine but for the policies its tests read
        let tests = repo.join("tests");
        write(
            &tests.join("tests.pimrules"),
            r#"ruleset "tests" version "1"
sender "PIM" <pim@contoso.com>
subject-prefix "PIM: "
max-recipients 10
scope s "S"
recipient c "C"
event e "E"
template e "E"
rule r { on e in s notify c }

test "reads a policy outside" {
  given e in s
  policy "../../secret.json"
  expect c
}

test "reads a linked policy" {
  given e in s
  policy "linked-policy.json"
  expect c
}
"#,
        );
        link(&dir.join("secret.json"), &tests.join("linked-policy.json"));
        link(&dir.join("secret.toml"), &tests.join("pimrules.toml"));
        link(&dir.join("secret.toml"), &repo.join("pimrules.toml"));
        link(&dir.join("secret.ftl"), &rules.join("locales/en/pim.ftl"));
        link(&dir.join("secret.ftl"), &rules.join("locales/en/pr.ftl"));
        Runner { dir }
    }

    /// `pimrules ARGS` in the repository, with the secret in the environment as a CI token is.
    fn run(runner: &Runner, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_pimrules"))
            .args(args)
            .current_dir(runner.dir.join("repo"))
            .env("NO_COLOR", "1")
            .env("GITHUB_TOKEN", SECRET)
            .output()
            .expect("the binary runs")
    }

    #[test]
    fn the_ci_recipe_prints_nothing_from_outside_the_repository() {
        let runner = runner("recipe");
        let commands: [&[&str]; 10] = [
            &["check", "rules"],
            &["check", "rules", "--format", "github"],
            &["test", "rules"],
            &["test", "tests"],
            &["fmt", "--check", "rules"],
            &[
                "lint",
                "rules",
                "--format",
                "github",
                "--fail-level",
                "error",
            ],
            &[
                "lint",
                "rules",
                "--format",
                "sarif",
                "--fail-level",
                "error",
            ],
            &["render", "--rules", "rules", "--input", "-"],
            // a clean rule set, so that lint reads the configuration beside it, and in the
            // current folder
            &["lint", "tests"],
            &["lint", "--rules", "entra-pim"],
        ];
        for args in commands {
            let output = run(&runner, args);
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                !stdout.contains("SECRETMARKER") && !stderr.contains("SECRETMARKER"),
                "`pimrules {}` printed the secret:\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
                args.join(" ")
            );
            assert_ne!(
                output.status.code(),
                Some(0),
                "`pimrules {}` passed",
                args.join(" ")
            );
        }
    }

    #[test]
    fn each_way_out_is_refused_where_it_is_written() {
        let runner = runner("refused");
        let output = run(&runner, &["check", "rules"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        for expected in [
            "is an absolute path",
            "`../../secret.pimrules` is outside the project",
            "`/proc/self/environ` is an absolute path",
            "linked.pimrules` is outside the project",
        ] {
            assert!(
                stderr.contains(expected),
                "expected `{expected}` in:\n{stderr}"
            );
        }
        let tests = run(&runner, &["test", "tests"]);
        let stdout = String::from_utf8_lossy(&tests.stdout);
        assert!(
            stdout.matches("is outside the project").count() >= 2,
            "{stdout}"
        );
        for args in [&["lint", "tests"][..], &["lint", "--rules", "entra-pim"]] {
            let lint = run(&runner, args);
            let stderr = String::from_utf8_lossy(&lint.stderr);
            assert!(
                stderr.contains("pimrules.toml` is outside the project"),
                "`pimrules {}`: {stderr}",
                args.join(" ")
            );
        }
    }

    #[test]
    fn allow_outside_lets_a_folder_in_on_purpose() {
        let runner = runner("allowed");
        let outside = runner.dir.display().to_string();
        let output = run(&runner, &["check", "rules", "--allow-outside", &outside]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("`../../secret.pimrules` is outside"),
            "{stderr}"
        );
    }

    /// A file name that would start a workflow command if printed as is at the start of a line.
    const COMMAND_NAME: &str = "x\n::error file=README.md,line=1::approved by security\n.pimrules";

    #[test]
    fn a_file_name_cannot_start_a_workflow_command() {
        let runner = runner("command-name");
        let rules = runner.dir.join("repo").join("named");
        write(
            &rules.join(COMMAND_NAME),
            "ruleset \"pr\" version \"1\"\nsender \"PIM\" <pim@contoso.com>\n\
             subject-prefix \"PIM: \"\nmax-recipients 10\nscope s \"S\"\nrecipient c \"C\"\n\
             recipient unused \"U\"\nevent e \"E\"\ntemplate e \"E\"\n\
             rule r { on e in s notify nobody }\n",
        );
        let mut named = 0;
        for args in [
            &["check", "named"][..],
            &["lint", "named", "--format", "github"],
            &["fmt", "--check", "named"],
        ] {
            let output = run(&runner, args);
            for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
                let text = String::from_utf8_lossy(bytes);
                named += usize::from(text.contains("approved by security"));
                assert!(
                    !text
                        .lines()
                        .any(|line| line.starts_with("::error file=README.md")),
                    "`pimrules {}` {stream} starts a workflow command of the file name:\n{text}",
                    args.join(" ")
                );
            }
        }
        // each command printed the name (escaped), so each was tried
        assert!(named >= 3, "the file name was printed {named} times");
    }
}
