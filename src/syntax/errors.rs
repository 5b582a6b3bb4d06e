//! pest's parse errors in prose: grammar rules renamed to what a reader calls them
//! ("a name", "`notify`"), the text found at the error, and a hint for common slips.

use super::Rule;
use super::keywords::{self, Role};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};
use std::borrow::Cow;

/// Byte offset of the error within the parsed segment.
pub(super) fn error_position(error: &Error<Rule>) -> usize {
    match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((start, _)) => start,
    }
}

/// A located E001 diagnostic for a pest error in the segment that starts at byte `base` of `text`.
pub(super) fn syntax_error(
    error: &Error<Rule>,
    file: FileId,
    base: usize,
    text: &str,
) -> Diagnostic {
    let position = base + error_position(error);
    let found = found_at(text, position);
    let (expected, help) = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            (expected_list(positives), hint(positives, &found))
        }
        ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    let message = if expected.is_empty() {
        format!("unexpected {}", found.describe())
    } else {
        format!("expected {expected}, found {}", found.describe())
    };
    Diagnostic::error(Code::E001, message)
        .at(
            Span::new(file, position..position + found.len),
            label(&expected),
        )
        .with_help(help)
}

fn label(expected: &str) -> String {
    if expected.is_empty() {
        "not understood here".to_owned()
    } else {
        format!("expected {expected}")
    }
}

/// What is written at the error position.
struct Found {
    text: String,
    len: usize,
}

impl Found {
    fn describe(&self) -> String {
        match self.text.as_str() {
            "" => "end of file".to_owned(),
            "\n" | "\r" => "end of line".to_owned(),
            "\0" => "a NUL byte".to_owned(),
            t if t.chars().all(char::is_control) => format!("control character {:?}", t),
            t => format!("`{t}`"),
        }
    }
}

fn found_at(text: &str, position: usize) -> Found {
    let rest = text.get(position..).unwrap_or("");
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect();
    if !word.is_empty() {
        return Found {
            len: word.len(),
            text: word,
        };
    }
    match rest.chars().next() {
        Some(c) => Found {
            text: c.to_string(),
            len: c.len_utf8(),
        },
        None => Found {
            text: String::new(),
            len: 0,
        },
    }
}

