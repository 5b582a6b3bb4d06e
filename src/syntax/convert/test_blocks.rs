//! `test` blocks: pest pairs → `given`, `policy`, `role` and `expect` clauses.
//! Running the tests against a rule set is the work of `crate::testing`.

use super::{Converter, Result};
use crate::syntax::Rule;
use crate::syntax::ast::*;
use pest::iterators::Pair;

impl Converter {
    pub(super) fn test_decl(&self, pair: Pair<Rule>) -> Result<TestDecl> {
        let mut c = self.children(pair);
        let name = self.string(c.next(Rule::string)?)?;
        let mut clauses = Vec::new();
        for clause in c.rest() {
            let span = self.span(&clause);
            let node = match clause.as_rule() {
                Rule::given_clause => self.given_clause(clause)?,
                Rule::policy_clause => {
                    let mut c = self.children(clause);
                    let path = self.string(c.next(Rule::string)?)?;
                    c.end()?;
                    TestClause::Policy(path)
                }
                Rule::role_clause => {
                    let mut c = self.children(clause);
                    let role = self.string(c.next(Rule::string)?)?;
                    c.end()?;
                    TestClause::Role(role)
                }
                Rule::expect_clause => TestClause::Expect(self.expect_clause(clause)?),
                other => return Err(self.unexpected(span, format!("{other:?} in a test"))),
            };
            clauses.push(Spanned::new(node, span));
        }
        Ok(TestDecl { name, clauses })
    }

    fn given_clause(&self, pair: Pair<Rule>) -> Result<TestClause> {
        let mut c = self.children(pair);
        let event = self.ident(c.next(Rule::ident)?);
        c.skip(Rule::kw_in);
        let scope = self.ident(c.next(Rule::ident)?);
        let facts = c
            .rest()
            .map(|setting| self.fact_setting(setting))
            .collect::<Result<Vec<_>>>()?;
        Ok(TestClause::Given {
            event,
            scope,
            facts,
        })
    }

    fn fact_setting(&self, pair: Pair<Rule>) -> Result<(Name, Spanned<Value>)> {
        self.expect_rule(&pair, Rule::fact_setting)?;
        let mut c = self.children(pair);
        let fact = self.ident(c.next(Rule::ident)?);
        let value = self.value(c.next(Rule::value)?)?;
        c.end()?;
        Ok((fact, value))
    }

    fn expect_clause(&self, pair: Pair<Rule>) -> Result<Expectation> {
        let mut c = self.children(pair);
        let kind = c.any()?;
        let span = self.span(&kind);
        let expectation = match kind.as_rule() {
            Rule::expect_exactly => Expectation::Exactly(self.single_ident_list(kind)?),
            Rule::expect_nobody => Expectation::Nobody,
            Rule::expect_absent => {
                let mut inner = self.children(kind);
                inner.skip(Rule::kw_not);
                let list = self.ident_list(inner.next(Rule::ident_list)?)?;
                inner.end()?;
                Expectation::Absent(list)
            }
            Rule::expect_present => Expectation::Present(self.single_ident_list(kind)?),
            other => return Err(self.unexpected(span, format!("{other:?} in `expect`"))),
        };
        c.end()?;
        Ok(expectation)
    }
}
