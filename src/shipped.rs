//! The rule sets shipped with pimrules, embedded in the binary so every command works from any
//! folder with no files; each is `rules/<name>.pimrules` and may `use` other files in `rules/`.

/// A file of `rules/`, embedded at build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippedFile {
    pub file_name: &'static str,
    pub text: &'static str,
}

macro_rules! shipped_files {
    ($($name:literal),* $(,)?) => {
        &[$(ShippedFile { file_name: $name, text: include_str!(concat!("../rules/", $name)) }),*]
    };
}

/// Every embedded `.pimrules` file.
pub const FILES: &[ShippedFile] = shipped_files!(
    "entra-pim.pimrules",
    "entra-pim-2018.pimrules",
    "account-provisioning.pimrules",
    "pim-vocabulary.pimrules",
);

/// The shipped rule sets, by name; the first is the default.
pub const RULE_SETS: &[&str] = &["entra-pim", "entra-pim-2018", "account-provisioning"];

/// The rule set used when none is given.
pub const DEFAULT_RULE_SET: &str = "entra-pim";

/// The embedded file with this file name (`entra-pim.pimrules`).
pub fn file(file_name: &str) -> Option<&'static ShippedFile> {
    FILES.iter().find(|f| f.file_name == file_name)
}

/// The root file of a shipped rule set, by rule-set name.
pub fn rule_set(name: &str) -> Option<&'static ShippedFile> {
    if RULE_SETS.contains(&name) {
        file(&format!("{name}.pimrules"))
    } else {
        None
    }
}
