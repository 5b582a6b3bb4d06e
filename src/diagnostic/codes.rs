//! The one registry of diagnostic codes, errors `E000`… and lint findings `W001`… alike: each
//! with a kebab-case name, a title, the README's one-line summary, a default level and a paragraph.

use super::Severity;

/// A stable code. Codes are never renumbered; a retired code is never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    E000,
    E001,
    E002,
    E003,
    E004,
    E005,
    E006,
    E007,
    E008,
    E009,
    E010,
    E011,
    E012,
    E013,
    E014,
    E015,
    E016,
    E017,
    E018,
    E019,
    E020,
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

/// What the registry says about one code.
#[derive(Debug)]
pub struct About {
    /// `E004`, `W003`
    pub id: &'static str,
    /// `unknown-name`, `conflicting-templates`: a lint code's name is accepted wherever its code is
    pub name: &'static str,
    /// the short name of the problem
    pub title: &'static str,
    /// the code's row in the README's table of codes (Markdown)
    pub summary: &'static str,
    /// the level it is reported at unless `pimrules.toml` says otherwise (lint codes only)
    pub level: Severity,
    /// one paragraph: what causes it and how to fix it (`--explain CODE`)
    pub explanation: &'static str,
}

impl Code {
    pub const ALL: [Code; 33] = [
        Code::E000,
        Code::E001,
        Code::E002,
        Code::E003,
        Code::E004,
        Code::E005,
        Code::E006,
        Code::E007,
        Code::E008,
        Code::E009,
        Code::E010,
        Code::E011,
        Code::E012,
        Code::E013,
        Code::E014,
        Code::E015,
        Code::E016,
        Code::E017,
        Code::E018,
        Code::E019,
        Code::E020,
        Code::W001,
        Code::W002,
        Code::W003,
        Code::W004,
        Code::W005,
        Code::W006,
        Code::W007,
        Code::W008,
        Code::W009,
        Code::W010,
        Code::W011,
        Code::W012,
    ];

