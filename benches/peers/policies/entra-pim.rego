# rules/entra-pim.pimrules as a Rego module, one rule per pimrules rule, in the rules' order.
# input: {"scope": "<scope>", "event": "<event>", "facts": {every fact by its pimrules name}}.
# data.pim.sends is the set of [rule, class] pairs that fire; the harness attributes each class
# to the first rule in rule order, as pimrules does.
package pim

import rego.v1

entra_admins := ["privileged-role-administrator", "security-administrator", "global-administrator"]

owners := ["permanent-owner", "eligible-owner", "user-access-administrator"]

every_scope := {"entra-role", "azure-resource", "group"}

facts := input.facts

sends contains ["approver-approval-pending", "approver"] if {
	input.event == "approval-pending"
	every_scope[input.scope]
	facts["approved-before-first-email"] == false
}

sends contains ["approver-request-approved", "approver"] if {
	input.event == "request-approved"
	every_scope[input.scope]
}

sends contains ["approver-request-denied", "approver"] if {
	input.event == "request-denied"
	every_scope[input.scope]
}

sends contains ["entra-approval-pending", "privileged-role-administrator"] if {
	input.event == "approval-pending"
	input.scope == "entra-role"
	facts["explicit-approvers"] == false
}

sends contains ["entra-activation-completed", class] if {
	input.event == "activation-completed"
	input.scope == "entra-role"
	facts["notifications-setting"] == "enable"
	class := entra_admins[_]
}

sends contains ["entra-pim-enabled", class] if {
	input.event == "pim-enabled"
	input.scope == "entra-role"
	class := entra_admins[_]
}

sends contains ["entra-role-activated", class] if {
	input.event == "role-activated"
	input.scope == "entra-role"
	class := ["global-administrator", "privileged-role-administrator"][_]
}

sends contains ["entra-role-changes", class] if {
	{"role-extended", "role-renewed"}[input.event]
	input.scope == "entra-role"
	class := ["privileged-role-administrator", "global-administrator"][_]
}

sends contains ["entra-request-denied", class] if {
	input.event == "request-denied"
	input.scope == "entra-role"
	class := ["privileged-role-administrator", "global-administrator"][_]
}

sends contains ["entra-weekly-digest", class] if {
	input.event == "weekly-digest"
	input.scope == "entra-role"
	facts.cloud == "public"
	class := entra_admins[_]
}

sends contains ["entra-alert-outside-pim", class] if {
	input.event == "alert"
	input.scope == "entra-role"
	facts["alert-type"] == "roles-assigned-outside-pim"
	facts["alert-enabled"] == true
	class := entra_admins[_]
}

security_alerts := {
	"admins-not-using-roles",
	"no-mfa-on-activation",
	"no-p2-license",
	"stale-accounts",
	"too-many-global-admins",
	"roles-activated-too-frequently",
}

sends contains ["entra-security-alerts", class] if {
	input.event == "alert"
	input.scope == "entra-role"
	facts["alert-enabled"] == true
	security_alerts[facts["alert-type"]]
	class := ["privileged-role-administrator", "global-administrator"][_]
}

sends contains ["entra-assignee-changes", "assignee"] if {
	{"role-assigned", "activation-completed", "role-extended", "role-renewed"}[input.event]
	input.scope == "entra-role"
}

sends contains ["entra-assignee-expiring", "assignee"] if {
	input.event == "role-expiring"
	input.scope == "entra-role"
}

sends contains ["entra-assignee-expired", "assignee"] if {
	input.event == "role-expired"
	input.scope == "entra-role"
}

owner_events := {
	"approval-pending", "role-assigned", "role-expiring",
	"extension-eligible", "role-renewed", "activation-completed",
}

assignee_events := {"role-assigned", "role-expired", "role-extended", "activation-completed"}

sends contains ["azure-resource-admins", class] if {
	owner_events[input.event]
	input.scope == "azure-resource"
	class := owners[_]
}

sends contains ["azure-resource-assignee", "assignee"] if {
	assignee_events[input.event]
	input.scope == "azure-resource"
}

sends contains ["azure-resource-alert-outside-pim", class] if {
	input.event == "alert"
	input.scope == "azure-resource"
	facts["alert-type"] == "roles-assigned-outside-pim"
	facts["alert-enabled"] == true
	class := owners[_]
}

sends contains ["group-permanent-owners", "permanent-owner"] if {
	owner_events[input.event]
	input.scope == "group"
}

sends contains ["group-assignee", "assignee"] if {
	assignee_events[input.event]
	input.scope == "group"
}

sends contains ["access-review-started", class] if {
	input.event == "access-review-started"
	every_scope[input.scope]
	class := ["reviewer", "assignee"][_]
}

sends contains ["access-review-completed", "reviewer"] if {
	input.event == "access-review-completed"
	every_scope[input.scope]
}
