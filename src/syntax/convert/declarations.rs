//! The header (`ruleset`, `sender`, `subject-prefix`, `max-recipients`, `use`) and the
//! vocabulary (`scope`, `recipient`, `event`, `fact`, `template`): pest pairs → declarations.

use super::{Converter, Result};
use crate::syntax::Rule;
use crate::syntax::ast::*;
use pest::iterators::Pair;

impl Converter {
    // ----- header -----

    pub(super) fn ruleset_decl(&self, pair: Pair<Rule>) -> Result<RuleSetDecl> {
        let mut c = self.children(pair);
        let name = self.string(c.next(Rule::string)?)?;
        let version = c
            .optional(Rule::string)
            .map(|p| self.string(p))
            .transpose()?;
        c.end()?;
        Ok(RuleSetDecl { name, version })
    }

    pub(super) fn sender_decl(&self, pair: Pair<Rule>) -> Result<SenderDecl> {
        let mut c = self.children(pair);
        let display_name = self.string(c.next(Rule::string)?)?;
        let address = self.address(c.next(Rule::address)?);
        c.end()?;
        Ok(SenderDecl {
            display_name,
            address,
        })
    }

    pub(super) fn subject_prefix_decl(&self, pair: Pair<Rule>) -> Result<Spanned<String>> {
        let mut c = self.children(pair);
        let prefix = self.string(c.next(Rule::string)?)?;
        c.end()?;
        Ok(prefix)
    }

    pub(super) fn max_recipients_decl(&self, pair: Pair<Rule>) -> Result<Spanned<Option<u32>>> {
        let mut c = self.children(pair);
        let cap = c.any()?;
        let cap = match cap.as_rule() {
            Rule::integer => {
                let number = self.integer(cap)?;
                Spanned::new(Some(number.node), number.span)
            }
            Rule::unlimited => Spanned::new(None, self.span(&cap)),
            other => {
                let span = self.span(&cap);
                return Err(self.unexpected(span, format!("{other:?} as a recipient cap")));
            }
        };
        c.end()?;
        Ok(cap)
    }

    pub(super) fn use_decl(&self, pair: Pair<Rule>) -> Result<Spanned<String>> {
        let mut c = self.children(pair);
        let path = self.string(c.next(Rule::string)?)?;
        c.end()?;
        Ok(path)
    }

    // ----- vocabulary -----

    pub(super) fn scope_decl(&self, pair: Pair<Rule>) -> Result<ScopeDecl> {
        let mut c = self.children(pair);
        let name = self.ident(c.next(Rule::ident)?);
        let label = self.string(c.next(Rule::string)?)?;
        c.end()?;
        Ok(ScopeDecl { name, label })
    }

    pub(super) fn recipient_decl(&self, pair: Pair<Rule>) -> Result<RecipientDecl> {
        let mut c = self.children(pair);
        let name = self.ident(c.next(Rule::ident)?);
        let label = self.string(c.next(Rule::string)?)?;
        let mut options = Vec::new();
        for option in c.rest() {
            let span = self.span(&option);
            let node = match option.as_rule() {
                Rule::row_option => self.row_option(option)?,
                Rule::activated_option => RecipientOption::WhileActivated,
                Rule::policy_option => RecipientOption::FromPolicy,
                other => return Err(self.unexpected(span, format!("{other:?} in a recipient"))),
            };
            options.push(Spanned::new(node, span));
        }
        Ok(RecipientDecl {
            name,
            label,
            options,
        })
    }

    fn row_option(&self, pair: Pair<Rule>) -> Result<RecipientOption> {
        let mut c = self.children(pair);
        let row = self.ident(c.next(Rule::ident)?);
        c.end()?;
        Ok(RecipientOption::Row(row))
    }

    pub(super) fn event_decl(&self, pair: Pair<Rule>) -> Result<EventDecl> {
        let mut c = self.children(pair);
        let name = self.ident(c.next(Rule::ident)?);
        let label = self.string(c.next(Rule::string)?)?;
        let mut options = Vec::new();
        for option in c.rest() {
            let span = self.span(&option);
            let node = match option.as_rule() {
                Rule::critical_flag => EventOption::Critical,
                Rule::section_clause => EventOption::Section(self.section_clause(option)?),
                Rule::occurs_clause => {
                    let mut c = self.children(option);
                    c.skip(Rule::kw_in);
                    let scopes = self.ident_list(c.next(Rule::ident_list)?)?;
                    c.end()?;
                    EventOption::OccursIn(scopes)
                }
                other => return Err(self.unexpected(span, format!("{other:?} in an event"))),
            };
            options.push(Spanned::new(node, span));
        }
        Ok(EventDecl {
            name,
            label,
            options,
        })
    }

    fn section_clause(&self, pair: Pair<Rule>) -> Result<SectionSpec> {
        let mut c = self.children(pair);
        let child = c.any()?;
        let spec = match child.as_rule() {
            Rule::ident => SectionSpec::Fixed(self.ident(child)),
            Rule::section_by_fact => self.section_by_fact(child)?,
            other => {
                let span = self.span(&child);
                return Err(self.unexpected(span, format!("{other:?} in a section")));
            }
        };
        c.end()?;
        Ok(spec)
    }

    fn section_by_fact(&self, pair: Pair<Rule>) -> Result<SectionSpec> {
        let mut c = self.children(pair);
        let fact = self.ident(c.next(Rule::ident)?);
        let cases = c
            .rest()
            .map(|case| self.section_case(case))
            .collect::<Result<Vec<_>>>()?;
        Ok(SectionSpec::ByFact { fact, cases })
    }

    fn section_case(&self, pair: Pair<Rule>) -> Result<(Spanned<Value>, Name)> {
        self.expect_rule(&pair, Rule::section_case)?;
        let mut c = self.children(pair);
        let value = self.value(c.next(Rule::value)?)?;
        let section = self.ident(c.next(Rule::ident)?);
        c.end()?;
        Ok((value, section))
    }

    pub(super) fn fact_decl(&self, pair: Pair<Rule>) -> Result<FactDecl> {
        let mut c = self.children(pair);
        let name = self.ident(c.next(Rule::ident)?);
        let domain_pair = c.any()?;
        let domain_span = self.span(&domain_pair);
        let domain = match domain_pair.as_rule() {
            Rule::bool_type => FactDomain::Bool,
            Rule::enum_type => FactDomain::Enum(self.enum_type(domain_pair)?),
            other => return Err(self.unexpected(domain_span, format!("{other:?} as a fact type"))),
        };
        let default = c.optional(Rule::value).map(|v| self.value(v)).transpose()?;
        c.end()?;
        Ok(FactDecl {
            name,
            domain: Spanned::new(domain, domain_span),
            default,
        })
    }

    fn enum_type(&self, pair: Pair<Rule>) -> Result<Vec<Name>> {
        self.children(pair)
            .rest()
            .map(|p| {
                self.expect_rule(&p, Rule::ident)?;
                Ok(self.ident(p))
            })
            .collect()
    }

    pub(super) fn template_decl(&self, pair: Pair<Rule>) -> Result<TemplateDecl> {
        let mut c = self.children(pair);
        let name = self.ident(c.next(Rule::ident)?);
        let description = c
            .optional(Rule::string)
            .map(|p| self.string(p))
            .transpose()?;
        c.end()?;
        Ok(TemplateDecl { name, description })
    }
}
