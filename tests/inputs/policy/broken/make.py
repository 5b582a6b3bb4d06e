"""The broken documents of the policy corpus: each is one of Microsoft's published examples
(../real/) with one defect, written by this script (python3 make.py, from this folder) so that
each case says exactly what was changed. README.md lists them."""
import copy
import json

real = lambda name: json.load(open(f"../real/{name}"))
assignments = real("graph-v1-list-policyassignments-expand-directoryrole.json")
rules_response = real("graph-v1-list-rules-directoryrole.json")
arm_policy = real("arm-2020-10-01-GetRoleManagementPolicyByName.response.json")


def notification(doc, rule_id):
    """The rule with this id in a rules response or in the first assignment's policy."""
    rules = doc["value"] if "value" in doc and "policy" not in doc["value"][0] else doc["value"][0]["policy"]["rules"]
    return next(r for r in rules if r["id"] == rule_id)


def write(name, doc):
    json.dump(doc, open(name, "w"), indent=2)
    open(name, "a").write("\n")


def case(name, base, change):
    doc = copy.deepcopy(base)
    change(doc)
    write(name, doc)


case("next-link.json", assignments, lambda d: d.update({
    "@odata.nextLink": "https://graph.microsoft.com/v1.0/policies/roleManagementPolicyAssignments?$skiptoken=abc"}))
case("level-wrong-type.json", rules_response,
     lambda d: notification(d, "Notification_Admin_EndUser_Assignment").update({"notificationLevel": 2}))
case("level-wrong-case.json", rules_response,
     lambda d: notification(d, "Notification_Admin_EndUser_Assignment").update({"notificationLevel": "all"}))
case("recipients-not-a-list.json", rules_response,
     lambda d: notification(d, "Notification_Approver_EndUser_Assignment").update({"notificationRecipients": "pim@contoso.com"}))
case("recipient-bad-address.json", rules_response,
     lambda d: notification(d, "Notification_Approver_EndUser_Assignment").update({"notificationRecipients": ["ops team@contoso"]}))
case("recipient-control-character.json", rules_response,
     lambda d: notification(d, "Notification_Approver_EndUser_Assignment").update({"notificationRecipients": ["ops@contoso.com\r\nBcc: x@evil.test"]}))
case("missing-defaults.json", rules_response,
     lambda d: notification(d, "Notification_Admin_Admin_Eligibility").pop("isDefaultRecipientsEnabled"))
case("unknown-rule-id.json", rules_response,
     lambda d: notification(d, "Notification_Admin_EndUser_Assignment").update({"id": "Notification_Admin_EndUser_Assignmnet"}))
case("rule-twice.json", rules_response,
     lambda d: d["value"].append(copy.deepcopy(notification(d, "Notification_Admin_Admin_Eligibility"))))
case("recipient-type-mismatch.json", rules_response,
     lambda d: notification(d, "Notification_Requestor_Admin_Eligibility").update({"recipientType": "Approver"}))
case("target-caller-mismatch.json", rules_response,
     lambda d: notification(d, "Notification_Admin_EndUser_Assignment")["target"].update({"caller": "Admin"}))
case("role-id-control-character.json", assignments,
     lambda d: d["value"][0].update({"roleDefinitionId": "62e90394\u001b[31m-69f5"}))
case("group-role-unknown.json", real("graph-v1-list-policyassignments-expand-group-owner.json"),
     lambda d: d["value"][0].update({"roleDefinitionId": "admin"}))
case("scope-type-unknown.json", assignments, lambda d: d["value"][0].update({"scopeType": "Tenant"}))
case("rules-not-a-list.json", assignments, lambda d: d["value"][0]["policy"].update({"rules": {}}))
case("bare-rules.json", rules_response, lambda d: d.pop("@odata.context"))
case("arm-scope-invalid.json", arm_policy,
     lambda d: d["properties"].update({"scope": "/subscriptions/../providers/x"}))
case("empty-list.json", assignments, lambda d: d.update({"value": []}))

# Text edits json.dump cannot make: a key written twice, a truncated document, deep nesting.
text = json.dumps(rules_response, indent=2)
open("duplicate-key.json", "w").write(text.replace(
    '"notificationLevel": "All",', '"notificationLevel": "None",\n      "notificationLevel": "All",', 1))
open("truncated.json", "w").write(text[: len(text) // 2])
open("deep-nesting.json", "w").write('{"value": ' + ("[" * 100 + "\n") * 1000 + ("]" * 100 + "\n") * 1000 + "}\n")
