//! A tenant document as a tree of JSON values that know where they are written, read strictly
//! (RFC 8259, no duplicate keys), so that every problem in a document points at its text.
//!
//! `serde_json` reads the text first — its messages name the line and column of a syntax error
//! and it refuses nesting deeper than 128 — then `jsonc-parser` (with every extension off)
//! builds the tree with byte ranges that the readers walk.

use super::PolicyError;
use jsonc_parser::ast::{self, Value as Node};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use serde_json::{Map, Number, Value};
use std::ops::Range;

/// The root of a parsed document.
pub fn parse(text: &str) -> Result<Node<'_>, PolicyError> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| {
        let offset = crate::json_location::offset_of(text, e.line(), e.column());
        PolicyError::new(format!(
            "invalid JSON: {}",
            crate::json_location::strip_position(&e)
        ))
        .at(offset..offset + 1)
    })?;
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict).map_err(|e| {
            PolicyError::new(format!("invalid JSON: {}", e.kind()))
                .at(e.range().start..e.range().end)
        })?;
    let root = parsed
        .value
        .ok_or_else(|| PolicyError::new("the document is empty"))?;
    if let Some((name, at)) = crate::json_location::duplicate_key(text) {
        return Err(PolicyError::new(format!(
            "`{}` is given twice in one object",
            name.escape_debug()
        ))
        .at(at)
        .help("a reader would see the first, Microsoft's services the last; keep one"));
    }
    Ok(root)
}

/// The bytes a value is written in.
pub fn range(node: &impl Ranged) -> Range<usize> {
    let r = node.range();
    r.start..r.end
}

/// Where to point at a whole value without quoting all of it: an object's `id` (or `policyId`)
/// when it has one, else its first character.
pub fn anchor(node: &Node) -> Range<usize> {
    if let Node::Object(object) = node {
        for key in ["id", "policyId", "name"] {
            if let Some(id @ Node::StringLit(_)) = member(object, key) {
                return range(id);
            }
        }
    }
    let whole = range(node);
    whole.start..(whole.start + 1).min(whole.end)
}

/// What a value is, for messages: "an object", "a string", ….
pub fn kind(node: &Node) -> &'static str {
    match node {
        Node::StringLit(_) => "a string",
        Node::NumberLit(_) => "a number",
        Node::BooleanLit(_) => "true or false",
        Node::Object(_) => "an object",
        Node::Array(_) => "an array",
        Node::NullKeyword(_) => "null",
    }
}

/// A member of an object, if present.
pub fn member<'n, 'a>(object: &'n ast::Object<'a>, name: &str) -> Option<&'n Node<'a>> {
    object.get(name).map(|p| &p.value)
}

/// A member that must be a string when present.
pub fn string_member<'n, 'a>(
    object: &'n ast::Object<'a>,
    name: &str,
) -> Result<Option<&'n ast::StringLit<'a>>, PolicyError> {
    match member(object, name) {
        None => Ok(None),
        Some(Node::StringLit(s)) => Ok(Some(s)),
        Some(other) => Err(wrong_type(name, "a string", other)),
    }
}

/// "`name` must be …, not …", at the value.
pub fn wrong_type(name: &str, wanted: &str, found: &Node) -> PolicyError {
    PolicyError::new(format!("`{name}` must be {wanted}, not {}", kind(found))).at(range(found))
}

/// The value as `serde_json` holds it, members in the order written.
pub fn to_value(node: &Node) -> Value {
    match node {
        Node::StringLit(s) => Value::from(s.value.as_ref()),
        Node::NumberLit(n) => n.value.parse::<Number>().map_or(Value::Null, Value::Number),
        Node::BooleanLit(b) => Value::Bool(b.value),
        Node::NullKeyword(_) => Value::Null,
        Node::Array(array) => Value::Array(array.elements.iter().map(to_value).collect()),
        Node::Object(object) => Value::Object(
            object
                .properties
                .iter()
                .map(|p| (p.name.as_str().to_owned(), to_value(&p.value)))
                .collect::<Map<String, Value>>(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_point_at_values() {
        let text = "{\"a\": [1, \"two\"]}";
        let root = parse(text).expect("valid");
        let Node::Object(object) = &root else {
            panic!("an object")
        };
        let Some(Node::Array(array)) = member(object, "a") else {
            panic!("an array")
        };
        assert_eq!(&text[range(&array.elements[1])], "\"two\"");
    }

    #[test]
    fn duplicate_keys_are_refused_where_they_are() {
        let text = "{\"a\": {\"b\": 1, \"b\": 2}}";
        let error = parse(text).expect_err("a duplicate");
        let at = error.range.clone().expect("located");
        assert_eq!(&text[at.clone()], "\"b\"");
        assert_eq!(at.start, 15);
    }

    #[test]
    fn syntax_errors_are_located() {
        let error = parse("{\"a\": [1,]}").expect_err("a trailing comma");
        assert!(
            error.message.starts_with("invalid JSON"),
            "{}",
            error.message
        );
        assert!(error.range.is_some());
    }
}
