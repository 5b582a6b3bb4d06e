//! Tenant policy as code, field for field: a tenant document of any shape Microsoft's services
//! return, imported to `.pimrules` and exported as requests, gives back every notification rule
//! of the document exactly — and nothing else — and the imported file is in the canonical layout.
//!
//! The documents are generated here from the shapes of Microsoft's published examples (the real
//! ones are in `inputs/policy/real/`), independently of the code under test.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use pimrules::load::load_text;
use pimrules::policy::{RoleNames, import_tenant, requests};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{Value, json};

const SECTIONS: &[(&str, &str, &str)] = &[
    // (id suffix, target caller, target level), as Microsoft writes them
    ("Admin_Eligibility", "Admin", "Eligibility"),
    ("Admin_Assignment", "Admin", "Assignment"),
    ("EndUser_Assignment", "EndUser", "Assignment"),
];
const ROWS: &[&str] = &["Admin", "Requestor", "Approver"];
const LEVELS: &[&str] = &["None", "Critical", "All"];
const ADDRESSES: &[&str] = &[
    "secops@contoso.com",
    "pim@contoso.com",
    "Ops.Team+pim@sub.contoso.com",
];
const GRAPH_TYPE: &str = "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule";
const POLICY: &str =
    "DirectoryRole_cab01047-8ad9-4792-8e42-569340767f1b_70c808b5-0d35-4863-a0ba-07888e99d448";
const GROUP_POLICY: &str =
    "Group_60bba733-f09d-49b7-8445-32369aa066b3_f21b26d9-9ff9-4af1-b1d4-bddf28591369";
const GROUP: &str = "60bba733-f09d-49b7-8445-32369aa066b3";
const SUBSCRIPTION: &str = "/subscriptions/129ff972-28f8-46b8-a726-e497be039368";
const ARM_POLICY: &str = "570c3619-7688-4b34-b290-2b8bb3ccab2a";

/// How a document writes what pimrules does not interpret.
#[derive(Debug, Clone)]
struct Style {
    arm: bool,
    /// `"all"` (Graph v1.0, directory roles) or `"All"` (groups, beta, ARM)
    operations: &'static str,
    /// the target's `@odata.type`, as update bodies write it
    target_type: bool,
    /// ARM's `notificationRecipients: null` for nobody
    null_recipients: bool,
    /// a member Microsoft may add one day
    extra: bool,
}

fn style() -> impl Strategy<Value = Style> {
    (
        any::<bool>(),
        prop::sample::select(&["all", "All"][..]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(arm, operations, target_type, null_recipients, extra)| Style {
                arm,
                operations,
                target_type: target_type && !arm,
                null_recipients: null_recipients && arm,
                extra,
            },
        )
}

/// One notification rule exactly as its service writes it.
fn rule(style: &Style) -> impl Strategy<Value = Value> + use<> {
    let style = style.clone();
    (
        prop::sample::select(SECTIONS),
        prop::sample::select(ROWS),
        prop::sample::select(LEVELS),
        any::<bool>(),
        prop::collection::vec(prop::sample::select(ADDRESSES), 0..3),
    )
        .prop_map(
            move |((suffix, caller, level), row, notification_level, defaults, recipients)| {
                let mut target = serde_json::Map::new();
                if style.target_type {
                    target.insert(
                        "@odata.type".into(),
                        json!("microsoft.graph.unifiedRoleManagementPolicyRuleTarget"),
                    );
                }
                target.insert("caller".into(), json!(caller));
                target.insert("operations".into(), json!([style.operations]));
                target.insert("level".into(), json!(level));
                let empty = if style.arm { Value::Null } else { json!([]) };
                if style.arm {
                    target.insert("targetObjects".into(), Value::Null);
                }
                target.insert("inheritableSettings".into(), empty.clone());
                target.insert("enforcedSettings".into(), empty);
                let recipients = if recipients.is_empty() && style.null_recipients {
                    Value::Null
                } else {
                    json!(recipients)
                };
                let mut rule = serde_json::Map::new();
                if style.arm {
                    rule.insert(
                        "ruleType".into(),
                        json!("RoleManagementPolicyNotificationRule"),
                    );
                } else {
                    rule.insert("@odata.type".into(), json!(GRAPH_TYPE));
                }
                rule.insert("id".into(), json!(format!("Notification_{row}_{suffix}")));
                rule.insert("notificationType".into(), json!("Email"));
                rule.insert("recipientType".into(), json!(row));
                rule.insert("notificationLevel".into(), json!(notification_level));
                rule.insert("isDefaultRecipientsEnabled".into(), json!(defaults));
                rule.insert("notificationRecipients".into(), recipients);
                if style.extra {
                    rule.insert("futureSetting".into(), json!({"kept": ["as", "returned"]}));
                }
                rule.insert("target".into(), Value::Object(target));
                Value::Object(rule)
            },
        )
}

/// One to nine notification rules with distinct ids, among rules of other kinds.
fn rules(style: &Style) -> impl Strategy<Value = Vec<Value>> + use<> {
    let arm = style.arm;
    (prop::collection::vec(rule(style), 1..12), any::<bool>()).prop_map(move |(mut rules, other)| {
        let mut seen = Vec::new();
        rules.retain(|rule| {
            let fresh = !seen.contains(&rule["id"]);
            seen.push(rule["id"].clone());
            fresh
        });
        if other {
            let kind = if arm {
                json!({"ruleType": "RoleManagementPolicyExpirationRule"})
            } else {
                json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"})
            };
            let mut expiration = kind;
            expiration["id"] = json!("Expiration_Admin_Eligibility");
            expiration["isExpirationRequired"] = json!(false);
            rules.insert(0, expiration);
        }
        rules
    })
}

/// The document kinds Microsoft's services return.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// `GET …/roleManagementPolicies/{id}/rules` (Graph only)
    RulesResponse,
    /// a policy with `rules` (Graph: `$expand=rules`; ARM: `GET …/roleManagementPolicies/{name}`)
    Policy,
    /// a list of policies
    PolicyList,
    /// policy assignments with `$expand=policy($expand=rules)` (ARM: `effectiveRules`)
    Assignments,
}

