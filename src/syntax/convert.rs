//! pest pairs → AST nodes: one function per grammar rule, each checking the shape it receives,
//! so that a pair tree the converter does not expect becomes a diagnostic, never a panic.

use super::ast::*;
use super::keywords::{self, Role};
use super::{MAX_NESTING, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::iterators::{Pair, Pairs};
use std::iter::Peekable;

type Result<T> = std::result::Result<T, Diagnostic>;

/// Converts the pairs of one parsed segment; `base` is the segment's offset in its file.
pub(super) struct Converter {
    file: FileId,
    base: usize,
}

impl Converter {
    pub(super) fn new(file: FileId, base: usize) -> Self {
        Converter { file, base }
    }

    /// The pair's span without the whitespace and comments pest lets a rule end with.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        let start = self.base + s.start();
        Span::new(
            self.file,
            start..start + without_trailing_trivia(s.as_str()).len(),
        )
    }

    fn children<'i>(&self, pair: Pair<'i, Rule>) -> Children<'_, 'i> {
        Children {
            converter: self,
            parent: self.span(&pair),
            parent_rule: pair.as_rule(),
            pairs: pair.into_inner().peekable(),
        }
    }

    fn unexpected(&self, span: Span, what: impl std::fmt::Display) -> Diagnostic {
        Diagnostic::error(Code::E000, format!("unexpected syntax tree: {what}"))
            .at(span, "pimrules could not read this")
            .help("this is a bug in pimrules; please report it with this file")
    }

    /// `next_item`: one item, or `None` at the end of the file.
    pub(super) fn next_item(&self, pair: Pair<Rule>) -> Result<Option<Spanned<Item>>> {
        let mut children = self.children(pair);
        let child = children.any()?;
        match child.as_rule() {
            Rule::end_of_file => Ok(None),
            _ => self.item(child).map(Some),
        }
    }

    fn item(&self, pair: Pair<Rule>) -> Result<Spanned<Item>> {
        let span = self.span(&pair);
        let item = match pair.as_rule() {
            Rule::ruleset_decl => Item::RuleSet(self.ruleset_decl(pair)?),
            Rule::sender_decl => Item::Sender(self.sender_decl(pair)?),
            Rule::subject_prefix_decl => Item::SubjectPrefix(self.subject_prefix_decl(pair)?),
            Rule::max_recipients_decl => Item::MaxRecipients(self.max_recipients_decl(pair)?),
            Rule::use_decl => Item::Use(self.use_decl(pair)?),
            Rule::scope_decl => Item::Scope(self.scope_decl(pair)?),
            Rule::recipient_decl => Item::Recipient(self.recipient_decl(pair)?),
            Rule::event_decl => Item::Event(self.event_decl(pair)?),
            Rule::fact_decl => Item::Fact(self.fact_decl(pair)?),
            Rule::template_decl => Item::Template(self.template_decl(pair)?),
            Rule::rule_decl => Item::Rule(self.rule_decl(pair)?),
            Rule::test_decl => Item::Test(self.test_decl(pair)?),
            Rule::settings_decl => Item::Settings(self.settings_decl(pair)?),
            other => return Err(self.unexpected(span, format!("{other:?} as an item"))),
        };
        Ok(Spanned::new(item, span))
    }

    // ----- header -----

    fn ruleset_decl(&self, pair: Pair<Rule>) -> Result<RuleSetDecl> {
        let mut c = self.children(pair);
        let name = self.string(c.next(Rule::string)?)?;
        let version = c
            .optional(Rule::string)
            .map(|p| self.string(p))
            .transpose()?;
        c.end()?;
        Ok(RuleSetDecl { name, version })
    }

    fn sender_decl(&self, pair: Pair<Rule>) -> Result<SenderDecl> {
        let mut c = self.children(pair);
        let display_name = self.string(c.next(Rule::string)?)?;
        let address = self.address(c.next(Rule::address)?);
        c.end()?;
        Ok(SenderDecl {
            display_name,
            address,
        })
    }

    fn subject_prefix_decl(&self, pair: Pair<Rule>) -> Result<Spanned<String>> {
        let mut c = self.children(pair);
        let prefix = self.string(c.next(Rule::string)?)?;
        c.end()?;
        Ok(prefix)
    }

    fn max_recipients_decl(&self, pair: Pair<Rule>) -> Result<Spanned<Option<u32>>> {
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

    fn use_decl(&self, pair: Pair<Rule>) -> Result<Spanned<String>> {
        let mut c = self.children(pair);
        let path = self.string(c.next(Rule::string)?)?;
        c.end()?;
        Ok(path)
    }

    // ----- vocabulary -----

    fn scope_decl(&self, pair: Pair<Rule>) -> Result<ScopeDecl> {
        let mut c = self.children(pair);
        let name = self.ident(c.next(Rule::ident)?);
        let label = self.string(c.next(Rule::string)?)?;
        c.end()?;
        Ok(ScopeDecl { name, label })
    }

    fn recipient_decl(&self, pair: Pair<Rule>) -> Result<RecipientDecl> {
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

    fn event_decl(&self, pair: Pair<Rule>) -> Result<EventDecl> {
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

    fn fact_decl(&self, pair: Pair<Rule>) -> Result<FactDecl> {
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

    fn template_decl(&self, pair: Pair<Rule>) -> Result<TemplateDecl> {
        let mut c = self.children(pair);
        let name = self.ident(c.next(Rule::ident)?);
        let description = c
            .optional(Rule::string)
            .map(|p| self.string(p))
            .transpose()?;
        c.end()?;
        Ok(TemplateDecl { name, description })
    }

    // ----- rules -----

    fn rule_decl(&self, pair: Pair<Rule>) -> Result<RuleDecl> {
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

    /// A clause whose only content is a list of names (`notify a, b`, `expect a, b`).
    fn single_ident_list(&self, pair: Pair<Rule>) -> Result<Vec<Name>> {
        let mut c = self.children(pair);
        let list = self.ident_list(c.next(Rule::ident_list)?)?;
        c.end()?;
        Ok(list)
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

    fn value(&self, pair: Pair<Rule>) -> Result<Spanned<Value>> {
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

    // ----- tenant settings -----

    fn settings_decl(&self, pair: Pair<Rule>) -> Result<SettingsDecl> {
        let mut c = self.children(pair);
        let name = self.string(c.next(Rule::string)?)?;
        let target_pair = c.any()?;
        let target_span = self.span(&target_pair);
        let target = match target_pair.as_rule() {
            Rule::entra_target => SettingsTarget::EntraRole,
            Rule::group_target => {
                SettingsTarget::Group(target_pair.into_inner().find_map(|p| match p.as_rule() {
                    Rule::kw_member => Some(GroupRole::Member),
                    Rule::kw_owner => Some(GroupRole::Owner),
                    _ => None,
                }))
            }
            Rule::azure_target => {
                let mut inner = self.children(target_pair);
                let scope = self.string(inner.next(Rule::string)?)?;
                inner.end()?;
                SettingsTarget::AzureRole { scope }
            }
            other => {
                return Err(self.unexpected(target_span, format!("{other:?} as a settings target")));
            }
        };
        let mut clauses = Vec::new();
        for clause in c.rest() {
            let span = self.span(&clause);
            let node = match clause.as_rule() {
                Rule::id_clause => self.id_clause(clause)?,
                Rule::approval_clause => SettingsClause::Approval(
                    clause
                        .into_inner()
                        .any(|p| p.as_rule() == Rule::kw_required),
                ),
                Rule::shape_clause => SettingsClause::Shape(self.json(clause)?),
                Rule::setting_line => self.setting_line(clause)?,
                other => return Err(self.unexpected(span, format!("{other:?} in settings"))),
            };
            clauses.push(Spanned::new(node, span));
        }
        Ok(SettingsDecl {
            name,
            target: Spanned::new(target, target_span),
            clauses,
        })
    }

    /// The JSON of `rule-shape {…}` or `shape {…}`, as one canonical line.
    fn json(&self, pair: Pair<Rule>) -> Result<Spanned<String>> {
        let mut c = self.children(pair);
        let json = c.next(Rule::json)?;
        c.end()?;
        let span = self.span(&json);
        let text = crate::json_location::canonical_json(json.as_str()).map_err(|e| {
            Diagnostic::error(Code::E001, format!("invalid JSON: {e}"))
                .at(span, "not readable as JSON")
                .help("a shape is one JSON object, as Microsoft Graph or ARM returned it")
        })?;
        Ok(Spanned::new(text, span))
    }

    fn id_clause(&self, pair: Pair<Rule>) -> Result<SettingsClause> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let kind = match inner.next().map(|p| p.as_rule()) {
            Some(Rule::kw_role_id) => IdKind::Role,
            Some(Rule::kw_group_id) => IdKind::Group,
            Some(Rule::kw_policy_id) => IdKind::Policy,
            _ => return Err(self.unexpected(span, "an id clause without its keyword")),
        };
        let Some(value) = inner.next() else {
            return Err(self.unexpected(span, "an id clause without its value"));
        };
        Ok(SettingsClause::Id {
            kind,
            value: self.string(value)?,
        })
    }

    fn setting_line(&self, pair: Pair<Rule>) -> Result<SettingsClause> {
        let mut c = self.children(pair);
        let section = self.ident(c.next(Rule::ident)?);
        let row = self.ident(c.next(Rule::ident)?);
        let mut items = Vec::new();
        for item in c.rest() {
            let span = self.span(&item);
            let node = match item.as_rule() {
                Rule::level_item => {
                    let mut inner = self.children(item);
                    let level = self.ident(inner.next(Rule::ident)?);
                    inner.end()?;
                    SettingItem::Level(level)
                }
                Rule::defaults_item => SettingItem::DefaultRecipients(
                    item.into_inner().any(|p| p.as_rule() == Rule::kw_on),
                ),
                Rule::additional_item => SettingItem::Additional(
                    self.children(item)
                        .rest()
                        .map(|s| self.string(s))
                        .collect::<Result<_>>()?,
                ),
                Rule::shape_item => SettingItem::Shape(self.json(item)?),
                other => return Err(self.unexpected(span, format!("{other:?} in a setting"))),
            };
            items.push(Spanned::new(node, span));
        }
        Ok(SettingsClause::Setting {
            section,
            row,
            items,
        })
    }

    // ----- tests -----

    fn test_decl(&self, pair: Pair<Rule>) -> Result<TestDecl> {
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

    // ----- lexical atoms -----

    fn ident(&self, pair: Pair<Rule>) -> Name {
        Spanned::new(pair.as_str().to_owned(), self.span(&pair))
    }

    fn ident_list(&self, pair: Pair<Rule>) -> Result<Vec<Name>> {
        self.expect_rule(&pair, Rule::ident_list)?;
        self.children(pair)
            .rest()
            .map(|p| {
                self.expect_rule(&p, Rule::ident)?;
                Ok(self.ident(p))
            })
            .collect()
    }

    fn address(&self, pair: Pair<Rule>) -> Spanned<String> {
        Spanned::new(pair.as_str().to_owned(), self.span(&pair))
    }

    fn string(&self, pair: Pair<Rule>) -> Result<Spanned<String>> {
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

    fn integer(&self, pair: Pair<Rule>) -> Result<Spanned<u32>> {
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

    fn expect_rule(&self, pair: &Pair<Rule>, rule: Rule) -> Result<()> {
        if pair.as_rule() == rule {
            Ok(())
        } else {
            Err(self.unexpected(
                self.span(pair),
                format!("{:?} where {rule:?} belongs", pair.as_rule()),
            ))
        }
    }
}

/// `text` without trailing whitespace and `//` comments (which pest counts into a rule that
/// ends in a repetition).
fn without_trailing_trivia(text: &str) -> &str {
    if !text.contains('/') {
        return text.trim_end();
    }
    let mut text = text.trim_end();
    loop {
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        match comment_start(&text[line_start..]) {
            Some(at) if line_start + at > 0 => text = text[..line_start + at].trim_end(),
            _ => return text,
        }
    }
}

/// Where a `//` comment starts in one line, outside strings.
fn comment_start(line: &str) -> Option<usize> {
    super::lexer::tokens(line, 0)
        .find(|token| token.kind == super::lexer::Kind::Comment)
        .map(|token| token.span.start)
}

/// The significant children of a pair (punctuation keywords skipped), read in order.
struct Children<'c, 'i> {
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
    fn any(&mut self) -> Result<Pair<'i, Rule>> {
        self.optional_any().ok_or_else(|| {
            self.converter
                .unexpected(self.parent, format!("{:?} ended early", self.parent_rule))
        })
    }

    fn optional_any(&mut self) -> Option<Pair<'i, Rule>> {
        self.skip_keywords();
        self.pairs.next()
    }

    /// The next child, which must be a `rule`.
    fn next(&mut self, rule: Rule) -> Result<Pair<'i, Rule>> {
        let pair = self.any()?;
        self.converter.expect_rule(&pair, rule)?;
        Ok(pair)
    }

    /// The next child if it is a `rule`.
    fn optional(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        self.skip_keywords();
        if self.pairs.peek().is_some_and(|p| p.as_rule() == rule) {
            self.pairs.next()
        } else {
            None
        }
    }

    /// Skip a child that carries no meaning in this position (`in`, `not` after `expect`).
    fn skip(&mut self, rule: Rule) {
        let _ = self.optional(rule);
    }

    /// All remaining children.
    fn rest(mut self) -> impl Iterator<Item = Pair<'i, Rule>> {
        self.skip_keywords();
        self.pairs.filter(|p| !is_punctuation(p.as_rule()))
    }

    /// There must be nothing left.
    fn end(mut self) -> Result<()> {
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
