//! The walk of one Fluent pattern: every variable, message, term and function reference it
//! holds, in every variant of every select, and the placeables formatting it resolves.

use fluent_syntax::ast;
use std::ops::Range;

pub(super) type Pattern<'r> = ast::Pattern<&'r str>;
pub(super) type Inline<'r> = ast::InlineExpression<&'r str>;

/// Something a pattern holds, as the walk meets it.
pub(super) enum Found<'r> {
    /// a variable written out (not selected on), by the slice of its name
    Variable(&'r str),
    Message {
        id: &'r str,
        attribute: Option<&'r str>,
    },
    Term {
        id: &'r str,
        attribute: Option<&'r str>,
        /// the names of the arguments the reference passes
        arguments: Vec<&'r str>,
    },
    Function(&'r str),
}

impl Found<'_> {
    /// Where in `source` (the text the walked pattern was parsed from) the reference is:
    /// `$name`, `message.attribute`, `-term.attribute`, `FUNCTION`.
    pub(super) fn range(&self, source: &str) -> Range<usize> {
        let (sigil, first, last) = match self {
            Found::Variable(name) => (1, *name, *name),
            Found::Message { id, attribute } => (0, *id, attribute.unwrap_or(*id)),
            Found::Term { id, attribute, .. } => (1, *id, attribute.unwrap_or(*id)),
            Found::Function(id) => (0, *id, *id),
        };
        let start = offset(source, first).saturating_sub(sigil);
        start..offset(source, last) + last.len()
    }

    /// What a message or term reference names: whether a term, the id and the attribute.
    pub(super) fn target(&self) -> Option<(bool, &str, Option<&str>)> {
        match self {
            Found::Message { id, attribute } => Some((false, *id, *attribute)),
            Found::Term { id, attribute, .. } => Some((true, *id, *attribute)),
            Found::Variable(_) | Found::Function(_) => None,
        }
    }
}

/// Where `part`, a slice of `source`, starts in it.
pub(super) fn offset(source: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(source.as_ptr() as usize)
        .min(source.len())
}

/// Walk `pattern` — every variant of every select — showing `visit` what it holds. Returns the
/// most placeables formatting it resolves, `visit` answering for each reference the count of
/// what it reaches (and 0 for the rest).
pub(super) fn walk<'r>(pattern: &'r Pattern<'r>, visit: &mut impl FnMut(Found<'r>) -> u64) -> u64 {
    let mut count = 0u64;
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            count = count
                .saturating_add(1)
                .saturating_add(walk_expression(expression, visit));
        }
    }
    count
}

fn walk_expression<'r>(
    expression: &'r ast::Expression<&'r str>,
    visit: &mut impl FnMut(Found<'r>) -> u64,
) -> u64 {
    match expression {
        ast::Expression::Inline(inline) => walk_inline(inline, visit),
        ast::Expression::Select { selector, variants } => {
            // a selector on a variable never set picks the default variant: not a problem
            let selected = match selector {
                Inline::VariableReference { .. } => 0,
                other => walk_inline(other, visit),
            };
            let variant = variants
                .iter()
                .map(|variant| walk(&variant.value, visit))
                .max()
                .unwrap_or(0);
            selected.saturating_add(variant)
        }
    }
}

fn walk_inline<'r>(inline: &'r Inline<'r>, visit: &mut impl FnMut(Found<'r>) -> u64) -> u64 {
    let arguments = |arguments: Option<&'r ast::CallArguments<&'r str>>,
                     visit: &mut dyn FnMut(&'r Inline<'r>) -> u64| {
        arguments.map_or(0, |a| {
            let named = a.named.iter().map(|n| &n.value);
            a.positional
                .iter()
                .chain(named)
                .map(visit)
                .fold(0, u64::saturating_add)
        })
    };
    match inline {
        Inline::StringLiteral { .. } | Inline::NumberLiteral { .. } => 0,
        Inline::VariableReference { id } => visit(Found::Variable(id.name)),
        Inline::MessageReference { id, attribute } => visit(Found::Message {
            id: id.name,
            attribute: attribute.as_ref().map(|a| a.name),
        }),
        Inline::TermReference {
            id,
            attribute,
            arguments: passed,
        } => {
            let names = passed
                .iter()
                .flat_map(|a| a.named.iter().map(|n| n.name.name));
            let reached = visit(Found::Term {
                id: id.name,
                attribute: attribute.as_ref().map(|a| a.name),
                arguments: names.collect(),
            });
            let given = arguments(passed.as_ref(), &mut |a| walk_inline(a, visit));
            reached.saturating_add(given)
        }
        Inline::FunctionReference {
            id,
            arguments: passed,
        } => {
            visit(Found::Function(id.name));
            arguments(Some(passed), &mut |a| walk_inline(a, visit))
        }
        Inline::Placeable { expression } => walk_expression(expression, visit),
    }
}
