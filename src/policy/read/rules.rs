//! Reading and checking the notification rules of one policy: each rule's id, recipient type,
//! target and settings agree and are all there, and the shape each rule is written in.

use crate::address;
use crate::policy::PolicyError;
use crate::policy::json::{self, member, string_member, wrong_type};
use crate::ruleset::shape::{self, ARM_NOTIFICATION_RULE_TYPE, RuleShape};
use crate::ruleset::tenant::{NOTIFICATION_RULE_TYPE, RowSetting, parse_rule_id};
use crate::ruleset::{PolicyRow, PolicySection};
use jsonc_parser::ast::{self, Value as Node};
use std::ops::Range;

const APPROVAL_RULE_ID: &str = "Approval_EndUser_Assignment";

/// The notification rules of one policy, checked, and what else it held.
pub(super) struct Rules {
    pub(super) lines: Vec<ReadLine>,
    pub(super) approval_required: Option<bool>,
    /// ids of rules of other kinds
    pub(super) other: Vec<String>,
}

pub(super) struct ReadLine {
    pub(super) section: PolicySection,
    pub(super) row: PolicyRow,
    pub(super) setting: RowSetting,
    pub(super) shape: RuleShape,
    pub(super) range: Range<usize>,
}

/// With `strict` (a document to import), every member of a notification rule must be there, as
/// Graph and ARM always write them; otherwise (a policy to evaluate under) a missing member has
/// Graph's default, as a hand-written policy may leave it out. `request` fetches the rules whole.
pub(super) fn read_rules(
    rules: &[&Node],
    request: &str,
    strict: bool,
) -> Result<Rules, PolicyError> {
    let mut read = Rules {
        lines: Vec::new(),
        approval_required: None,
        other: Vec::new(),
    };
    for &node in rules {
        let Node::Object(rule) = node else {
            return Err(wrong_type("each rule", "an object", node));
        };
        let Some(id) = string_member(rule, "id")? else {
            return Err(PolicyError::new("a rule has no `id`").at(json::anchor(node)));
        };
        if id.value == APPROVAL_RULE_ID {
            read.approval_required = match member(rule, "setting") {
                Some(Node::Object(setting)) => {
                    setting.get_boolean("isApprovalRequired").map(|b| b.value)
                }
                _ => None,
            };
            continue;
        }
        let marker = string_member(rule, "@odata.type")?.map(|s| s.value.to_string());
        let rule_type = string_member(rule, "ruleType")?.map(|s| s.value.to_string());
        let notification = marker.as_deref() == Some(NOTIFICATION_RULE_TYPE)
            || rule_type.as_deref() == Some(ARM_NOTIFICATION_RULE_TYPE)
            || (marker.is_none() && rule_type.is_none() && id.value.starts_with("Notification_"));
        if !notification {
            if read.other.len() < 3 {
                read.other.push(id.value.to_string());
            }
            continue;
        }
        let line = read_rule(rule, id, node, request, strict)?;
        if read
            .lines
            .iter()
            .any(|l| (l.section, l.row) == (line.section, line.row))
        {
            return Err(PolicyError::new(format!(
                "notification rule `{}` is given twice",
                id.value
            ))
            .at(json::range(id)));
        }
        read.lines.push(line);
    }
    Ok(read)
}

