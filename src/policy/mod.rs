//! Tenant documents in and out: Microsoft Graph's and Azure Resource Manager's role management
//! policies read into settings (`policy import`), and settings written back as requests or Terraform.
//! The settings themselves are [`crate::ruleset::tenant`]; how they change a decision is
//! [`crate::eval::overlay`].

use crate::ruleset::tenant::rule_id;
use crate::ruleset::{PolicyRow, PolicySection};

pub mod ids;
mod import;
mod json;
mod read;
mod requests;
mod terraform;

pub use import::{Imported, import_tenant, settings_text};
pub use read::{RoleNames, Tenant, read_tenant};
pub use requests::{ExportError, Request, requests, requests_json, settings_json};
pub use terraform::export_terraform;

/// A problem in a tenant document, located by the bytes it is written in when pimrules can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub message: String,
    pub range: Option<std::ops::Range<usize>>,
    pub help: Option<String>,
}

impl PolicyError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        PolicyError {
            message: message.into(),
            range: None,
            help: None,
        }
    }

    pub(crate) fn at(mut self, range: std::ops::Range<usize>) -> Self {
        self.range = Some(range);
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The problem as an E016 diagnostic in `file`, the document it was found in.
    pub fn diagnostic(&self, file: crate::source::FileId) -> crate::diagnostic::Diagnostic {
        let diagnostic = crate::diagnostic::Diagnostic::error(
            crate::diagnostic::Code::E016,
            self.message.clone(),
        )
        .with_help(self.help.clone());
        match &self.range {
            Some(range) => diagnostic.at(crate::source::Span::new(file, range.clone()), "here"),
            None => diagnostic,
        }
    }
}

impl requests::ExportError {
    /// The problem as an E020 diagnostic at the settings it concerns.
    pub fn diagnostic(&self) -> crate::diagnostic::Diagnostic {
        crate::diagnostic::Diagnostic::error(crate::diagnostic::Code::E020, self.message.clone())
            .at(self.span, "in these settings")
            .help(self.help.clone())
    }
}

/// "did you mean …", or the list of the nine notification rule ids.
fn known_ids_hint(id: &str) -> String {
    let ids: Vec<String> = PolicySection::ALL
        .into_iter()
        .flat_map(|s| PolicyRow::ALL.into_iter().map(move |r| rule_id(s, r)))
        .collect();
    crate::diagnostic::did_you_mean(id, ids.iter().map(String::as_str))
        .unwrap_or_else(|| format!("the notification rules are {}", ids.join(", ")))
}
