//! The lexical atoms every declaration is built from: names, name lists, addresses, strings
//! (with their escapes), integers and values.

use super::{Converter, Result};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::Rule;
use crate::syntax::ast::*;
use pest::iterators::Pair;

impl Converter {
    pub(super) fn ident(&self, pair: Pair<Rule>) -> Name {
        Spanned::new(pair.as_str().to_owned(), self.span(&pair))
    }

    pub(super) fn ident_list(&self, pair: Pair<Rule>) -> Result<Vec<Name>> {
        self.expect_rule(&pair, Rule::ident_list)?;
        self.children(pair)
            .rest()
            .map(|p| {
                self.expect_rule(&p, Rule::ident)?;
                Ok(self.ident(p))
            })
            .collect()
    }

    pub(super) fn address(&self, pair: Pair<Rule>) -> Spanned<String> {
        Spanned::new(pair.as_str().to_owned(), self.span(&pair))
    }

    pub(super) fn string(&self, pair: Pair<Rule>) -> Result<Spanned<String>> {
        self.expect_rule(&pair, Rule::string)?;
        let span = self.span(&pair);
        let raw = pair
            .into_inner()
            .next()
            .map(|text| text.as_str())
            .unwrap_or_default();
        let mut text = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(ch) = chars.next() {
            if ch != '\\' {
                text.push(ch);
                continue;
            }
            match chars.next() {
                Some('n') => text.push('\n'),
                Some('t') => text.push('\t'),
                Some(other) => text.push(other),
                None => {}
            }
        }
        Ok(Spanned::new(text, span))
    }

    pub(super) fn integer(&self, pair: Pair<Rule>) -> Result<Spanned<u32>> {
        let span = self.span(&pair);
        pair.as_str()
            .parse::<u32>()
            .map(|n| Spanned::new(n, span))
            .map_err(|_| {
                Diagnostic::error(
                    Code::E014,
                    format!("`{}` is too large a number", pair.as_str()),
                )
                .at(span, format!("at most {}", u32::MAX))
            })
    }

    /// A clause whose only content is a list of names (`notify a, b`, `expect a, b`).
    pub(super) fn single_ident_list(&self, pair: Pair<Rule>) -> Result<Vec<Name>> {
        let mut c = self.children(pair);
        let list = self.ident_list(c.next(Rule::ident_list)?)?;
        c.end()?;
        Ok(list)
    }

    pub(super) fn value(&self, pair: Pair<Rule>) -> Result<Spanned<Value>> {
        self.expect_rule(&pair, Rule::value)?;
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let Some(child) = inner.next() else {
            return Err(self.unexpected(span, "an empty value"));
        };
        let value = match child.as_rule() {
            Rule::kw_true => Value::Bool(true),
            Rule::kw_false => Value::Bool(false),
            Rule::ident => Value::Symbol(child.as_str().to_owned()),
            other => return Err(self.unexpected(span, format!("{other:?} as a value"))),
        };
        Ok(Spanned::new(value, span))
    }
}
