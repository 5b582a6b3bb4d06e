//! A deterministic generator of `.pimrules` rule sets of N rules (20 scopes, 40 events, 30
//! classes, 12 facts, 60 templates), shared by the `core` and `scaling` benchmarks.

use std::fmt::Write as _;

/// SplitMix64: small, fast and the same on every machine, so every run checks the same text.
pub struct Rng(pub u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// `k` distinct indices of `0..n`, in random order.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        for i in 0..k.min(n) {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k.min(n));
        all
    }

    /// 1 most often, up to `max`.
    fn small_count(&mut self, max: usize) -> usize {
        match self.below(10) {
            0..=5 => 1,
            6..=8 => 2.min(max),
            _ => max,
        }
    }
}

const SCOPES: [&str; 20] = [
    "entra-role",
    "azure-resource",
    "group",
    "subscription",
    "management-group",
    "resource-group",
    "key-vault",
    "storage-account",
    "sql-server",
    "app-registration",
    "service-principal",
    "administrative-unit",
    "tenant",
    "billing-account",
    "devops-project",
    "teams-channel",
    "sharepoint-site",
    "exchange-mailbox",
    "intune-device",
    "purview-catalog",
];

const EVENTS: [&str; 40] = [
    "approval-pending",
    "request-approved",
    "request-denied",
    "activation-completed",
    "role-activated",
    "role-deactivated",
    "role-assigned",
    "role-unassigned",
    "role-expiring",
    "role-expired",
    "extension-eligible",
    "extension-requested",
    "role-extended",
    "role-renewed",
    "pim-enabled",
    "pim-disabled",
    "weekly-digest",
    "monthly-digest",
    "alert",
    "alert-resolved",
    "access-review-started",
    "access-review-completed",
    "access-review-overdue",
    "policy-changed",
    "approver-added",
    "approver-removed",
    "break-glass-used",
    "mfa-challenge-failed",
    "justification-missing",
    "ticket-linked",
    "owner-added",
    "owner-removed",
    "member-added",
    "member-removed",
    "license-missing",
    "sign-in-risk",
    "consent-granted",
    "secret-expiring",
    "certificate-expiring",
    "audit-exported",
];

const CLASSES: [&str; 30] = [
    "privileged-role-administrator",
    "security-administrator",
    "global-administrator",
    "permanent-owner",
    "eligible-owner",
    "user-access-administrator",
    "assignee",
    "approver",
    "reviewer",
    "additional",
    "security-operations",
    "compliance-officer",
    "helpdesk",
    "billing-administrator",
    "application-owner",
    "group-owner",
    "group-member",
    "resource-owner",
    "key-vault-administrator",
    "database-administrator",
    "network-administrator",
    "intune-administrator",
    "teams-administrator",
    "sharepoint-administrator",
    "exchange-administrator",
    "auditor",
    "manager",
    "on-call-engineer",
    "incident-commander",
    "service-desk",
];

/// (name, values, default index); `None` values: a `bool` fact.
const FACTS: [(&str, Option<&[&str]>, usize); 12] = [
    ("notifications-setting", Some(&["enable", "disable"]), 0),
    ("explicit-approvers", None, 0),
    ("cloud", Some(&["public", "government", "china"]), 0),
    ("approved-before-first-email", None, 0),
    ("alert-enabled", None, 1),
    ("assignment", Some(&["eligible", "active"]), 0),
    ("duration", Some(&["permanent", "time-bound"]), 0),
    ("severity", Some(&["low", "medium", "high", "critical"]), 1),
    (
        "risk-level",
        Some(&["none", "low", "medium", "high", "very-high"]),
        0,
    ),
    (
        "requester-type",
        Some(&[
            "user",
            "guest",
            "service-principal",
            "managed-identity",
            "workload",
            "external",
        ]),
        0,
    ),
    ("mfa-satisfied", None, 1),
    ("group-role", Some(&["member", "owner"]), 0),
];

/// Templates beyond the 40 named after the events (used by `template` clauses).
const EXTRA_TEMPLATES: [&str; 20] = [
    "digest-compact",
    "digest-detailed",
    "escalation",
    "escalation-urgent",
    "reminder",
    "reminder-final",
    "summary-admin",
    "summary-owner",
    "notice-plain",
    "notice-branded",
    "security-advisory",
    "compliance-notice",
    "change-record",
    "ticket-update",
    "approval-request",
    "approval-outcome",
    "review-request",
    "review-outcome",
    "expiry-warning",
    "audit-record",
];

fn fact_values(fact: usize) -> Vec<&'static str> {
    match FACTS[fact].1 {
        Some(values) => values.to_vec(),
        None => vec!["false", "true"],
    }
}

