//! Tenant policy as code: Graph JSON imported to `.pimrules` and exported back keeps every
//! field of every notification rule, and the imported file is already in the canonical layout.

use pimrules::load::load_text;
use pimrules::policy::{export_graph, import_graph};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{Value, json};

const SECTIONS: &[(&str, &str, &str)] = &[
    // (id suffix, target caller, target level), as Graph returns them
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

/// One notification rule exactly as Graph serialises it.
fn graph_rule() -> impl Strategy<Value = Value> {
    (
        proptest::sample::select(SECTIONS),
        proptest::sample::select(ROWS),
        proptest::sample::select(LEVELS),
        any::<bool>(),
        proptest::collection::vec(proptest::sample::select(ADDRESSES), 0..4),
    )
        .prop_map(
            |((suffix, caller, level), row, notification_level, defaults, recipients)| {
                json!({
                    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
                    "id": format!("Notification_{row}_{suffix}"),
                    "notificationType": "Email",
                    "recipientType": row,
                    "notificationLevel": notification_level,
                    "isDefaultRecipientsEnabled": defaults,
                    "notificationRecipients": recipients,
                    "target": {
                        "caller": caller,
                        "operations": ["All"],
                        "level": level,
                        "inheritableSettings": [],
                        "enforcedSettings": [],
                    },
                })
            },
        )
}

/// Up to nine rules with distinct ids, as a bare array or a `GET …/rules` response.
fn graph_document() -> impl Strategy<Value = (Vec<Value>, String)> {
    (proptest::collection::vec(graph_rule(), 0..12), any::<bool>()).prop_map(|(mut rules, wrapped)| {
        let mut seen = Vec::new();
        rules.retain(|rule| {
            let id = rule["id"].clone();
            let fresh = !seen.contains(&id);
            seen.push(id);
            fresh
        });
        let document = if wrapped {
            json!({
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies('DirectoryRole_x_y')/rules",
                "value": rules,
            })
        } else {
            json!(rules)
        };
        (rules, document.to_string())
    })
}

/// import, check the settings file, export: the exported rules of the one role.
fn round_trip(document: &str) -> Result<(String, Vec<Value>), String> {
    let imported = import_graph(document).map_err(|e| e.message)?;
    let loaded = load_text("imported.pimrules", &imported.text);
    if !loaded.diagnostics.is_empty() {
        return Err(format!("{:?}\n{}", loaded.diagnostics, imported.text));
    }
    let program = loaded.programs.first().ok_or("no program")?;
    let settings =
        pimrules::check::check_settings(&loaded, program).map_err(|d| format!("{d:?}"))?;
    let exported = export_graph(&settings);
    let rules = exported["value"][0]["policy"]["rules"]
        .as_array()
        .cloned()
        .ok_or("no rules exported")?;
    Ok((imported.text, rules))
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/policy_roundtrip.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn export_of_import_keeps_every_field((rules, document) in graph_document()) {
        let (text, exported) = round_trip(&document).map_err(TestCaseError::fail)?;
        prop_assert_eq!(exported.len(), 9, "all nine rules are exported");
        for rule in &rules {
            let same = exported.iter().find(|e| e["id"] == rule["id"]);
            prop_assert_eq!(Some(rule), same, "{}", text);
        }
        let formatted = pimrules::fmt::format_source(pimrules::source::FileId(0), &text).map_err(|d| format!("{d:?}"));
        prop_assert_eq!(formatted, Ok(text));
    }
}

/// The round trip notices an exporter that loses a field.
#[test]
fn a_lost_field_is_caught() {
    let rule = json!({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
        "id": "Notification_Approver_EndUser_Assignment",
        "notificationType": "Email",
        "recipientType": "Approver",
        "notificationLevel": "Critical",
        "isDefaultRecipientsEnabled": false,
        "notificationRecipients": ["pim@contoso.com"],
        "target": {"caller": "EndUser", "operations": ["All"], "level": "Assignment", "inheritableSettings": [], "enforcedSettings": []},
    });
    let (_, exported) = round_trip(&json!([rule]).to_string()).expect("round trip");
    let same = exported
        .iter()
        .find(|e| e["id"] == rule["id"])
        .cloned()
        .expect("exported");
    assert_eq!(same, rule);
    let mut lossy = same;
    lossy["notificationRecipients"] = json!([]);
    assert_ne!(lossy, rule);
}
