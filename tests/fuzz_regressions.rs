//! Every input a fuzz target (fuzz/) crashed on, replayed with the property that failed. A crash
//! becomes `tests/inputs/fuzz/<target>-crash-<hash>.bin`; this test runs every such file.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use std::path::Path;

/// The `eval` target's import property: whatever `policy import` accepts (the input after its
/// first line) is settings text that parses and checks.
fn import_writes_settings_that_check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let policy = text.split_once('\n').map_or("", |(_, rest)| rest);
    let names = pimrules::policy::RoleNames::default();
    if let Ok(imported) = pimrules::policy::import_tenant(policy, &names) {
        let loaded = pimrules::load::load_text("imported.pimrules", &imported.text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        for program in &loaded.programs {
            let checked = pimrules::check::check_settings(&loaded, program);
            assert!(checked.is_ok(), "{checked:?}");
        }
    }
}

/// The `check` target's properties: every diagnostic renders, `fmt` output is a fixpoint, and a
/// clean rule set stays clean after `fmt`.
fn fmt_is_a_fixpoint_and_diagnostics_render(data: &[u8]) {
    use pimrules::{diagnostic, fmt, pipeline, source::FileId};
    let text = String::from_utf8_lossy(data);
    let build = pipeline::build_text("fuzz.pimrules", &text);
    diagnostic::render(&build.diagnostics, &build.loaded.sources, false);
    if let Ok(formatted) = fmt::format_source(FileId(0), &text) {
        let again = fmt::format_source(FileId(0), &formatted);
        assert_eq!(again.as_ref(), Ok(&formatted), "fmt is not idempotent");
        if !build.has_errors() {
            assert!(!pipeline::build_text("fuzz.pimrules", &formatted).has_errors());
        }
    }
}

/// The `simulate` target's run, through the binary: the log simulates (bad lines skipped) and
/// sends a bounded number of emails. The first such input (a timeout) had a line in the year
/// 4050, whose weekly digests, one per week from 2025, took minutes to send.
fn simulation_stays_bounded(path: &Path) {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pimrules"))
        .args([
            "simulate",
            "--rules",
            "entra-pim",
            "--rules",
            "account-provisioning",
        ])
        .arg("--directory")
        .arg(repository.join("examples/week/directory.json"))
        .arg("--input")
        .arg(path)
        .arg("--keep-going")
        .output()
        .expect("pimrules runs");
    assert_eq!(output.status.code(), Some(0), "{}", path.display());
    let emails = output.stdout.iter().filter(|b| **b == b'\n').count();
    assert!(emails < 10_000, "{}: {emails} emails", path.display());
}

#[test]
fn every_fuzz_crash_is_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs/fuzz");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("the crash corpus") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let data = std::fs::read(&path).expect("readable");
        match name.as_deref().and_then(|n| n.split_once("-crash-")) {
            Some(("check", _)) => fmt_is_a_fixpoint_and_diagnostics_render(&data),
            Some(("eval", _)) => import_writes_settings_that_check(&data),
            Some(("simulate", _)) => simulation_stays_bounded(&path),
            _ => panic!("{}: name it <target>-crash-<hash>.bin", path.display()),
        }
        replayed += 1;
    }
    assert!(replayed > 0);
}

/// The first crash, by hand: a role id with a carriage return is refused (E016), not written
/// into a string the language cannot read back.
#[test]
fn import_refuses_control_characters_in_ids() {
    let document = |role_id: &str| {
        format!(
            r##"{{"value": [{{"policyId": "DirectoryRole_x", "scopeId": "/", "scopeType": "DirectoryRole",
            "roleDefinitionId": "{role_id}", "policy": {{"id": "DirectoryRole_x", "rules": [
            {{"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
            "id": "Notification_Admin_Admin_Eligibility", "recipientType": "Admin", "notificationLevel": "All",
            "isDefaultRecipientsEnabled": true, "notificationRecipients": []}}]}}}}]}}"##
        )
    };
    let names = pimrules::policy::RoleNames::default();
    let good = "62e90394-69f5-4237-9190-012177145e10";
    assert!(pimrules::policy::import_tenant(&document(good), &names).is_ok());
    let error = pimrules::policy::import_tenant(&document("62e90394\\r69f5"), &names)
        .expect_err("a CR in an id");
    assert_eq!(
        error.message,
        r"`62e90394\u{d}69f5` contains a control character (U+000D)"
    );
}

/// The second crash, by hand: `//` inside a sender's angle brackets started a comment for `fmt`
/// but not for the parser, so `fmt` copied the rest of the line again on every run. An address
/// now ends where a comment starts, and the missing `>` is a located syntax error.
#[test]
fn a_comment_cannot_start_inside_an_address() {
    let text = "ruleset \"s\" version \"1\"\nsender \"X\" <norepl//contoso.com>\n";
    let build = pimrules::pipeline::build_text("s.pimrules", text);
    let error = build.diagnostics.first().expect("a syntax error");
    assert_eq!(error.code, pimrules::diagnostic::Code::E001);
    assert!(error.message.contains('>'), "{}", error.message);
}