/// A `.pimrules` rule set with the vocabulary above and `rules` rules, the same for a given
/// count on every run.
pub fn generate(rules: usize) -> String {
    let mut rng = Rng::new(0x5EED_0000 ^ rules as u64);
    let mut out = String::with_capacity(rules * 200 + 16 * 1024);
    let w = &mut out;
    let _ = writeln!(
        w,
        "// Generated by benches/core.rs: {rules} rules over 20 scopes, 40 events,"
    );
    let _ = writeln!(w, "// 30 recipient classes, 12 facts and 60 templates.\n");
    let _ = writeln!(w, "ruleset \"bench-{rules}\" version \"2025-01-07\"");
    let _ = writeln!(
        w,
        "sender \"Benchmark Notifications\" <bench-noreply@example.com>"
    );
    let _ = writeln!(w, "subject-prefix \"PIM: \"");
    let _ = writeln!(w, "max-recipients 1000\n");
    for (i, scope) in SCOPES.iter().enumerate() {
        let _ = writeln!(w, "scope {scope} \"Scope {i}: {scope}\"");
    }
    w.push('\n');
    for (i, class) in CLASSES.iter().enumerate() {
        let options = match i {
            0..=2 => " row admin while activated",
            3..=5 | 10..=14 => " row admin",
            6 | 16 => " row requestor",
            7 => " row approver",
            9 => " from policy",
            _ => "",
        };
        let _ = writeln!(w, "recipient {class} \"Recipient class {i}\"{options}");
    }
    w.push('\n');
    for (i, event) in EVENTS.iter().enumerate() {
        let mut options = String::new();
        if i % 7 == 0 {
            options.push_str(" critical");
        }
        match i % 5 {
            0 => options.push_str(" section activation"),
            1 => options.push_str(
                "\n  section by assignment { eligible -> eligible-assignment, active -> active-assignment }",
            ),
            _ => {}
        }
        let _ = writeln!(w, "event {event} \"Event {i}: {event}\"{options}");
    }
    w.push('\n');
    for (name, values, default) in FACTS {
        match values {
            Some(values) => {
                let _ = writeln!(
                    w,
                    "fact {name}: {} = {}",
                    values.join(" | "),
                    values[default]
                );
            }
            None => {
                let _ = writeln!(w, "fact {name}: bool = {}", default == 1);
            }
        }
    }
    w.push('\n');
    for event in EVENTS {
        let _ = writeln!(w, "template {event} \"The email for {event}\"");
    }
    for template in EXTRA_TEMPLATES {
        let _ = writeln!(w, "template {template}");
    }
    w.push('\n');
    for index in 0..rules {
        rule(w, &mut rng, index);
    }
    out
}

fn rule(w: &mut String, rng: &mut Rng, index: usize) {
    let (event_count, scope_count, class_count) =
        (rng.small_count(3), rng.small_count(3), 1 + rng.below(4));
    let events = rng.distinct(EVENTS.len(), event_count);
    let scopes = rng.distinct(SCOPES.len(), scope_count);
    let classes = rng.distinct(CLASSES.len(), class_count);
    let names = |ids: &[usize], table: &[&str]| {
        ids.iter().map(|&i| table[i]).collect::<Vec<_>>().join(", ")
    };
    let _ = writeln!(
        w,
        "// rule {index}: {} in {}",
        EVENTS[events[0]], SCOPES[scopes[0]]
    );
    let _ = writeln!(
        w,
        "rule {}-{}-{index} {{",
        SCOPES[scopes[0]], EVENTS[events[0]]
    );
    let _ = writeln!(
        w,
        "  on {} in {}",
        names(&events, &EVENTS),
        names(&scopes, &SCOPES)
    );
    let _ = writeln!(w, "  notify {}", names(&classes, &CLASSES));
    if rng.chance(80) {
        let mut facts: Vec<usize> = (0..FACTS.len()).collect();
        let _ = writeln!(w, "  when {}", condition(rng, 2, &mut facts));
    }
    if rng.chance(15) {
        let template = rng.below(EVENTS.len() + EXTRA_TEMPLATES.len());
        let name = EVENTS
            .get(template)
            .copied()
            .unwrap_or_else(|| EXTRA_TEMPLATES[template - EVENTS.len()]);
        let _ = writeln!(w, "  template {name}");
    }
    let _ = writeln!(w, "}}\n");
}

/// A condition of at most `depth` levels of `and`/`or` above its atoms, each atom testing a
/// different fact of `unused` (at most 9 atoms: there are 12 facts).
fn condition(rng: &mut Rng, depth: usize, unused: &mut Vec<usize>) -> String {
    if depth == 0 || rng.chance(45) {
        let fact = unused.swap_remove(rng.below(unused.len()));
        return atom(rng, fact);
    }
    let and = rng.chance(60);
    let parts: Vec<String> = (0..2 + rng.below(2))
        .map(|_| {
            let part = condition(rng, depth - 1, unused);
            // a compound operand is parenthesised (needed for `or` under `and`, clearer anyway)
            if part.contains(" and ") || part.contains(" or ") {
                format!("({part})")
            } else {
                part
            }
        })
        .collect();
    let joined = parts.join(if and { " and " } else { " or " });
    if rng.chance(10) {
        format!("not ({joined})")
    } else {
        joined
    }
}

fn atom(rng: &mut Rng, fact: usize) -> String {
    let name = FACTS[fact].0;
    let values = fact_values(fact);
    if FACTS[fact].1.is_none() {
        return match rng.below(4) {
            0 | 1 => name.to_owned(),
            2 => format!("not {name}"),
            _ => format!("{name} == {}", values[rng.below(2)]),
        };
    }
    let value = values[rng.below(values.len())];
    match rng.below(5) {
        0 | 1 => format!("{name} == {value}"),
        2 => format!("{name} != {value}"),
        3 | 4 if values.len() > 2 => {
            let size = 2 + rng.below(values.len() - 2);
            let chosen = rng.distinct(values.len(), size);
            let set = chosen
                .iter()
                .map(|&i| values[i])
                .collect::<Vec<_>>()
                .join(", ");
            if rng.chance(25) {
                format!("{name} not in {{{set}}}")
            } else {
                format!("{name} in {{{set}}}")
            }
        }
        _ => format!("not {name} == {value}"),
    }
}
