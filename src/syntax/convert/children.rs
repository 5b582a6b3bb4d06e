//! The significant children of a pair, read in order with punctuation keywords skipped:
//! the cursor each converter function uses to check the shape it receives.

use super::{Converter, Result};
use crate::source::Span;
use crate::syntax::Rule;
use crate::syntax::keywords::{self, Role};
use pest::iterators::{Pair, Pairs};
use std::iter::Peekable;

impl Converter {
    pub(super) fn children<'i>(&self, pair: Pair<'i, Rule>) -> Children<'_, 'i> {
        Children {
            converter: self,
            parent: self.span(&pair),
            parent_rule: pair.as_rule(),
            pairs: pair.into_inner().peekable(),
        }
    }
}

/// The significant children of a pair (punctuation keywords skipped), read in order.
pub(super) struct Children<'c, 'i> {
    converter: &'c Converter,
    parent: Span,
    parent_rule: Rule,
    pairs: Peekable<Pairs<'i, Rule>>,
}

impl<'i> Children<'_, 'i> {
    fn skip_keywords(&mut self) {
        while self
            .pairs
            .peek()
            .is_some_and(|p| is_punctuation(p.as_rule()))
        {
            self.pairs.next();
        }
    }

    /// The next child, whatever it is.
    pub(super) fn any(&mut self) -> Result<Pair<'i, Rule>> {
        self.optional_any().ok_or_else(|| {
            self.converter
                .unexpected(self.parent, format!("{:?} ended early", self.parent_rule))
        })
    }

    pub(super) fn optional_any(&mut self) -> Option<Pair<'i, Rule>> {
        self.skip_keywords();
        self.pairs.next()
    }

    /// The next child, which must be a `rule`.
    pub(super) fn next(&mut self, rule: Rule) -> Result<Pair<'i, Rule>> {
        let pair = self.any()?;
        self.converter.expect_rule(&pair, rule)?;
        Ok(pair)
    }

    /// The next child if it is a `rule`.
    pub(super) fn optional(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        self.skip_keywords();
        if self.pairs.peek().is_some_and(|p| p.as_rule() == rule) {
            self.pairs.next()
        } else {
            None
        }
    }

    /// Skip a child that carries no meaning in this position (`in`, `not` after `expect`).
    pub(super) fn skip(&mut self, rule: Rule) {
        let _ = self.optional(rule);
    }

    /// All remaining children.
    pub(super) fn rest(mut self) -> impl Iterator<Item = Pair<'i, Rule>> {
        self.skip_keywords();
        self.pairs.filter(|p| !is_punctuation(p.as_rule()))
    }

    /// There must be nothing left.
    pub(super) fn end(mut self) -> Result<()> {
        match self.optional_any() {
            None => Ok(()),
            Some(extra) => Err(self.converter.unexpected(
                self.converter.span(&extra),
                format!(
                    "{:?} after the end of {:?}",
                    extra.as_rule(),
                    self.parent_rule
                ),
            )),
        }
    }
}

/// Keywords and punctuation that only mark structure; `not`, `true`, `false`, `in`, `and`,
/// `or` carry meaning, and of the [`Role::Choice`] keywords the converter reads which one it is.
fn is_punctuation(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::open_brace
            | Rule::close_brace
            | Rule::open_angle
            | Rule::close_angle
            | Rule::open_paren
            | Rule::close_paren
            | Rule::arrow
            | Rule::colon
            | Rule::assign
    ) || keywords::of_rule(rule)
        .is_some_and(|keyword| matches!(keyword.role, Role::TopLevel | Role::Marker))
}
