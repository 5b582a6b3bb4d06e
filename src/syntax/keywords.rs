//! The keywords of `.pimrules`, each with its grammar rule and its role: the one list that error
//! messages, the converter and tools (a completion list) read. A test holds it to the grammar.

use super::Rule;
use Role::*;

/// What a keyword does in the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// starts a top-level item (`rule`, `test`, …); after a syntax error, reading resumes at
    /// the next line that starts with one
    TopLevel,
    /// marks the structure of an item (`notify`, `when`, `for`, …): the AST keeps nothing of
    /// the word itself
    Marker,
    /// one of a few words of which the AST records the one written (`member` or `owner`,
    /// `required` or `optional`)
    Choice,
    /// an operator or value of conditions (`and`, `not`, `true`, …), never a name
    Reserved,
}

/// A keyword: the word, its role and the grammar rule that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyword {
    pub word: &'static str,
    pub role: Role,
    pub(crate) rule: Rule,
}

const fn keyword(word: &'static str, rule: Rule, role: Role) -> Keyword {
    Keyword { word, role, rule }
}

/// Every keyword, in the grammar's order.
pub const KEYWORDS: &[Keyword] = &[
    keyword("ruleset", Rule::kw_ruleset, TopLevel),
    keyword("version", Rule::kw_version, Marker),
    keyword("sender", Rule::kw_sender, TopLevel),
    keyword("subject-prefix", Rule::kw_subject_prefix, TopLevel),
    keyword("max-recipients", Rule::kw_max_recipients, TopLevel),
    keyword("use", Rule::kw_use, TopLevel),
    keyword("scope", Rule::kw_scope, TopLevel),
    keyword("recipient", Rule::kw_recipient, TopLevel),
    keyword("role", Rule::kw_role, Marker),
    keyword("row", Rule::kw_row, Marker),
    keyword("while", Rule::kw_while, Marker),
    keyword("activated", Rule::kw_activated, Marker),
    keyword("from", Rule::kw_from, Marker),
    keyword("policy", Rule::kw_policy, Marker),
    keyword("occurs", Rule::kw_occurs, Marker),
    keyword("event", Rule::kw_event, TopLevel),
    keyword("critical", Rule::kw_critical, Marker),
    keyword("section", Rule::kw_section, Marker),
    keyword("by", Rule::kw_by, Marker),
    keyword("fact", Rule::kw_fact, TopLevel),
    keyword("bool", Rule::kw_bool, Marker),
    keyword("template", Rule::kw_template, TopLevel),
    keyword("rule", Rule::kw_rule, TopLevel),
    keyword("on", Rule::kw_on, Marker),
    keyword("notify", Rule::kw_notify, Marker),
    keyword("when", Rule::kw_when, Marker),
    keyword("test", Rule::kw_test, TopLevel),
    keyword("given", Rule::kw_given, Marker),
    keyword("with", Rule::kw_with, Marker),
    keyword("expect", Rule::kw_expect, Marker),
    keyword("exactly", Rule::kw_exactly, Marker),
    keyword("unlimited", Rule::kw_unlimited, Marker),
    keyword("settings", Rule::kw_settings, TopLevel),
    keyword("for", Rule::kw_for, Marker),
    keyword("entra-role", Rule::kw_entra_role, Marker),
    keyword("group", Rule::kw_group, Marker),
    keyword("member", Rule::kw_member, Choice),
    keyword("owner", Rule::kw_owner, Choice),
    keyword("azure-role", Rule::kw_azure_role, Marker),
    keyword("at", Rule::kw_at, Marker),
    keyword("role-id", Rule::kw_role_id, Choice),
    keyword("group-id", Rule::kw_group_id, Choice),
    keyword("policy-id", Rule::kw_policy_id, Choice),
    keyword("rule-shape", Rule::kw_rule_shape, Marker),
    keyword("shape", Rule::kw_shape, Marker),
    keyword("approval", Rule::kw_approval, Marker),
    keyword("required", Rule::kw_required, Choice),
    keyword("optional", Rule::kw_optional, Choice),
    keyword("level", Rule::kw_level, Marker),
    keyword("default-recipients", Rule::kw_default_recipients, Marker),
    keyword("off", Rule::kw_off, Choice),
    keyword("additional", Rule::kw_additional, Marker),
    keyword("nobody", Rule::kw_nobody, Marker),
    keyword("and", Rule::kw_and, Reserved),
    keyword("or", Rule::kw_or, Reserved),
    keyword("not", Rule::kw_not, Reserved),
    keyword("in", Rule::kw_in, Reserved),
    keyword("true", Rule::kw_true, Reserved),
    keyword("false", Rule::kw_false, Reserved),
];

/// The keyword a grammar rule reads, if it reads one.
pub(crate) fn of_rule(rule: Rule) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|keyword| keyword.rule == rule)
}

/// Whether `word` is reserved: an operator or value of conditions, which no name may be.
pub fn is_reserved(word: &str) -> bool {
    KEYWORDS
        .iter()
        .any(|keyword| keyword.role == Reserved && keyword.word == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRAMMAR: &str = include_str!("../../grammar/pimrules.pest");

    /// The definition of the grammar rule `name`: after its `=`, on to the next unindented rule.
    fn rule_body(name: &str) -> String {
        let mut lines = GRAMMAR
            .lines()
            .skip_while(|line| line.split_whitespace().next() != Some(name));
        let first = lines
            .next()
            .and_then(|line| line.split_once('='))
            .map(|(_, body)| body)
            .unwrap_or_else(|| panic!("the grammar has no rule `{name}`"));
        let continued =
            lines.take_while(|line| !line.starts_with(|c: char| c.is_ascii_alphabetic()));
        std::iter::once(first)
            .chain(continued)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The words in double quotes in `text`.
    fn quoted(text: &str) -> Vec<&str> {
        text.split('"').skip(1).step_by(2).collect()
    }

    /// The names `kw_…` that `text` refers to.
    fn keyword_rules(text: &str) -> Vec<String> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|word| word.starts_with("kw_"))
            .map(str::to_owned)
            .collect()
    }

    fn rule_name(keyword: &Keyword) -> String {
        format!("{:?}", keyword.rule)
    }

    #[test]
    fn the_table_is_the_grammars_keywords() {
        let in_grammar: Vec<(String, &str)> = GRAMMAR
            .lines()
            .filter(|line| line.starts_with("kw_"))
            .map(|line| {
                let name = line.split_whitespace().next().unwrap_or_default();
                (name.to_owned(), quoted(line)[0])
            })
            .collect();
        let in_table: Vec<(String, &str)> = KEYWORDS
            .iter()
            .map(|keyword| (rule_name(keyword), keyword.word))
            .collect();
        assert_eq!(in_table, in_grammar);
        for keyword in KEYWORDS {
            assert_eq!(
                rule_name(keyword),
                format!("kw_{}", keyword.word.replace('-', "_"))
            );
        }
    }

    #[test]
    fn roles_are_the_grammars() {
        let top_level: Vec<String> = KEYWORDS
            .iter()
            .filter(|keyword| keyword.role == TopLevel)
            .map(rule_name)
            .collect();
        assert_eq!(top_level, keyword_rules(&rule_body("top_level_keyword")));
        let reserved: Vec<&str> = KEYWORDS
            .iter()
            .filter(|keyword| keyword.role == Reserved)
            .map(|keyword| keyword.word)
            .collect();
        assert_eq!(reserved, quoted(&rule_body("reserved")));
        assert!(is_reserved("not") && !is_reserved("notify"));
    }
}