fn document() -> impl Strategy<Value = (Style, Kind, bool, Vec<Value>)> {
    style().prop_flat_map(|style| {
        let kinds = prop::sample::select(
            &[
                Kind::RulesResponse,
                Kind::Policy,
                Kind::PolicyList,
                Kind::Assignments,
            ][..],
        );
        (Just(style.clone()), kinds, any::<bool>(), rules(&style))
    })
}

/// The document, and the notification rules it holds.
fn written(style: &Style, kind: Kind, group: bool, rules: &[Value]) -> Value {
    if style.arm {
        let policy_id = format!(
            "{SUBSCRIPTION}/providers/Microsoft.Authorization/roleManagementPolicies/{ARM_POLICY}"
        );
        return match kind {
            Kind::Assignments => json!({"value": [{
                "properties": {
                    "scope": SUBSCRIPTION,
                    "roleDefinitionId": format!("{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/a795c7a0-d4a2-40c1-ae25-d81f01202912"),
                    "policyId": policy_id,
                    "effectiveRules": rules,
                    "policyAssignmentProperties": {"roleDefinition": {"displayName": "Backup Reader"}},
                },
                "name": format!("{ARM_POLICY}_a795c7a0-d4a2-40c1-ae25-d81f01202912"),
                "type": "Microsoft.Authorization/RoleManagementPolicyAssignment",
            }]}),
            _ => {
                let policy = json!({
                    "properties": {"scope": SUBSCRIPTION, "rules": rules, "effectiveRules": rules},
                    "name": ARM_POLICY,
                    "id": policy_id,
                    "type": "Microsoft.Authorization/RoleManagementPolicies",
                });
                match kind {
                    Kind::PolicyList => json!({"value": [policy]}),
                    _ => policy,
                }
            }
        };
    }
    let (policy_id, scope_id, scope_type) = if group {
        (GROUP_POLICY, GROUP, "Group")
    } else {
        (POLICY, "/", "DirectoryRole")
    };
    let policy = json!({"id": policy_id, "displayName": scope_type, "scopeId": scope_id,
        "scopeType": scope_type, "rules": rules});
    match kind {
        Kind::RulesResponse => json!({
            "@odata.context": format!("https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies('{policy_id}')/rules"),
            "value": rules,
        }),
        Kind::Policy => policy,
        Kind::PolicyList => json!({"value": [policy]}),
        Kind::Assignments => json!({"value": [{
            "id": format!("{policy_id}_x"),
            "policyId": policy_id,
            "scopeId": scope_id,
            "scopeType": scope_type,
            "roleDefinitionId": if group { "owner" } else { "62e90394-69f5-4237-9190-012177145e10" },
            "policy": policy,
        }]}),
    }
}

/// import, check the settings file, export every stated rule: the imported text and the
/// exported requests (`{"url", "body"}`).
fn round_trip(document: &str) -> Result<(String, Vec<(String, Value)>), String> {
    let imported = import_tenant(document, &RoleNames::default()).map_err(|e| e.message)?;
    let loaded = load_text("imported.pimrules", &imported.text);
    if !loaded.diagnostics.is_empty() {
        return Err(format!("{:?}\n{}", loaded.diagnostics, imported.text));
    }
    let program = loaded.programs.first().ok_or("no program")?;
    let settings = pimrules::check::check_settings(&loaded, program)
        .map_err(|d| format!("{d:?}\n{}", imported.text))?;
    let written = requests(&settings, &|_, _| true).map_err(|e| format!("{e:?}"))?;
    Ok((
        imported.text,
        written.into_iter().map(|r| (r.url, r.body)).collect(),
    ))
}

/// The rules the requests write, in order (an ARM request writes a list of rules).
fn written_rules(requests: &[(String, Value)]) -> Vec<Value> {
    requests
        .iter()
        .flat_map(|(_, body)| match body.pointer("/properties/rules") {
            Some(Value::Array(rules)) => rules.clone(),
            _ => vec![body.clone()],
        })
        .collect()
}

