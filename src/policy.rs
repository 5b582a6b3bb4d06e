//! The tenant notification policy overlay: Microsoft Graph's nine
//! `unifiedRoleManagementPolicyNotificationRule`s, read from JSON and applied to a decision.
//!
//! Semantics (SPEC section 4, with the choices the SPEC leaves open written down here):
//! an event in a policy section is governed, row by row (admin, requestor, approver), by the rule
//! `Notification_{Row}_{Section}`; a rule missing from the policy has Graph's defaults (level
//! `All`, default recipients on, no additional recipients). Level `None` silences the row;
//! `Critical` lets only critical events through; default recipients off drops the row's classes.
//! Additional recipients receive a copy of what their row receives: they are added (as the
//! rule set's `from policy` class) when the level lets the event through and, before the policy,
//! at least one class of that row was notified. Events outside every section are never changed.

use crate::address;
use crate::eval::{Notification, Source};
use crate::ruleset::{EventId, FactValues, PolicyRow, PolicySection, Vocabulary};
use serde_json::Value;
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
    pub fn graph_name(self) -> &'static str {
        match self {
            Level::None => "None",
            Level::Critical => "Critical",
            Level::All => "All",
        }
    }

    fn from_graph(name: &str) -> Option<Level> {
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

/// A problem in a policy document, located by byte offset when pimrules can tell where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub message: String,
    pub offset: Option<usize>,
    pub length: usize,
    pub help: Option<String>,
}

impl PolicyError {
    fn new(message: impl Into<String>) -> Self {
        PolicyError {
            message: message.into(),
            offset: None,
            length: 0,
            help: None,
        }
    }

    /// Point at the first occurrence of `literal` (a JSON string) in the document.
    fn at_literal(mut self, text: &str, literal: &str) -> Self {
        let quoted = serde_json::to_string(literal).unwrap_or_default();
        if let Some(offset) = text.find(&quoted) {
            self.offset = Some(offset);
            self.length = quoted.len();
        }
        self
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
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

    /// Read Graph JSON: a `{"value": [...]}` response, a bare array of rules, or one rule.
    /// Rules of other kinds (expiration, approval, …) are skipped; unknown notification rule
    /// ids, bad levels and invalid addresses are errors.
    pub fn from_graph_json(text: &str) -> Result<NotificationPolicy, PolicyError> {
        let document: Value = serde_json::from_str(text).map_err(|e| {
            let mut error = PolicyError::new(format!("invalid JSON: {}", strip_position(&e)));
            error.offset = Some(offset_of(text, e.line(), e.column()));
            error.length = 1;
            error
        })?;
        let rules: Vec<&Value> = match &document {
            Value::Array(rules) => rules.iter().collect(),
            Value::Object(map) => match map.get("value") {
                Some(Value::Array(rules)) => rules.iter().collect(),
                Some(_) => {
                    return Err(PolicyError::new("`value` must be an array of rules")
                        .at_literal(text, "value"));
                }
                None => vec![&document],
            },
            _ => {
                return Err(PolicyError::new(
                    "expected a Graph response `{\"value\": [...]}`, an array of rules, or one rule",
                ));
            }
        };
        let mut policy = NotificationPolicy::default();
        for rule in rules {
            policy.read_rule(rule, text)?;
        }
        Ok(policy)
    }

    fn read_rule(&mut self, rule: &Value, text: &str) -> Result<(), PolicyError> {
        let Value::Object(fields) = rule else {
            return Err(PolicyError::new("each rule must be a JSON object"));
        };
        let id = match fields.get("id") {
            Some(Value::String(id)) => id.as_str(),
            _ => return Err(PolicyError::new("a rule has no string `id`")),
        };
        let kind = fields.get("@odata.type").and_then(Value::as_str);
        let is_notification =
            kind.is_some_and(|k| k == NOTIFICATION_RULE_TYPE) || id.starts_with("Notification_");
        if !is_notification {
            return Ok(());
        }
        let Some((section, row)) = parse_rule_id(id) else {
            let ids: Vec<String> = PolicySection::ALL
                .into_iter()
                .flat_map(|s| PolicyRow::ALL.into_iter().map(move |r| rule_id(s, r)))
                .collect();
            let hint = crate::diagnostic::did_you_mean(id, ids.iter().map(String::as_str))
                .unwrap_or_else(|| format!("the notification rules are {}", ids.join(", ")));
            return Err(
                PolicyError::new(format!("unknown notification rule id `{id}`"))
                    .at_literal(text, id)
                    .help(hint),
            );
        };
        if self.settings.contains_key(&(section, row)) {
            return Err(
                PolicyError::new(format!("notification rule `{id}` is given twice"))
                    .at_literal(text, id),
            );
        }
        if let Some(Value::String(recipient_type)) = fields.get("recipientType")
            && !recipient_type.eq_ignore_ascii_case(row.graph_name())
        {
            return Err(PolicyError::new(format!(
                "rule `{id}` has recipientType `{recipient_type}`, but its id says `{}`",
                row.graph_name()
            ))
            .at_literal(text, recipient_type));
        }
        let mut setting = RowSetting::default();
        match fields.get("notificationLevel") {
            None => {}
            Some(Value::String(level)) => {
                setting.level = Level::from_graph(level).ok_or_else(|| {
                    PolicyError::new(format!(
                        "`{level}` is not a notificationLevel of rule `{id}`"
                    ))
                    .at_literal(text, level)
                    .help("the levels are `None`, `Critical` and `All`")
                })?;
            }
            Some(_) => {
                return Err(PolicyError::new(format!(
                    "`notificationLevel` of rule `{id}` must be a string"
                )));
            }
        }
        match fields.get("isDefaultRecipientsEnabled") {
            None => {}
            Some(Value::Bool(enabled)) => setting.default_recipients = *enabled,
            Some(_) => {
                return Err(PolicyError::new(format!(
                    "`isDefaultRecipientsEnabled` of rule `{id}` must be true or false"
                )));
            }
        }
        match fields.get("notificationRecipients") {
            None | Some(Value::Null) => {}
            Some(Value::Array(addresses)) => {
                for address in addresses {
                    let Some(address) = address.as_str() else {
                        return Err(PolicyError::new(format!(
                            "`notificationRecipients` of rule `{id}` must hold strings"
                        )));
                    };
                    if !address::is_valid(address) {
                        return Err(PolicyError::new(format!(
                            "invalid address `{}` in `notificationRecipients` of rule `{id}`",
                            address.escape_debug()
                        ))
                        .at_literal(text, address));
                    }
                    if !setting
                        .additional
                        .iter()
                        .any(|a| a.eq_ignore_ascii_case(address))
                    {
                        setting.additional.push(address.to_owned());
                    }
                }
            }
            Some(_) => {
                return Err(PolicyError::new(format!(
                    "`notificationRecipients` of rule `{id}` must be an array of addresses"
                )));
            }
        }
        self.settings.insert((section, row), setting);
        Ok(())
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
                if !entry
                    .addresses
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(address))
                {
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

/// serde_json's message without its " at line L column C" suffix (pimrules shows the location).
pub(crate) fn strip_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

/// Byte offset of a 1-based line and column (serde_json counts columns in bytes).
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}
