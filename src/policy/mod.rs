//! The tenant notification policy overlay: Microsoft Graph's nine
//! `unifiedRoleManagementPolicyNotificationRule`s per role, and how they change a decision.
//!
//! Semantics (SPEC section 4, with the choices the SPEC leaves open written down here):
//! an event in a policy section is governed, row by row (admin, requestor, approver), by the rule
//! `Notification_{Row}_{Section}`; a rule missing from the policy has Graph's defaults (level
//! `All`, default recipients on, no additional recipients). Level `None` silences the row;
//! `Critical` lets only critical events through; default recipients off drops the row's classes.
//! Additional recipients receive a copy of what their row receives: they are added (as the
//! rule set's `from policy` class) when the level lets the event through and, before the policy,
//! at least one class of that row was notified. Events outside every section are never changed.

use crate::eval::{Notification, Source};
use crate::ruleset::{EventId, FactValues, PolicyRow, PolicySection, Vocabulary};
use std::collections::BTreeMap;

pub mod ids;
mod import;
mod json;
mod read;
mod requests;
pub mod shape;
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

/// The `@odata.type` of a notification rule.
pub const NOTIFICATION_RULE_TYPE: &str =
    "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule";

/// Graph's `notificationLevel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Level {
    None,
    Critical,
    #[default]
    All,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::All, Level::Critical, Level::None];

    /// The word the language uses: `all`, `critical`, `none`.
    pub fn keyword(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Critical => "critical",
            Level::All => "all",
        }
    }

    pub fn graph_name(self) -> &'static str {
        match self {
            Level::None => "None",
            Level::Critical => "Critical",
            Level::All => "All",
        }
    }

    pub fn from_graph(name: &str) -> Option<Level> {
        [Level::None, Level::Critical, Level::All]
            .into_iter()
            .find(|l| l.graph_name().eq_ignore_ascii_case(name))
    }

    /// Whether an event of this criticality passes.
    pub fn lets_through(self, critical: bool) -> bool {
        match self {
            Level::None => false,
            Level::Critical => critical,
            Level::All => true,
        }
    }
}

/// The settings of one (section, row): one Graph notification rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowSetting {
    pub level: Level,
    pub default_recipients: bool,
    pub additional: Vec<String>,
}

impl Default for RowSetting {
    fn default() -> Self {
        RowSetting {
            level: Level::All,
            default_recipients: true,
            additional: Vec::new(),
        }
    }
}

/// A tenant's notification settings for one role: up to nine rules, the rest at Graph's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NotificationPolicy {
    pub settings: BTreeMap<(PolicySection, PolicyRow), RowSetting>,
}

/// `Notification_{Admin|Requestor|Approver}_{Admin_Eligibility|Admin_Assignment|EndUser_Assignment}`
pub fn rule_id(section: PolicySection, row: PolicyRow) -> String {
    format!("Notification_{}_{}", row.graph_name(), section.graph_name())
}

/// The (section, row) of a notification rule id.
pub fn parse_rule_id(id: &str) -> Option<(PolicySection, PolicyRow)> {
    PolicySection::ALL.into_iter().find_map(|section| {
        PolicyRow::ALL
            .into_iter()
            .find(|row| rule_id(section, *row) == id)
            .map(|row| (section, row))
    })
}

impl NotificationPolicy {
    pub fn get(&self, section: PolicySection, row: PolicyRow) -> RowSetting {
        self.settings
            .get(&(section, row))
            .cloned()
            .unwrap_or_default()
    }

    /// Whether any rule adds recipients.
    pub fn has_additional(&self) -> bool {
        self.settings.values().any(|s| !s.additional.is_empty())
    }

    /// Apply the policy to the rule set's notifications for one event.
    pub fn apply(
        &self,
        vocabulary: &Vocabulary,
        event: EventId,
        facts: &FactValues,
        notifications: Vec<Notification>,
    ) -> Vec<Notification> {
        let Some(event) = vocabulary.events.get(event.0) else {
            return notifications;
        };
        let Some(section) = event.section.resolve(facts) else {
            return notifications;
        };
        let row_of = |n: &Notification| vocabulary.recipients.get(n.class.0).and_then(|c| c.row);
        let mut extra: Option<Notification> = None;
        // the addresses already added, without regard to case: a set, as a row may list many
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut kept = notifications.clone();
        for row in PolicyRow::ALL {
            let setting = self.get(section, row);
            let passes = setting.level.lets_through(event.critical);
            let first_of_row = notifications.iter().find(|n| row_of(n) == Some(row));
            if !passes || !setting.default_recipients {
                kept.retain(|n| row_of(n) != Some(row));
            }
            let (Some(first), Some(class), true) =
                (first_of_row, vocabulary.policy_class(), passes)
            else {
                continue;
            };
            if setting.additional.is_empty() {
                continue;
            }
            let entry = extra.get_or_insert_with(|| Notification {
                class,
                source: Source::Policy(rule_id(section, row)),
                template: first.template,
                addresses: Vec::new(),
            });
            for address in &setting.additional {
                if seen.insert(address.to_ascii_lowercase()) {
                    entry.addresses.push(address.clone());
                }
            }
        }
        if let Some(extra) = extra {
            match kept.iter_mut().find(|n| n.class == extra.class) {
                Some(existing) => existing.addresses.extend(extra.addresses),
                None => {
                    let at = kept.partition_point(|n| n.class < extra.class);
                    kept.insert(at, extra);
                }
            }
        }
        kept
    }
}