/// One notification rule: its id, recipient type and target agree, and its settings are all
/// there.
fn read_rule(
    rule: &ast::Object,
    id: &ast::StringLit,
    node: &Node,
    request: &str,
    strict: bool,
) -> Result<ReadLine, PolicyError> {
    let Some((section, row)) = parse_rule_id(&id.value) else {
        return Err(PolicyError::new(format!(
            "unknown notification rule id `{}`",
            id.value.escape_debug()
        ))
        .at(json::range(id))
        .help(crate::policy::known_ids_hint(&id.value)));
    };
    let settings_given = shape::SETTING_MEMBERS
        .iter()
        .any(|m| member(rule, m).is_some());
    if !settings_given {
        return Err(PolicyError::new(format!(
            "rule `{}` carries no settings, only its id",
            id.value
        ))
        .at(json::range(id))
        .help(format!(
            "the rules were fetched with `$select=id`; fetch them whole: `{request}`"
        )));
    }
    let given = |name: &str| -> Result<Option<&Node>, PolicyError> {
        match member(rule, name) {
            Some(value) => Ok(Some(value)),
            None if strict => Err(PolicyError::new(format!(
                "rule `{}` has no `{name}`",
                id.value
            ))
            .at(json::range(id))
            .help("Microsoft's services write every member of a rule; give the rule as returned")),
            None => Ok(None),
        }
    };
    match given("recipientType")? {
        None => {}
        Some(Node::StringLit(s)) if s.value == row.graph_name() => {}
        Some(Node::StringLit(s)) => {
            return Err(PolicyError::new(format!(
                "rule `{}` has recipientType `{}`, but its id says `{}`",
                id.value,
                s.value.escape_debug(),
                row.graph_name()
            ))
            .at(json::range(s)));
        }
        Some(other) => return Err(wrong_type("recipientType", "a string", other)),
    }
    let mut setting = RowSetting::default();
    match given("notificationLevel")? {
        None => {}
        Some(Node::StringLit(s)) => {
            setting.level = shape::level_named(&s.value).ok_or_else(|| {
                PolicyError::new(format!(
                    "`{}` is not a notificationLevel of rule `{}`",
                    s.value.escape_debug(),
                    id.value
                ))
                .at(json::range(s))
                .help("the levels are `None`, `Critical` and `All`, written so")
            })?;
        }
        Some(other) => return Err(wrong_type("notificationLevel", "a string", other)),
    }
    match given("isDefaultRecipientsEnabled")? {
        None => {}
        Some(Node::BooleanLit(b)) => setting.default_recipients = b.value,
        Some(other) => {
            return Err(wrong_type(
                "isDefaultRecipientsEnabled",
                "true or false",
                other,
            ));
        }
    }
    match given("notificationRecipients")? {
        None | Some(Node::NullKeyword(_)) => {}
        Some(Node::Array(addresses)) => {
            for a in &addresses.elements {
                match a {
                    Node::StringLit(s) if address::is_valid(&s.value) => {
                        setting.additional.push(s.value.to_string());
                    }
                    Node::StringLit(s) => {
                        return Err(PolicyError::new(format!(
                            "invalid address `{}` in `notificationRecipients` of rule `{}`",
                            s.value.escape_debug(),
                            id.value
                        ))
                        .at(json::range(s)));
                    }
                    other => {
                        return Err(wrong_type("each notification recipient", "a string", other));
                    }
                }
            }
        }
        Some(other) => {
            return Err(wrong_type(
                "notificationRecipients",
                "an array of addresses",
                other,
            ));
        }
    }
    check_target(rule, id, section)?;
    let shape = match json::to_value(node) {
        serde_json::Value::Object(fields) => RuleShape::of_rule(&fields),
        _ => return Err(wrong_type("each rule", "an object", node)),
    };
    Ok(ReadLine {
        section,
        row,
        setting,
        shape,
        range: json::range(node),
    })
}

/// A rule's target, when given, is an object whose `caller` and `level` are the id's.
fn check_target(
    rule: &ast::Object,
    id: &ast::StringLit,
    section: PolicySection,
) -> Result<(), PolicyError> {
    let Some(target) = member(rule, "target") else {
        return Ok(());
    };
    let Node::Object(target) = target else {
        return Err(wrong_type("target", "an object", target));
    };
    let (caller, level) = shape::caller_and_level(section);
    for (name, expected) in [("caller", caller), ("level", level)] {
        match string_member(target, name)? {
            Some(s) if s.value == expected => {}
            Some(s) => {
                return Err(PolicyError::new(format!(
                    "rule `{}` has a target {name} `{}`, but its id says `{expected}`",
                    id.value,
                    s.value.escape_debug()
                ))
                .at(json::range(s)));
            }
            None => {
                return Err(PolicyError::new(format!(
                    "the target of rule `{}` has no `{name}`",
                    id.value
                ))
                .at(json::range(target)));
            }
        }
    }
    Ok(())
}

/// The shape most of a policy's rules share (the first of the most common).
pub(super) fn most_common_shape(lines: &[ReadLine]) -> Option<RuleShape> {
    let mut counts: Vec<(&RuleShape, usize)> = Vec::new();
    for line in lines {
        match counts.iter_mut().find(|(s, _)| **s == line.shape) {
            Some((_, n)) => *n += 1,
            None => counts.push((&line.shape, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(s, _)| s.clone())
}
