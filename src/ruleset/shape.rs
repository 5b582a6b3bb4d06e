//! The fields of a tenant's notification rule that pimrules does not interpret — its type marker,
//! `notificationType`, the target's operations and settings, anything newer — kept verbatim.
//!
//! A rule is its *settings* (level, default recipients, additional recipients: what the language
//! states) plus its *shape* (everything else). `policy import` splits each rule of the tenant's
//! document into the two; `policy export` and `plan` join them again, so the rule they write is
//! field for field the rule the tenant returned, with only the stated settings changed. The
//! fields that follow from the rule's id (`id`, `recipientType`, the target's `caller` and
//! `level`) are checked against it when the rule is read and written from it, not kept.

use super::tenant::{Level, NOTIFICATION_RULE_TYPE, RowSetting, rule_id};
use crate::ruleset::{PolicyRow, PolicySection};
use serde_json::{Map, Value};

/// The rule members the settings line states (never part of a shape, except a `null`
/// `notificationRecipients`, which says how the source wrote "nobody").
pub const SETTING_MEMBERS: [&str; 3] = [
    "notificationLevel",
    "isDefaultRecipientsEnabled",
    "notificationRecipients",
];
/// The rule members that follow from its id.
pub const ID_MEMBERS: [&str; 2] = ["id", "recipientType"];
/// The target members that follow from the rule's id.
pub const TARGET_ID_MEMBERS: [&str; 2] = ["caller", "level"];

/// The service a rule lives in: its documents differ in the type marker and the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Microsoft Graph (`/policies/roleManagementPolicies`): Entra roles and PIM for Groups
    Graph,
    /// Azure Resource Manager (`Microsoft.Authorization/roleManagementPolicies`): Azure roles
    Arm,
}

/// The uninterpreted members of a notification rule, as the tenant wrote them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleShape {
    pub fields: Map<String, Value>,
}

impl RuleShape {
    /// The shape Microsoft documents for a service's notification rules, used for a settings
    /// line that states no shape (a hand-written file): Graph's `unifiedRoleManagementPolicy
    /// NotificationRule` and ARM's `RoleManagementPolicyNotificationRule` as their reference
    /// examples write them.
    pub fn documented(service: Service) -> RuleShape {
        let (marker, empty) = match service {
            Service::Graph => (
                ("@odata.type", Value::from(NOTIFICATION_RULE_TYPE)),
                Value::Array(Vec::new()),
            ),
            Service::Arm => (
                ("ruleType", Value::from(ARM_NOTIFICATION_RULE_TYPE)),
                Value::Null,
            ),
        };
        let mut target = Map::new();
        target.insert("operations".into(), Value::from(vec!["All"]));
        if service == Service::Arm {
            target.insert("targetObjects".into(), Value::Null);
        }
        target.insert("inheritableSettings".into(), empty.clone());
        target.insert("enforcedSettings".into(), empty);
        let mut fields = Map::new();
        fields.insert(marker.0.into(), marker.1);
        fields.insert("notificationType".into(), Value::from("Email"));
        fields.insert("target".into(), Value::Object(target));
        RuleShape { fields }
    }

