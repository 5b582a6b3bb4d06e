//! Diagnostic helpers shared by every part of the check: a written value's index in a fact's
//! domain, an unknown keyword with suggestions, and lists of names in backticks.

use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::{Domain, Fact};
use crate::syntax::ast::{self, Spanned};

/// The index of a written value in a fact's domain, or a typed diagnostic.
pub(super) fn value_index(fact: &Fact, value: &Spanned<ast::Value>) -> Result<usize, Diagnostic> {
    match (&fact.domain, &value.node) {
        (Domain::Bool(_), ast::Value::Bool(b)) => Ok(usize::from(*b)),
        (Domain::Bool(_), ast::Value::Symbol(s)) => Err(Diagnostic::error(
            Code::E007,
            format!(
                "`{}` is a `bool` fact, but `{s}` is not `true` or `false`",
                fact.name
            ),
        )
        .at(value.span, "expected `true` or `false`")),
        (Domain::Enum(values), ast::Value::Symbol(s)) => fact.value_index(s).ok_or_else(|| {
            Diagnostic::error(
                Code::E006,
                format!("`{s}` is not a value of `{}`", fact.name),
            )
            .at(value.span, format!("not one of {}", backticked(values)))
            .with_help(crate::diagnostic::did_you_mean(
                s,
                values.iter().map(String::as_str),
            ))
        }),
        (Domain::Enum(values), ast::Value::Bool(b)) => Err(Diagnostic::error(
            Code::E007,
            format!(
                "`{}` is not a `bool` fact, so it cannot be `{b}`",
                fact.name
            ),
        )
        .at(
            value.span,
            format!("expected one of {}", backticked(values)),
        )),
    }
}

pub(super) fn unknown_keyword<'a>(
    kind: &str,
    name: &ast::Name,
    choices: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let all: Vec<&str> = choices.clone().collect();
    Diagnostic::error(Code::E004, format!("unknown {kind} `{}`", name.node))
        .at(name.span, format!("not a {kind}"))
        .with_help(
            crate::diagnostic::did_you_mean(&name.node, choices)
                .or_else(|| Some(format!("the {kind}s are {}", backticked_all(&all)))),
        )
}

/// `a`, `b` or `c`
pub(super) fn backticked<S: AsRef<str>>(items: &[S]) -> String {
    joined(items, "or")
}

/// `a`, `b` and `c`
pub(crate) fn backticked_all<S: AsRef<str>>(items: &[S]) -> String {
    joined(items, "and")
}

fn joined<S: AsRef<str>>(items: &[S], conjunction: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {}", init.join(", "), last),
    }
}
