//! The one printer of conditions: the grammar's precedence (`or` loosest, then `and`, then `not`)
//! and the parentheses that make a printed condition read back to the same tree.
//!
//! Three kinds of condition are printed: the AST's (`fmt`), the checked rule set's (`explain`,
//! `table --format json`, `lint`) and regions of cubes (`table`, `diff`, `plan`, `lint`). Each
//! is turned into a [`ConditionText`], the shape the grammar reads, and printed here; only the
//! turning-into lives with its type.

use std::borrow::Cow;
use std::fmt;

/// A condition in the shape the grammar reads, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionText<'a> {
    /// `a or b`; with one operand, that operand; with none, `never`
    Any(Vec<ConditionText<'a>>),
    /// `a and b`; with one operand, that operand; with none, `always`
    All(Vec<ConditionText<'a>>),
    Not(Box<ConditionText<'a>>),
    Test(FactTestText<'a>),
}

/// A test of one fact: `fact`, `fact == v`, `fact != v`, `fact in {v, w}`, `fact not in {v, w}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactTestText<'a> {
    pub fact: Cow<'a, str>,
    pub operator: Operator,
    /// the value of `==` and `!=` (the first), or the set of `in` and `not in`
    pub values: Vec<Cow<'a, str>>,
}

/// How a fact is tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    IsTrue,
    Equals,
    NotEquals,
    In,
    NotIn,
}

impl ConditionText<'_> {
    /// Whether the condition needs parentheses as an operand of `and`, `or` or `not`: only `and`
    /// and `or` of several operands do, since `not` binds tighter than both.
    fn is_compound(&self) -> bool {
        matches!(self, ConditionText::Any(parts) | ConditionText::All(parts) if parts.len() > 1)
    }

    /// The condition as an operand of `and` or `or`: parenthesised if it is compound.
    pub fn as_operand(&self) -> Operand<'_, '_> {
        Operand(self)
    }
}

/// A condition printed as an operand; see [`ConditionText::as_operand`].
pub struct Operand<'c, 'a>(&'c ConditionText<'a>);

impl fmt::Display for Operand<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_compound() {
            write!(f, "({})", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl fmt::Display for ConditionText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConditionText::Any(parts) | ConditionText::All(parts) => {
                let (joiner, empty) = if matches!(self, ConditionText::Any(_)) {
                    (" or ", "never")
                } else {
                    (" and ", "always")
                };
                match parts.as_slice() {
                    [] => f.write_str(empty),
                    [one] => one.fmt(f),
                    _ => {
                        for (i, part) in parts.iter().enumerate() {
                            if i > 0 {
                                f.write_str(joiner)?;
                            }
                            part.as_operand().fmt(f)?;
                        }
                        Ok(())
                    }
                }
            }
            ConditionText::Not(inner) => write!(f, "not {}", inner.as_operand()),
            ConditionText::Test(test) => test.fmt(f),
        }
    }
}

impl fmt::Display for FactTestText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fact = &self.fact;
        let first = self.values.first().map_or("?", |v| v.as_ref());
        let set = || self.values.join(", ");
        match self.operator {
            Operator::IsTrue => f.write_str(fact),
            Operator::Equals => write!(f, "{fact} == {first}"),
            Operator::NotEquals => write!(f, "{fact} != {first}"),
            Operator::In => write!(f, "{fact} in {{{}}}", set()),
            Operator::NotIn => write!(f, "{fact} not in {{{}}}", set()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test(fact: &str, operator: Operator, values: &[&'static str]) -> ConditionText<'static> {
        ConditionText::Test(FactTestText {
            fact: Cow::Owned(fact.to_owned()),
            operator,
            values: values.iter().map(|v| Cow::Borrowed(*v)).collect(),
        })
    }

    #[test]
    fn only_compound_operands_are_parenthesised() {
        use ConditionText::*;
        let a = test("a", Operator::IsTrue, &[]);
        let b = test("b", Operator::Equals, &["x"]);
        let c = test("c", Operator::NotIn, &["x", "y"]);
        let condition = Any(vec![
            All(vec![a.clone(), Not(Box::new(b.clone()))]),
            Not(Box::new(Not(Box::new(c.clone())))),
            Not(Box::new(Any(vec![a.clone(), b.clone()]))),
            All(vec![c.clone()]),
            All(vec![]),
        ]);
        assert_eq!(
            condition.to_string(),
            "(a and not b == x) or not not c not in {x, y} or not (a or b == x) \
             or c not in {x, y} or always"
        );
        assert_eq!(Any(vec![]).to_string(), "never");
        assert_eq!(test("d", Operator::Equals, &[]).to_string(), "d == ?");
    }
}
