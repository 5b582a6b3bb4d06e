//! `settings` blocks (a tenant's PIM settings for one role or group): pest pairs →
//! targets, id and approval clauses, setting lines and canonical JSON shapes.

use super::{Converter, Result};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::Rule;
use crate::syntax::ast::*;
use pest::iterators::Pair;

impl Converter {
    pub(super) fn settings_decl(&self, pair: Pair<Rule>) -> Result<SettingsDecl> {
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
}
