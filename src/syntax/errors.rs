//! pest's parse errors in prose: grammar rules renamed to what a reader calls them
//! ("a name", "`notify`"), the text found at the error, and a hint for common slips.

use super::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};

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
    let mut names: Vec<&str> = Vec::new();
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
        names.insert(0, "a top-level item (`rule`, `test`, `event`, `fact`, …)");
    }
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

fn is_top_level(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_ruleset
            | Rule::kw_sender
            | Rule::kw_subject_prefix
            | Rule::kw_max_recipients
            | Rule::kw_use
            | Rule::kw_scope
            | Rule::kw_recipient
            | Rule::kw_event
            | Rule::kw_fact
            | Rule::kw_template
            | Rule::kw_rule
            | Rule::kw_test
            | Rule::kw_settings
    )
}

/// The name a reader gives a grammar rule; `None` for rules that are never worth naming.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
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
        Rule::unlimited | Rule::kw_unlimited => "`unlimited`",
        Rule::address => "an email address",
        Rule::value | Rule::kw_true | Rule::kw_false => "a value",
        Rule::value_set => "`{`",
        Rule::condition | Rule::disjunction | Rule::conjunction | Rule::negation => "a condition",
        Rule::comparison => "a fact",
        Rule::equals => "`==`",
        Rule::not_equals => "`!=`",
        Rule::in_set | Rule::kw_in => "`in`",
        Rule::not_in_set => "`not in`",
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_not => "`not`",
        Rule::end_of_file => "end of file",
        Rule::kw_ruleset | Rule::ruleset_decl => "`ruleset`",
        Rule::kw_version => "`version`",
        Rule::kw_sender | Rule::sender_decl => "`sender`",
        Rule::kw_subject_prefix | Rule::subject_prefix_decl => "`subject-prefix`",
        Rule::kw_max_recipients | Rule::max_recipients_decl => "`max-recipients`",
        Rule::kw_use | Rule::use_decl => "`use`",
        Rule::kw_scope | Rule::scope_decl => "`scope`",
        Rule::kw_recipient | Rule::recipient_decl => "`recipient`",
        Rule::kw_row | Rule::row_option => "`row`",
        Rule::kw_while | Rule::activated_option => "`while activated`",
        Rule::kw_activated => "`activated`",
        Rule::kw_from | Rule::policy_option => "`from policy`",
        Rule::kw_policy => "`policy`",
        Rule::kw_event | Rule::event_decl => "`event`",
        Rule::kw_critical | Rule::critical_flag => "`critical`",
        Rule::kw_occurs | Rule::occurs_clause => "`occurs in`",
        Rule::policy_clause => "`policy`",
        Rule::kw_settings | Rule::settings_decl => "`settings`",
        Rule::kw_for => "`for`",
        Rule::kw_entra_role | Rule::entra_target => "`entra-role`",
        Rule::kw_group | Rule::group_target => "`group`",
        Rule::kw_azure_role | Rule::azure_target => "`azure-role`",
        Rule::kw_member => "`member`",
        Rule::kw_owner => "`owner`",
        Rule::kw_at => "`at`",
        Rule::kw_role_id => "`role-id`",
        Rule::kw_group_id => "`group-id`",
        Rule::kw_policy_id | Rule::id_clause => "`policy-id`",
        Rule::kw_approval | Rule::approval_clause => "`approval`",
        Rule::kw_required => "`required`",
        Rule::kw_optional => "`optional`",
        Rule::setting_line => "a setting (`SECTION ROW: …`)",
        Rule::kw_level | Rule::level_item => "`level`",
        Rule::kw_default_recipients | Rule::defaults_item => "`default-recipients`",
        Rule::kw_additional | Rule::additional_item => "`additional`",
        Rule::kw_off => "`off`",
        Rule::kw_rule_shape | Rule::shape_clause => "`rule-shape`",
        Rule::kw_shape | Rule::shape_item => "`shape`",
        Rule::json => "a JSON object on one line",
        Rule::kw_role | Rule::role_clause => "`role`",
        Rule::kw_section | Rule::section_clause => "`section`",
        Rule::kw_by | Rule::section_by_fact => "`by`",
        Rule::section_case => "a value",
        Rule::kw_fact | Rule::fact_decl => "`fact`",
        Rule::kw_bool | Rule::bool_type => "`bool`",
        Rule::enum_type => "a list of values",
        Rule::kw_template | Rule::template_decl | Rule::template_clause => "`template`",
        Rule::kw_rule | Rule::rule_decl => "`rule`",
        Rule::kw_on | Rule::on_clause => "`on`",
        Rule::kw_notify | Rule::notify_clause => "`notify`",
        Rule::kw_when | Rule::when_clause => "`when`",
        Rule::kw_test | Rule::test_decl => "`test`",
        Rule::kw_given | Rule::given_clause => "`given`",
        Rule::kw_with => "`with`",
        Rule::fact_setting => "a fact",
        Rule::kw_expect | Rule::expect_clause => "`expect`",
        Rule::kw_exactly | Rule::expect_exactly => "`exactly`",
        Rule::kw_nobody | Rule::expect_nobody => "`nobody`",
        Rule::expect_absent => "`not`",
        Rule::expect_present => "a name",
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
    if wants_name && matches!(text, "and" | "or" | "not" | "in" | "true" | "false") {
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
