//! A tenant's notification settings as data: Graph's nine notification rules per role (level,
//! default recipients, additional recipients), the part of a checked rule set a policy states.

use super::{PolicyRow, PolicySection};
use std::collections::BTreeMap;

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
}