/// The property's check: the requests write exactly the document's notification rules, each
/// field for field, addressed to the document's policy.
fn field_exact(source: &[Value], requests: &[(String, Value)], policy: &str) -> Result<(), String> {
    let notification: Vec<&Value> = source
        .iter()
        .filter(|r| {
            r["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("Notification_"))
        })
        .collect();
    let written = written_rules(requests);
    if written.len() != notification.len() {
        return Err(format!(
            "{} rules written for {} in the document",
            written.len(),
            notification.len()
        ));
    }
    for (rule, exported) in notification.iter().zip(&written) {
        if *rule != exported {
            return Err(format!("written\n{exported:#}\nfor\n{rule:#}"));
        }
    }
    for (url, _) in requests {
        if !url.contains(policy) {
            return Err(format!("{url} does not address {policy}"));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/policy_roundtrip.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn export_of_import_is_field_exact((style, kind, group, rules) in document()) {
        let kind = if style.arm && matches!(kind, Kind::RulesResponse) { Kind::Policy } else { kind };
        let document = written(&style, kind, group, &rules);
        let (text, requests) = round_trip(&document.to_string()).map_err(TestCaseError::fail)?;
        let policy = if style.arm { ARM_POLICY } else if group { GROUP_POLICY } else { POLICY };
        field_exact(&rules, &requests, policy).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let formatted = pimrules::fmt::format_source(pimrules::source::FileId(0), &text)
            .map_err(|d| format!("{d:?}"));
        prop_assert_eq!(formatted, Ok(text));
    }
}

/// A rule of the kind the real documents hold: Graph v1.0's `"operations": ["all"]`.
fn directory_rule() -> Value {
    json!({
        "@odata.type": GRAPH_TYPE,
        "id": "Notification_Approver_EndUser_Assignment",
        "notificationType": "Email",
        "recipientType": "Approver",
        "notificationLevel": "Critical",
        "isDefaultRecipientsEnabled": false,
        "notificationRecipients": ["pim@contoso.com"],
        "target": {"caller": "EndUser", "operations": ["all"], "level": "Assignment", "inheritableSettings": [], "enforcedSettings": []},
    })
}

/// The property's check notices an exporter that changes a field, writes a rule the document
/// did not hold, or addresses another policy.
#[test]
fn a_lost_field_is_caught() {
    let rules = vec![directory_rule()];
    let document = json!({
        "@odata.context": format!("https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies('{POLICY}')/rules"),
        "value": rules,
    });
    let (_, requests) = round_trip(&document.to_string()).expect("round trip");
    assert_eq!(field_exact(&rules, &requests, POLICY), Ok(()));
    let mut recased = requests.clone();
    recased[0].1["target"]["operations"] = json!(["All"]);
    assert!(field_exact(&rules, &recased, POLICY).is_err());
    let mut invented = requests.clone();
    let mut other = directory_rule();
    other["id"] = json!("Notification_Admin_EndUser_Assignment");
    invented.push((requests[0].0.clone(), other));
    assert!(field_exact(&rules, &invented, POLICY).is_err());
    assert!(field_exact(&rules, &requests, GROUP_POLICY).is_err());
}

/// Every notification rule of a document, in order, wherever it is nested (the test's own walk,
/// not the reader's).
fn notification_rules_in(value: &Value, found: &mut Vec<Value>) {
    match value {
        Value::Object(members) => {
            let is_rule = members
                .get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| id.starts_with("Notification_"));
            if is_rule {
                found.push(value.clone());
                return;
            }
            for (key, member) in members {
                // a policy with both lists is read by its `rules`
                if key == "effectiveRules" && members.contains_key("rules") {
                    continue;
                }
                notification_rules_in(member, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| notification_rules_in(i, found)),
        _ => {}
    }
}

/// Microsoft's own examples: each one `policy import` accepts comes back field for field.
#[test]
fn microsofts_examples_come_back_field_for_field() {
    let folder = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/inputs/policy/real"
    ));
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(folder)
        .expect("the fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // ARM's x-ms-examples files wrap the bodies, which sit beside them
        let arm_wrapper =
            name.starts_with("arm-") && !name.contains(".response.") && !name.contains(".request.");
        if !name.ends_with(".json") || arm_wrapper {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let Ok((_, requests)) = round_trip(&text) else {
            continue;
        };
        let document: Value = serde_json::from_str(&text).expect("JSON");
        let mut rules = Vec::new();
        notification_rules_in(&document, &mut rules);
        let policy = requests[0].0.clone();
        let policy = policy
            .split("/rules/")
            .next()
            .and_then(|p| p.rsplit('/').next())
            .map(|p| p.split('?').next().unwrap_or(p).to_owned())
            .unwrap_or_default();
        assert_eq!(field_exact(&rules, &requests, &policy), Ok(()), "{name}");
        checked += 1;
    }
    assert!(checked >= 17, "only {checked} examples were read");
}