/// Human names of the grammar rules that could have matched, deduplicated, in order.
fn expected_list(positives: &[Rule]) -> String {
    let mut names: Vec<Cow<'static, str>> = Vec::new();
    for rule in positives {
        if let Some(name) = describe(*rule)
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    let top_level = positives.iter().filter(|r| is_top_level(**r)).count();
    if top_level >= 4 {
        names.retain(|n| !n.starts_with('`'));
        names.insert(
            0,
            "a top-level item (`rule`, `test`, `event`, `fact`, …)".into(),
        );
    }
    match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

fn is_top_level(rule: Rule) -> bool {
    keywords::of_rule(rule).is_some_and(|keyword| keyword.role == Role::TopLevel)
}

/// The name a reader gives a grammar rule; `None` for rules that are never worth naming.
fn describe(rule: Rule) -> Option<Cow<'static, str>> {
    let named = match rule {
        Rule::ident | Rule::ident_list => "a name",
        Rule::string | Rule::string_text => "a quoted string",
        Rule::integer => "a number",
        Rule::open_brace => "`{`",
        Rule::close_brace => "`}`",
        Rule::open_angle => "`<`",
        Rule::close_angle => "`>`",
        Rule::open_paren => "`(`",
        Rule::close_paren => "`)`",
        Rule::arrow => "`->`",
        Rule::colon => "`:`",
        Rule::assign => "`=`",
        Rule::address => "an email address",
        Rule::value | Rule::kw_true | Rule::kw_false => "a value",
        Rule::value_set => "`{`",
        Rule::condition | Rule::disjunction | Rule::conjunction | Rule::negation => "a condition",
        Rule::comparison => "a fact",
        Rule::equals => "`==`",
        Rule::not_equals => "`!=`",
        Rule::not_in_set => "`not in`",
        Rule::end_of_file => "end of file",
        Rule::kw_while | Rule::activated_option => "`while activated`",
        Rule::kw_from | Rule::policy_option => "`from policy`",
        Rule::kw_occurs | Rule::occurs_clause => "`occurs in`",
        Rule::setting_line => "a setting (`SECTION ROW: …`)",
        Rule::json => "a JSON object on one line",
        Rule::section_case => "a value",
        Rule::enum_type => "a list of values",
        Rule::fact_setting => "a fact",
        Rule::expect_present => "a name",
        _ => {
            let keyword = keywords::of_rule(introducing_keyword(rule).unwrap_or(rule))?;
            return Some(Cow::Owned(format!("`{}`", keyword.word)));
        }
    };
    Some(Cow::Borrowed(named))
}

/// The keyword a rule starts with, which names it in messages (`notify` for a notify clause).
fn introducing_keyword(rule: Rule) -> Option<Rule> {
    Some(match rule {
        Rule::unlimited => Rule::kw_unlimited,
        Rule::in_set => Rule::kw_in,
        Rule::ruleset_decl => Rule::kw_ruleset,
        Rule::sender_decl => Rule::kw_sender,
        Rule::subject_prefix_decl => Rule::kw_subject_prefix,
        Rule::max_recipients_decl => Rule::kw_max_recipients,
        Rule::use_decl => Rule::kw_use,
        Rule::scope_decl => Rule::kw_scope,
        Rule::recipient_decl => Rule::kw_recipient,
        Rule::row_option => Rule::kw_row,
        Rule::event_decl => Rule::kw_event,
        Rule::critical_flag => Rule::kw_critical,
        Rule::policy_clause => Rule::kw_policy,
        Rule::settings_decl => Rule::kw_settings,
        Rule::entra_target => Rule::kw_entra_role,
        Rule::group_target => Rule::kw_group,
        Rule::azure_target => Rule::kw_azure_role,
        Rule::id_clause => Rule::kw_policy_id,
        Rule::approval_clause => Rule::kw_approval,
        Rule::level_item => Rule::kw_level,
        Rule::defaults_item => Rule::kw_default_recipients,
        Rule::additional_item => Rule::kw_additional,
        Rule::shape_clause => Rule::kw_rule_shape,
        Rule::shape_item => Rule::kw_shape,
        Rule::role_clause => Rule::kw_role,
        Rule::section_clause => Rule::kw_section,
        Rule::section_by_fact => Rule::kw_by,
        Rule::fact_decl => Rule::kw_fact,
        Rule::bool_type => Rule::kw_bool,
        Rule::template_decl => Rule::kw_template,
        Rule::template_clause => Rule::kw_template,
        Rule::rule_decl => Rule::kw_rule,
        Rule::on_clause => Rule::kw_on,
        Rule::notify_clause => Rule::kw_notify,
        Rule::when_clause => Rule::kw_when,
        Rule::test_decl => Rule::kw_test,
        Rule::given_clause => Rule::kw_given,
        Rule::expect_clause => Rule::kw_expect,
        Rule::expect_exactly => Rule::kw_exactly,
        Rule::expect_nobody => Rule::kw_nobody,
        Rule::expect_absent => Rule::kw_not,
        _ => return None,
    })
}

/// A hint for the slips people make most.
fn hint(positives: &[Rule], found: &Found) -> Option<String> {
    let wants_name = positives
        .iter()
        .any(|r| matches!(r, Rule::ident | Rule::ident_list | Rule::value));
    let text = found.text.as_str();
    if wants_name && (text.chars().any(|c| c.is_ascii_uppercase()) || text.contains('_')) {
        return Some(format!(
            "names are kebab-case (lowercase letters, digits and single hyphens): `{}`",
            text.to_ascii_lowercase().replace('_', "-")
        ));
    }
    if wants_name && keywords::is_reserved(text) {
        return Some(format!(
            "`{text}` is a reserved word and cannot be used as a name"
        ));
    }
    if text == "=" && positives.iter().any(|r| matches!(r, Rule::equals)) {
        return Some("compare with `==` (or `!=`)".to_owned());
    }
    if text == "&" || text == "|" {
        return Some("combine conditions with `and` and `or`".to_owned());
    }
    if text == "'" {
        return Some("strings are written in double quotes".to_owned());
    }
    None
}