    /// Everything the registry says about the code.
    pub fn about(self) -> &'static About {
        &REGISTRY[self as usize]
    }

    pub fn as_str(self) -> &'static str {
        self.about().id
    }

    pub fn name(self) -> &'static str {
        self.about().name
    }

    pub fn title(self) -> &'static str {
        self.about().title
    }

    pub fn explanation(self) -> &'static str {
        self.about().explanation
    }

    pub fn default_level(self) -> Severity {
        self.about().level
    }

    /// Whether `lint` reports it (a `W` code), so that its level can be configured.
    pub fn is_lint(self) -> bool {
        self.as_str().starts_with('W')
    }

    /// A code by its code (`E004`, `w003`, any case) or its name (`conflicting-templates`).
    pub fn parse(text: &str) -> Option<Code> {
        let text = text.trim();
        Code::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(text) || c.name() == text)
    }

    /// A lint code by its code or name; an `E` code is none.
    pub fn parse_lint(text: &str) -> Option<Code> {
        Code::parse(text).filter(|c| c.is_lint())
    }

    /// The lint codes, in order.
    pub fn lints() -> impl Iterator<Item = Code> {
        Code::ALL.into_iter().filter(|c| c.is_lint())
    }

    /// `--explain CODE`: the code, its name and title, its default level, and its paragraph.
    pub fn explain(self) -> String {
        let level = match self.default_level() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{self} ({}): {}\ndefault level: {level}\n\n{}\n",
            self.name(),
            self.title(),
            self.explanation()
        )
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry per code, in the order of [`Code`] (a test keeps them in step).
static REGISTRY: [About; 33] = [
    About {
        id: "E000",
        name: "internal-error",
        title: "internal error",
        summary: "internal error: a bug in pimrules, please report it with the input",
        level: Severity::Error,
        explanation: "pimrules met a state its own code should make impossible: a bug in pimrules, not in \
                 the input. The message says what was unexpected and the label where. Please \
                 report it with the input that shows it; meanwhile, changing the marked text \
                 usually avoids it.",
    },
    About {
        id: "E001",
        name: "syntax-error",
        title: "syntax error",
        summary: "syntax error (reading resumes at the next top-level item)",
        level: Severity::Error,
        explanation: "The text does not follow the grammar of `.pimrules` files. The message says what was \
                 expected at the marked position. After a syntax error pimrules resumes reading at \
                 the next line that starts, unindented, with a top-level keyword (`rule`, `test`, \
                 `event`, …), so one run reports every broken item.",
    },
    About {
        id: "E002",
        name: "not-text",
        title: "not a UTF-8 text file",
        summary: "not a UTF-8 text file (invalid UTF-8, NUL bytes)",
        level: Severity::Error,
        explanation: "A `.pimrules` file must be UTF-8 text. The file contains bytes that are not valid \
                 UTF-8, or a NUL byte, which means it is probably binary or in another encoding. \
                 Save it as UTF-8.",
    },
    About {
        id: "E003",
        name: "nesting-too-deep",
        title: "condition nested too deeply",
        summary: "condition nested more than 64 levels",
        level: Severity::Error,
        explanation: "A condition is nested more deeply (parentheses and `not`) than pimrules accepts. \
                 The limit keeps the compiler's stack bounded; no readable rule needs more. Flatten \
                 the condition with `and`/`or` or `in { … }`.",
    },
    About {
        id: "E004",
        name: "unknown-name",
        title: "unknown name",
        summary: "unknown name, with \"did you mean\"",
        level: Severity::Error,
        explanation: "A name does not refer to anything declared: an event, scope, recipient class, \
                 fact, template, policy row or section. Names must be declared (in this file or in \
                 one it `use`s) before rules and tests can refer to them. The help suggests the \
                 closest declared name.",
    },
    About {
        id: "E005",
        name: "duplicate",
        title: "duplicate",
        summary: "duplicate declaration, field or list entry",
        level: Severity::Error,
        explanation: "Something is declared or listed twice: two declarations with the same name, two \
                 rules or tests with the same name, a header field, an option of a declaration \
                 (`critical`, `row`) or a field of tenant settings given twice, or a name repeated \
                 in one list. Remove or rename one of them; the secondary label shows the first. A \
                 clause of a rule or test given twice is E009.",
    },
    About {
        id: "E006",
        name: "value-outside-domain",
        title: "value outside the fact's domain",
        summary: "value outside the fact's domain",
        level: Severity::Error,
        explanation: "A condition, default or test compares a fact with a value that is not in the \
                 fact's declared domain. Every fact has a finite domain (`fact cloud: public | \
                 government | china`); use one of its values.",
    },
    About {
        id: "E007",
        name: "type-mismatch",
        title: "type mismatch",
        summary: "type mismatch (`bool` vs. enumeration)",
        level: Severity::Error,
        explanation: "A value of the wrong kind: a `bool` fact compared with a name, an enumerated fact \
                 compared with `true`/`false`, or an enumerated fact used on its own as a \
                 condition. Compare enumerated facts with `==`, `!=` or `in { … }`.",
    },
    About {
        id: "E008",
        name: "missing-header-field",
        title: "missing header field",
        summary: "missing header field",
        level: Severity::Error,
        explanation: "A rule set must say what it is and how its emails are sent: `ruleset \"name\"`, \
                 `sender \"Display Name\" <address>`, `subject-prefix \"…\"` and `max-recipients N`. \
                 One of them is missing.",
    },
    About {
        id: "E009",
        name: "missing-or-repeated-clause",
        title: "missing or repeated clause",
        summary: "missing or repeated clause of a rule or test",
        level: Severity::Error,
        explanation: "A rule needs exactly one `on … in …`, one `notify …` and one `template …` clause, \
                 and at most one `when …`; a test needs exactly one `given …` and at least one \
                 `expect …`. A clause is missing or given twice (in a rule and in a test alike: a \
                 repeated clause is always E009, never E005); the secondary label shows the first.",
    },
    About {
        id: "E010",
        name: "invalid-address",
        title: "invalid email address",
        summary: "invalid email address",
        level: Severity::Error,
        explanation: "An email address is not of the form `local@domain` (no spaces, control characters \
                 or angle brackets, and a dot in the domain).",
    },
    About {
        id: "E011",
        name: "fact-without-default",
        title: "fact without a default",
        summary: "fact without a default",
        level: Severity::Error,
        explanation: "Every fact needs a default (`= value`): `eval` uses it when an event does not set \
                 the fact, and the analyses need a complete description of each event.",
    },
    About {
        id: "E012",
        name: "incomplete-sections",
        title: "`section by` that does not place every value",
        summary: "`section by` does not place every value",
        level: Severity::Error,
        explanation: "`section by FACT { value -> section, … }` must map every value of the fact to a \
                 section exactly once, so that every event falls in a well-defined section of the \
                 tenant's notification policy.",
    },
    About {
        id: "E013",
        name: "unusable-file",
        title: "file that cannot be used",
        summary: "`use` of a missing file or one outside the project, or a cycle",
        level: Severity::Error,
        explanation: "A `use \"file\"` could not be followed: the file does not exist, cannot be read, or \
                 using it would form a cycle. Paths are relative to the file that says `use`; the \
                 shipped rule sets can use each other's files by name.",
    },
    About {
        id: "E014",
        name: "limit-exceeded",
        title: "limit exceeded",
        summary: "limit exceeded (see [Limits](#limits))",
        level: Severity::Error,
        explanation: "An input exceeds one of pimrules' documented limits (file size, rules, facts, \
                 values per fact, recipient classes, scopes × events, the number of cases a \
                 condition expands to, rows of the decision table, or a `render` instance's size, \
                 people and text fields; the README's \"Limits\" lists them all). The limits keep \
                 every analysis exact and every run bounded in time and memory.",
    },
    About {
        id: "E015",
        name: "file-of-no-rule-set",
        title: "file that belongs to no rule set",
        summary: "file belongs to no rule set",
        level: Severity::Error,
        explanation: "Several rule sets were given at once and a file without a `ruleset` header is not \
                 used by any of them, so pimrules cannot tell which rule set it belongs to. Add \
                 `use \"file.pimrules\"` to the rule set that needs it.",
    },
    About {
        id: "E016",
        name: "invalid-policy",
        title: "invalid tenant policy file",
        summary: "invalid tenant policy file",
        level: Severity::Error,
        explanation: "A tenant notification policy (`--policy`) could not be read: it is not JSON, or not \
                 a list of Microsoft Graph `unifiedRoleManagementPolicyNotificationRule`s, or a rule \
                 has an unknown id (`Notification_{Admin|Requestor|Approver}_{Admin_Eligibility|\
                 Admin_Assignment|EndUser_Assignment}`), a level other than `None`, `Critical` or \
                 `All`, or an invalid address. Rules of other kinds (expiration, approval, …) are \
                 skipped. `policy import`, `plan` and `audit` refuse what would make them invent \
                 a setting: a document without notification rules (policy assignments fetched \
                 without `$expand=policy($expand=rules)`), rules that carry only their ids \
                 (`$select=id`), one page of several (`@odata.nextLink`), or a duplicate key; the \
                 message names the request that fetches what is missing.",
    },
    About {
        id: "E017",
        name: "message-catalogue",
        title: "missing message or broken message catalogue",
        summary: "template without a message in a locale, or a broken message catalogue (syntax, a reference Fluent would show raw, a cycle, over 100 placeables, nesting past 32)",
        level: Severity::Error,
        explanation: "Every template needs a message, in every locale the rule set's emails can be \
                 rendered in, that words its subject and heading (`role-assigned = …`, optionally \
                 with `.summary`, `.action` and `.link`), and every locale needs the parts of an \
                 email (`email-subject`, `email-footer`, …). Messages come from Fluent catalogues: \
                 the shipped `rules/locales/<locale>/pim.ftl`, overridden by \
                 `locales/<locale>/pim.ftl` next to the rule set's root file and by `<rule \
                 set>.ftl` in either place. Every reference in them must resolve, or the email \
                 would show it raw (`{$name}`): a message writes only the variables the renderer \
                 gives it (links only names, never the instance's text), a term only the \
                 arguments its reference passes; referenced messages, terms and attributes exist \
                 in some catalogue of the locale; no message reaches itself; no formatting \
                 resolves more than 100 placeables; there are no functions; and placeables nest \
                 at most 32 deep (a deeper entry is skipped). Add the message to a catalogue of \
                 the named locale, or fix the catalogue at the marked position.",
    },
    About {
        id: "E018",
        name: "invalid-instance",
        title: "invalid `render` instance",
        summary: "invalid `render` instance",
        level: Severity::Error,
        explanation: "The instance given to `render --input` could not be used: it is not JSON, a field \
                 has the wrong type or an unknown name, an event, scope, fact, value or recipient \
                 class is not in the rule set, an address is not of the form `local@domain`, or \
                 its `policy` is not a valid tenant notification policy. Only `event` and `scope` \
                 are required; see the README for every field.",
    },
    About {
        id: "E019",
        name: "invalid-event-log",
        title: "invalid `simulate` log line or directory",
        summary: "invalid `simulate` log line or directory",
        level: Severity::Error,
        explanation: "A line of the event log given to `simulate --input`, or its `--directory`, \
                 could not be used. Each line is a JSON object: an instance as `render` reads it \
                 with `at` (RFC 3339) and the ids its event needs (`request` for \
                 `approval-pending` and `request-approved`, `application` for \
                 `provisioning-failure`, `end` as an RFC 3339 time after `at` when an \
                 `assignment` is given), or a removal `{\"at\", \"assignment\", \"removed\": \
                 true}`. A line may come at most the reorder window (`--reorder-window`) before \
                 the latest line read before it. The message names the line and the field; \
                 `--keep-going` reports bad lines as warnings and simulates the rest.",
    },
    About {
        id: "E020",
        name: "invalid-tenant-id",
        title: "invalid or missing tenant id",
        summary: "an id or scope of tenant settings invalid, or one an export needs missing",
        level: Severity::Error,
        explanation: "An id or scope of tenant settings is not what the service it belongs to accepts, \
                 or one that writing the settings needs is missing. A group id is the group's \
                 object id (a UUID); an Entra role id is a role definition id (a UUID); an Azure \
                 role id is a scoped role definition id (`…/providers/Microsoft.Authorization/\
                 roleDefinitions/UUID`); an Azure scope is a management group, subscription, \
                 resource group or resource; a Graph policy id is one URL segment and an Azure \
                 policy id a role management policy's resource id. `policy export` and `plan` \
                 need the policy id to address their requests (`PATCH …/{policyId}/rules/{id}`), \
                 and Terraform needs the ids its resources are keyed by.",
    },
    About {
        id: "W001",
        name: "dead-rule",
        title: "rule that can never fire",
        summary: "a rule whose condition never holds, or whose events occur in none of its scopes (no witness)",
        level: Severity::Warning,
        explanation: "A rule that can never send anything: its `when` condition holds for no \
                 combination of fact values (it contradicts itself, e.g. `cloud == public and \
                 cloud == china`), or every event it lists is declared (`occurs in`) to happen \
                 only in scopes the rule does not list. No event can show it, so the finding has \
                 no witness. Fix the condition or the `on … in …` clause, or delete the rule.",
    },
    About {
        id: "W002",
        name: "redundant-rule",
        title: "rule covered by other rules",
        summary: "a rule whose every email other rules also send, with the same templates; the reported rules can be deleted together",
        level: Severity::Warning,
        explanation: "Every event the rule fires for is already covered: for each (scope, event) it \
                 lists and each class it notifies, other rules send that class with the same \
                 template under every combination of facts where this rule's condition holds, so \
                 deleting the rule changes no email. The witness is one event where the rule and \
                 the rules that cover it all fire. When several rules cover each other, only the \
                 later ones are reported: deleting every reported rule together is safe.",
    },
    About {
        id: "W003",
        name: "conflicting-templates",
        title: "one class sent two templates",
        summary: "two rules that fire together and send one class two different templates (only the first is sent); reported once per rule whose template is lost, against the first rule it conflicts with",
        level: Severity::Error,
        explanation: "Two rules fire together for the same event and both notify one recipient class, \
                 but with different templates. A class gets one email per event, so only the \
                 template of the first rule (in file order) is sent and the other rule's template \
                 is silently lost. Each rule whose template is lost is reported once, with the \
                 first rule it conflicts with. The witness is an event where both rules fire. Give \
                 both rules the same template, or make their conditions exclusive.",
    },
    About {
        id: "W004",
        name: "critical-event-unreached",
        title: "critical event that reaches no one",
        summary: "a `critical` event that, in a scope where it occurs, notifies no one for some facts (as regions)",
        level: Severity::Error,
        explanation: "An event marked `critical` is declared to occur in a scope (`occurs in`), but for \
                 some combinations of facts (shown as regions, e.g. `explicit-approvers == true`) \
                 no rule notifies anyone: a critical email that nobody receives. The witness is \
                 one such event. Add a rule for those cases, or, when the documents say so, \
                 allow the finding with a comment giving the reason.",
    },
    About {
        id: "W005",
        name: "unused-declaration",
        title: "declaration never used",
        summary: "a scope, event, class, fact or template of the root file that no rule uses (used files are a library, exempt)",
        level: Severity::Warning,
        explanation: "A scope, event, recipient class, fact or template is declared in the root file \
                 but no rule uses it (a fact also counts as used by a `section by`, a class by \
                 `from policy`, a scope by an `occurs in`). Declarations in files reached through `use` are a \
                 library shared by several rule sets and are not reported. Use the declaration or \
                 remove it.",
    },
    About {
        id: "W006",
        name: "condition-always-true",
        title: "condition that always holds",
        summary: "a `when` condition that holds for every combination of facts (no witness)",
        level: Severity::Warning,
        explanation: "A rule's `when` condition holds for every combination of fact values (e.g. \
                 `cloud != public or cloud == public`), so it restricts nothing and misleads the \
                 reader. Remove the `when` clause, or write the condition that was meant.",
    },
    About {
        id: "W007",
        name: "notification-gap",
        title: "event that notifies no one",
        summary: "an event that, in a scope where it occurs, notifies no one for some facts (as regions)",
        level: Severity::Warning,
        explanation: "An event is declared to occur in a scope (`occurs in`), but for some combinations \
                 of facts, shown as compact regions, no rule notifies anyone. Only pairs an event \
                 declares relevant are checked. The witness is one such event. Add a rule for \
                 the missing cases, or, when that is the documented behaviour, allow the finding \
                 with a comment giving the reason.",
    },
    About {
        id: "W008",
        name: "recipients-on-silenced-row",
        title: "additional recipients on a row that sends nothing",
        summary: "tenant settings: additional recipients on a row at level `none` (they never receive anything)",
        level: Severity::Warning,
        explanation: "A role's settings give additional recipients to a row whose level is `none`. A \
                 row at level `none` sends nothing, not even to its additional recipients, so \
                 the addresses are never used. Raise the level, or remove the addresses.",
    },
    About {
        id: "W009",
        name: "approver-recipients-without-approval",
        title: "approver recipients on a role that needs no approval",
        summary: "tenant settings: approver-row recipients on a role with `approval optional`",
        level: Severity::Warning,
        explanation: "A role's settings say `approval optional`, yet give the approver row additional \
                 recipients. A role that needs no approval never sends approval emails, so \
                 those addresses receive nothing. Require approval, or remove the addresses.",
    },
    About {
        id: "W010",
        name: "duplicate-recipient",
        title: "address listed twice",
        summary: "tenant settings: an address listed twice in one row (case-insensitive)",
        level: Severity::Warning,
        explanation: "An address appears twice in one row's additional recipients (addresses compare \
                 without regard to case). Each address receives one email per event anyway; \
                 the repetition hides what the list really says. Remove the duplicate.",
    },
    About {
        id: "W011",
        name: "invisible-character",
        title: "bidi control or invisible character",
        summary: "a bidirectional control or an invisible character in the source (Trojan Source): the text may read differently from what pimrules compiles",
        level: Severity::Error,
        explanation: "The source holds a bidirectional formatting character (U+202A–U+202E, \
                 U+2066–U+2069, U+200E, U+200F, U+061C) or an invisible one (U+200B–U+200D, \
                 U+2060, U+FEFF, U+00AD). Such characters make a file read differently from what \
                 pimrules compiles (\"Trojan Source\"): a reordered condition, a name that looks \
                 like another, a comment that seems to end a line. pimrules shows them escaped in \
                 its output; a reviewer's editor may not. Remove them, or write the text without \
                 them. It is an error by default, as rustc denies the same characters.",
    },
    About {
        id: "W012",
        name: "not-analysed",
        title: "question left unanswered",
        summary: "a question the analysis left unanswered (a cell of more than 20 000 rows, or the work budget spent): no finding there does not mean clean; `--fail-level warning` makes it fail a gate",
        level: Severity::Warning,
        explanation: "The analysis left some questions unanswered rather than answer them wrongly: an \
                 event's cell in a scope has more rows than lint compares (20 000), or the run's \
                 work budget ran out (the README's Limits give both). No finding about those \
                 questions does not mean there is nothing to find. Split the rule set, or \
                 simplify the conditions that make the cell large; `--fail-level warning` makes \
                 a CI gate fail when this is reported.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_is_in_the_order_of_the_codes() {
        for (index, code) in Code::ALL.into_iter().enumerate() {
            assert_eq!(code as usize, index);
            assert_eq!(code.as_str(), format!("{code:?}"));
        }
    }

    #[test]
    fn codes_and_names_parse_back() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
            assert_eq!(Code::parse(&code.as_str().to_lowercase()), Some(code));
            assert_eq!(Code::parse(code.name()), Some(code));
            assert_eq!(Code::parse_lint(code.name()).is_some(), code.is_lint());
        }
        assert_eq!(Code::parse("W000"), None);
        assert_eq!(Code::parse_lint("E001"), None);
    }

    #[test]
    fn only_lint_codes_default_to_a_warning() {
        for code in Code::ALL.into_iter().filter(|c| !c.is_lint()) {
            assert_eq!(code.default_level(), Severity::Error, "{code}");
        }
    }
}
