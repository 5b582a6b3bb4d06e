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

/// A Fluent message catalogue of `rules/locales/<locale>/`, embedded at build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippedCatalogue {
    pub locale: &'static str,
    /// `pim.ftl` (every rule set) or `<rule set name>.ftl` (that rule set's overrides)
    pub file_name: &'static str,
    /// the path under `rules/`: `locales/<locale>/<file_name>`
    pub path: &'static str,
    pub text: &'static str,
}

macro_rules! shipped_catalogues {
    ($(($locale:literal, $name:literal)),* $(,)?) => {
        &[$(ShippedCatalogue {
            locale: $locale,
            file_name: $name,
            path: concat!("locales/", $locale, "/", $name),
            text: include_str!(concat!("../rules/locales/", $locale, "/", $name)),
        }),*]
    };
}

/// Every embedded message catalogue: the wording of the emails, by locale.
pub const CATALOGUES: &[ShippedCatalogue] = shipped_catalogues!(
    ("en", "pim.ftl"),
    ("en", "entra-pim-2018.ftl"),
    ("sv", "pim.ftl"),
);
