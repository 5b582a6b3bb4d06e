//! The stable lint codes `W001`…: each with a kebab-case name, a one-line title, a paragraph of
//! documentation (`pimrules lint --explain W003`) and the level it has unless configured.

use crate::diagnostic::Severity;

/// A stable lint code. Codes are never renumbered; a retired code is never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LintCode {
    W001,
    W002,
    W003,
    W004,
    W005,
    W006,
    W007,
    W008,
    W009,
    W010,
    W011,
    W012,
}

impl LintCode {
    pub const ALL: [LintCode; 12] = [
        LintCode::W001,
        LintCode::W002,
        LintCode::W003,
        LintCode::W004,
        LintCode::W005,
        LintCode::W006,
        LintCode::W007,
        LintCode::W008,
        LintCode::W009,
        LintCode::W010,
        LintCode::W011,
        LintCode::W012,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LintCode::W001 => "W001",
            LintCode::W002 => "W002",
            LintCode::W003 => "W003",
            LintCode::W004 => "W004",
            LintCode::W005 => "W005",
            LintCode::W006 => "W006",
            LintCode::W007 => "W007",
            LintCode::W008 => "W008",
            LintCode::W009 => "W009",
            LintCode::W010 => "W010",
            LintCode::W011 => "W011",
            LintCode::W012 => "W012",
        }
    }

    /// The kebab-case name, accepted wherever a code is (`pimrules.toml`, `allow(…)`).
    pub fn name(self) -> &'static str {
        match self {
            LintCode::W001 => "dead-rule",
            LintCode::W002 => "redundant-rule",
            LintCode::W003 => "conflicting-templates",
            LintCode::W004 => "critical-event-unreached",
            LintCode::W005 => "unused-declaration",
            LintCode::W006 => "condition-always-true",
            LintCode::W007 => "notification-gap",
            LintCode::W008 => "recipients-on-silenced-row",
            LintCode::W009 => "approver-recipients-without-approval",
            LintCode::W010 => "duplicate-recipient",
            LintCode::W011 => "invisible-character",
            LintCode::W012 => "not-analysed",
        }
    }

    /// A code by its code (`W003`, any case) or its name (`conflicting-templates`).
    pub fn parse(text: &str) -> Option<LintCode> {
        let text = text.trim();
        LintCode::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(text) || c.name() == text)
    }

    /// The short name of the problem.
    pub fn title(self) -> &'static str {
        match self {
            LintCode::W001 => "rule that can never fire",
            LintCode::W002 => "rule covered by other rules",
            LintCode::W003 => "one class sent two templates",
            LintCode::W004 => "critical event that reaches no one",
            LintCode::W005 => "declaration never used",
            LintCode::W006 => "condition that always holds",
            LintCode::W007 => "event that notifies no one",
            LintCode::W008 => "additional recipients on a row that sends nothing",
            LintCode::W009 => "approver recipients on a role that needs no approval",
            LintCode::W010 => "address listed twice",
            LintCode::W011 => "bidi control or invisible character",
            LintCode::W012 => "question left unanswered",
        }
    }

    /// The level a finding has unless `pimrules.toml` says otherwise.
    pub fn default_level(self) -> Severity {
        match self {
            LintCode::W003 | LintCode::W004 | LintCode::W011 => Severity::Error,
            _ => Severity::Warning,
        }
    }

    /// One paragraph that explains the code, what causes it and how to fix it.
    pub fn explanation(self) -> &'static str {
        match self {
            LintCode::W001 => {
                "A rule that can never send anything: its `when` condition holds for no \
                 combination of fact values (it contradicts itself, e.g. `cloud == public and \
                 cloud == china`), or every event it lists is declared (`occurs in`) to happen \
                 only in scopes the rule does not list. No event can show it, so the finding has \
                 no witness. Fix the condition or the `on … in …` clause, or delete the rule."
            }
            LintCode::W002 => {
                "Every event the rule fires for is already covered: for each (scope, event) it \
                 lists and each class it notifies, other rules send that class with the same \
                 template under every combination of facts where this rule's condition holds, so \
                 deleting the rule changes no email. The witness is one event where the rule and \
                 the rules that cover it all fire. When several rules cover each other, only the \
                 later ones are reported: deleting every reported rule together is safe."
            }
            LintCode::W003 => {
                "Two rules fire together for the same event and both notify one recipient class, \
                 but with different templates. A class gets one email per event, so only the \
                 template of the first rule (in file order) is sent and the other rule's template \
                 is silently lost. Each rule whose template is lost is reported once, with the \
                 first rule it conflicts with. The witness is an event where both rules fire. Give \
                 both rules the same template, or make their conditions exclusive."
            }
            LintCode::W004 => {
                "An event marked `critical` is declared to occur in a scope (`occurs in`), but for \
                 some combinations of facts (shown as regions, e.g. `explicit-approvers == true`) \
                 no rule notifies anyone: a critical email that nobody receives. The witness is \
                 one such event. Add a rule for those cases, or, when the documents say so, \
                 allow the finding with a comment giving the reason."
            }
            LintCode::W005 => {
                "A scope, event, recipient class, fact or template is declared in the root file \
                 but no rule uses it (a fact also counts as used by a `section by`, a class by \
                 `from policy`, a scope by an `occurs in`). Declarations in files reached through `use` are a \
                 library shared by several rule sets and are not reported. Use the declaration or \
                 remove it."
            }
            LintCode::W006 => {
                "A rule's `when` condition holds for every combination of fact values (e.g. \
                 `cloud != public or cloud == public`), so it restricts nothing and misleads the \
                 reader. Remove the `when` clause, or write the condition that was meant."
            }
            LintCode::W007 => {
                "An event is declared to occur in a scope (`occurs in`), but for some combinations \
                 of facts, shown as compact regions, no rule notifies anyone. Only pairs an event \
                 declares relevant are checked. The witness is one such event. Add a rule for \
                 the missing cases, or, when that is the documented behaviour, allow the finding \
                 with a comment giving the reason."
            }
            LintCode::W008 => {
                "A role's settings give additional recipients to a row whose level is `none`. A \
                 row at level `none` sends nothing, not even to its additional recipients, so \
                 the addresses are never used. Raise the level, or remove the addresses."
            }
            LintCode::W009 => {
                "A role's settings say `approval optional`, yet give the approver row additional \
                 recipients. A role that needs no approval never sends approval emails, so \
                 those addresses receive nothing. Require approval, or remove the addresses."
            }
            LintCode::W010 => {
                "An address appears twice in one row's additional recipients (addresses compare \
                 without regard to case). Each address receives one email per event anyway; \
                 the repetition hides what the list really says. Remove the duplicate."
            }
            LintCode::W011 => {
                "The source holds a bidirectional formatting character (U+202A–U+202E, \
                 U+2066–U+2069, U+200E, U+200F, U+061C) or an invisible one (U+200B–U+200D, \
                 U+2060, U+FEFF, U+00AD). Such characters make a file read differently from what \
                 pimrules compiles (\"Trojan Source\"): a reordered condition, a name that looks \
                 like another, a comment that seems to end a line. pimrules shows them escaped in \
                 its output; a reviewer's editor may not. Remove them, or write the text without \
                 them. It is an error by default, as rustc denies the same characters."
            }
            LintCode::W012 => {
                "The analysis left some questions unanswered rather than answer them wrongly: an \
                 event's cell in a scope has more rows than lint compares (20 000), or the run's \
                 work budget ran out (the README's Limits give both). No finding about those \
                 questions does not mean there is nothing to find. Split the rule set, or \
                 simplify the conditions that make the cell large; `--fail-level warning` makes \
                 a CI gate fail when this is reported."
            }
        }
    }
}

impl std::fmt::Display for LintCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
