//! `rule` blocks and their conditions: pest pairs → rule clauses and `Condition` trees,
//! with the limit on how deeply `not`s and parentheses may nest.

use super::{Converter, Result};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::*;
use crate::syntax::{MAX_NESTING, Rule};
use pest::iterators::Pair;

impl Converter {
    // ----- rules -----

    pub(super) fn rule_decl(&self, pair: Pair<Rule>) -> Result<RuleDecl> {
        let mut c = self.children(pair);
        let name = self.ident(c.next(Rule::ident)?);
        let mut clauses = Vec::new();
        for clause in c.rest() {
            let span = self.span(&clause);
            let node = match clause.as_rule() {
                Rule::on_clause => self.on_clause(clause)?,
                Rule::notify_clause => RuleClause::Notify(self.single_ident_list(clause)?),
                Rule::when_clause => RuleClause::When(self.when_clause(clause)?),
                Rule::template_clause => RuleClause::Template(self.template_clause(clause)?),
                other => return Err(self.unexpected(span, format!("{other:?} in a rule"))),
            };
            clauses.push(Spanned::new(node, span));
        }
        Ok(RuleDecl { name, clauses })
    }

    fn on_clause(&self, pair: Pair<Rule>) -> Result<RuleClause> {
        let mut c = self.children(pair);
        let events = self.ident_list(c.next(Rule::ident_list)?)?;
        c.skip(Rule::kw_in);
        let scopes = self.ident_list(c.next(Rule::ident_list)?)?;
        c.end()?;
        Ok(RuleClause::On { events, scopes })
    }

    fn when_clause(&self, pair: Pair<Rule>) -> Result<Spanned<Condition>> {
        let mut c = self.children(pair);
        let condition = self.condition(c.next(Rule::condition)?)?;
        c.end()?;
        Ok(condition)
    }

    fn template_clause(&self, pair: Pair<Rule>) -> Result<Name> {
        let mut c = self.children(pair);
        let name = self.ident(c.next(Rule::ident)?);
        c.end()?;
        Ok(name)
    }

    // ----- conditions -----

    fn condition(&self, pair: Pair<Rule>) -> Result<Spanned<Condition>> {
        let mut c = self.children(pair);
        let inner = self.disjunction(c.next(Rule::disjunction)?, 0)?;
        c.end()?;
        Ok(inner)
    }

    fn disjunction(&self, pair: Pair<Rule>, depth: usize) -> Result<Spanned<Condition>> {
        self.expect_rule(&pair, Rule::disjunction)?;
        self.junction(pair, Rule::kw_or, Condition::Or, |p| {
            self.conjunction(p, depth)
        })
    }

    fn conjunction(&self, pair: Pair<Rule>, depth: usize) -> Result<Spanned<Condition>> {
        self.expect_rule(&pair, Rule::conjunction)?;
        self.junction(pair, Rule::kw_and, Condition::And, |p| {
            self.negation(p, depth)
        })
    }

    /// Operands joined by `keyword`: one operand is itself, several make `combine(operands)`.
    fn junction<'i>(
        &self,
        pair: Pair<'i, Rule>,
        keyword: Rule,
        combine: fn(Vec<Spanned<Condition>>) -> Condition,
        operand: impl Fn(Pair<'i, Rule>) -> Result<Spanned<Condition>>,
    ) -> Result<Spanned<Condition>> {
        let span = self.span(&pair);
        let mut parts = self
            .children(pair)
            .rest()
            .filter(|p| p.as_rule() != keyword)
            .map(operand)
            .collect::<Result<Vec<_>>>()?;
        match parts.len() {
            1 => Ok(parts.remove(0)),
            0 => Err(self.unexpected(span, "an empty `and`/`or`")),
            _ => Ok(Spanned::new(combine(parts), span)),
        }
    }

    fn negation(&self, pair: Pair<Rule>, depth: usize) -> Result<Spanned<Condition>> {
        self.expect_rule(&pair, Rule::negation)?;
        let span = self.span(&pair);
        let mut nots = Vec::new();
        let mut atom = None;
        for child in self.children(pair).rest() {
            match child.as_rule() {
                Rule::kw_not => nots.push(self.span(&child)),
                _ => atom = Some(child),
            }
        }
        let Some(atom) = atom else {
            return Err(self.unexpected(span, "`not` without a condition"));
        };
        let depth = depth + nots.len();
        if depth > MAX_NESTING {
            return Err(Diagnostic::error(
                Code::E003,
                format!("condition nested more than {MAX_NESTING} levels deep"),
            )
            .at(span, "too many nested `not`s and parentheses")
            .help("two `not`s cancel out; remove them in pairs"));
        }
        let mut condition = match atom.as_rule() {
            Rule::disjunction => self.disjunction(atom, depth + 1)?,
            Rule::comparison => self.comparison(atom)?,
            other => {
                let at = self.span(&atom);
                return Err(self.unexpected(at, format!("{other:?} in a condition")));
            }
        };
        for not_span in nots.into_iter().rev() {
            let whole = not_span.to(condition.span);
            condition = Spanned::new(Condition::Not(Box::new(condition)), whole);
        }
        Ok(condition)
    }

    fn comparison(&self, pair: Pair<Rule>) -> Result<Spanned<Condition>> {
        let span = self.span(&pair);
        let mut c = self.children(pair);
        let fact = self.ident(c.next(Rule::ident)?);
        let test = match c.optional_any() {
            None => FactTest::IsTrue,
            Some(op) => {
                let op_span = self.span(&op);
                match op.as_rule() {
                    Rule::equals => FactTest::Equals(self.single_value(op)?),
                    Rule::not_equals => FactTest::NotEquals(self.single_value(op)?),
                    Rule::in_set => FactTest::In(self.set_operand(op)?),
                    Rule::not_in_set => FactTest::NotIn(self.set_operand(op)?),
                    other => {
                        return Err(self.unexpected(op_span, format!("{other:?} as a comparison")));
                    }
                }
            }
        };
        c.end()?;
        Ok(Spanned::new(Condition::Test { fact, test }, span))
    }

    fn single_value(&self, pair: Pair<Rule>) -> Result<Spanned<Value>> {
        let mut c = self.children(pair);
        let value = self.value(c.next(Rule::value)?)?;
        c.end()?;
        Ok(value)
    }

    fn set_operand(&self, pair: Pair<Rule>) -> Result<Vec<Spanned<Value>>> {
        let mut c = self.children(pair);
        c.skip(Rule::kw_not);
        c.skip(Rule::kw_in);
        let set = self.value_set(c.next(Rule::value_set)?)?;
        c.end()?;
        Ok(set)
    }

    fn value_set(&self, pair: Pair<Rule>) -> Result<Vec<Spanned<Value>>> {
        self.children(pair).rest().map(|v| self.value(v)).collect()
    }
}