    /// The shape of a rule read from a document (whose id, recipient type and target were
    /// checked against `section` and `row`): the rule without what the settings line and the
    /// id say.
    pub fn of_rule(rule: &Map<String, Value>) -> RuleShape {
        let mut fields = Map::new();
        for (key, value) in rule {
            let key = key.as_str();
            if ID_MEMBERS.contains(&key)
                || (SETTING_MEMBERS.contains(&key)
                    && !(key == "notificationRecipients" && value.is_null()))
            {
                continue;
            }
            let value = match (key, value) {
                ("target", Value::Object(target)) => Value::Object(
                    target
                        .iter()
                        .filter(|(k, _)| !TARGET_ID_MEMBERS.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ),
                _ => value.clone(),
            };
            fields.insert(key.to_owned(), value);
        }
        RuleShape { fields }
    }

    /// Why this cannot be the shape of a rule, if it cannot: it states what the settings line
    /// or the rule's id already say, or its target is not an object.
    pub fn problem(&self) -> Option<String> {
        for (key, value) in &self.fields {
            let key = key.as_str();
            if ID_MEMBERS.contains(&key) {
                return Some(format!("`{key}` follows from the line's section and row"));
            }
            if SETTING_MEMBERS.contains(&key)
                && !(key == "notificationRecipients" && value.is_null())
            {
                return Some(format!("`{key}` is stated by the line's items"));
            }
        }
        match self.fields.get("target") {
            None => None,
            Some(Value::Object(target)) => TARGET_ID_MEMBERS
                .into_iter()
                .find(|k| target.contains_key(*k))
                .map(|k| format!("the target's `{k}` follows from the line's section")),
            Some(_) => Some("`target` must be an object".to_owned()),
        }
    }

    /// The whole rule for a (section, row) with these settings: the shape's members, the id,
    /// the recipient type, the settings and the target, in the order Graph writes them.
    pub fn rule(&self, section: PolicySection, row: PolicyRow, setting: &RowSetting) -> Value {
        let mut rule = Map::new();
        let mut rest = self.fields.clone();
        for marker in ["@odata.type", "ruleType"] {
            if let Some(value) = rest.shift_remove(marker) {
                rule.insert(marker.to_owned(), value);
            }
        }
        rule.insert("id".into(), Value::from(rule_id(section, row)));
        if let Some(kind) = rest.shift_remove("notificationType") {
            rule.insert("notificationType".into(), kind);
        }
        rule.insert("recipientType".into(), Value::from(row.graph_name()));
        rule.insert(
            "notificationLevel".into(),
            Value::from(setting.level.graph_name()),
        );
        rule.insert(
            "isDefaultRecipientsEnabled".into(),
            Value::from(setting.default_recipients),
        );
        let null_when_empty = rest
            .shift_remove("notificationRecipients")
            .is_some_and(|v| v.is_null());
        rule.insert(
            "notificationRecipients".into(),
            if setting.additional.is_empty() && null_when_empty {
                Value::Null
            } else {
                Value::from(setting.additional.clone())
            },
        );
        let target = rest.shift_remove("target");
        rule.extend(rest);
        if let Some(Value::Object(members)) = target {
            rule.insert("target".into(), Value::Object(target_of(section, members)));
        }
        Value::Object(rule)
    }

    /// The shape as one line of JSON, as the language writes it.
    pub fn to_json_line(&self) -> String {
        crate::json_location::one_line(&Value::Object(self.fields.clone()))
    }
}

/// ARM's `ruleType` of a notification rule.
pub const ARM_NOTIFICATION_RULE_TYPE: &str = "RoleManagementPolicyNotificationRule";

/// The target's `caller` and `level` for a section: who acts (`Admin` assigns, `EndUser`
/// activates) and on what (`Eligibility`, `Assignment`).
pub fn caller_and_level(section: PolicySection) -> (&'static str, &'static str) {
    match section {
        PolicySection::EligibleAssignment => ("Admin", "Eligibility"),
        PolicySection::ActiveAssignment => ("Admin", "Assignment"),
        PolicySection::Activation => ("EndUser", "Assignment"),
    }
}

/// A target: its `@odata.type` first, then `caller`, the other members in order with `level`
/// after `operations` — the order of Microsoft's examples.
fn target_of(section: PolicySection, members: Map<String, Value>) -> Map<String, Value> {
    let (caller, level) = caller_and_level(section);
    let mut target = Map::new();
    let mut rest = members;
    if let Some(kind) = rest.shift_remove("@odata.type") {
        target.insert("@odata.type".into(), kind);
    }
    target.insert("caller".into(), Value::from(caller));
    let mut level_written = false;
    for (key, value) in rest {
        let after_operations = key == "operations";
        target.insert(key, value);
        if after_operations {
            target.insert("level".into(), Value::from(level));
            level_written = true;
        }
    }
    if !level_written {
        target.insert("level".into(), Value::from(level));
    }
    target
}

/// The level a document writes, exactly: Graph's enumeration members are case-sensitive.
pub fn level_named(name: &str) -> Option<Level> {
    Level::ALL.into_iter().find(|l| l.graph_name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_rule_splits_into_shape_and_settings_and_joins_again() {
        let rule = json!({
            "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
            "id": "Notification_Admin_EndUser_Assignment",
            "notificationType": "Email",
            "recipientType": "Admin",
            "notificationLevel": "Critical",
            "isDefaultRecipientsEnabled": false,
            "notificationRecipients": ["a@contoso.com"],
            "target": {"caller": "EndUser", "operations": ["all"], "level": "Assignment", "inheritableSettings": [], "enforcedSettings": []}
        });
        let shape = RuleShape::of_rule(rule.as_object().expect("an object"));
        assert_eq!(shape.problem(), None);
        let setting = RowSetting {
            level: Level::Critical,
            default_recipients: false,
            additional: vec!["a@contoso.com".into()],
        };
        let joined = shape.rule(PolicySection::Activation, PolicyRow::Admin, &setting);
        assert_eq!(joined, rule);
    }

    #[test]
    fn null_recipients_stay_null_until_someone_is_added() {
        let rule = json!({"ruleType": ARM_NOTIFICATION_RULE_TYPE, "id": "Notification_Approver_Admin_Eligibility",
            "recipientType": "Approver", "notificationLevel": "All", "isDefaultRecipientsEnabled": true,
            "notificationRecipients": null});
        let shape = RuleShape::of_rule(rule.as_object().expect("an object"));
        let mut setting = RowSetting::default();
        let section = PolicySection::EligibleAssignment;
        assert_eq!(shape.rule(section, PolicyRow::Approver, &setting), rule);
        setting.additional.push("x@contoso.com".into());
        let changed = shape.rule(section, PolicyRow::Approver, &setting);
        assert_eq!(changed["notificationRecipients"], json!(["x@contoso.com"]));
    }

    #[test]
    fn a_shape_may_not_restate_a_setting() {
        let shape = RuleShape {
            fields: json!({"notificationLevel": "All"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        };
        assert!(shape.problem().is_some());
    }
}
