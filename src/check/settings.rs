//! Checking tenant settings: each role declared once, sections, rows and levels known, every
//! (section, row) and every item given at most once, and every additional address valid.

use super::{Checker, unknown_keyword};
use crate::address;
use crate::diagnostic::{Code, Diagnostic};
use crate::policy::{Level, NotificationPolicy, RowSetting};
use crate::ruleset::*;
use crate::source::Span;
use crate::syntax::ast::{self, Item, Spanned};

impl Checker {
    pub(super) fn settings(&mut self, items: &[&Spanned<Item>]) -> Vec<RoleSettings> {
        let mut all = Vec::new();
        for item in items {
            let Item::Settings(decl) = &item.node else {
                continue;
            };
            let name = Spanned::new(decl.name.node.clone(), decl.name.span);
            let declared = self.settings_names.declare(&name).map_err(|d| Diagnostic {
                help: vec!["a role has one settings block; name group roles apart, e.g. \"Finance (owner)\"".into()],
                ..d
            });
            if self.report_err(declared).is_some() {
                all.push(self.role_settings(decl, item.span));
            }
        }
        all
    }

    fn role_settings(&mut self, decl: &ast::SettingsDecl, span: Span) -> RoleSettings {
        let target = match &decl.target.node {
            ast::SettingsTarget::EntraRole => RoleTarget::EntraRole,
            ast::SettingsTarget::Group(role) => RoleTarget::Group {
                member: *role == ast::GroupRole::Member,
            },
            ast::SettingsTarget::AzureRole { scope } => RoleTarget::AzureRole {
                scope: scope.node.clone(),
            },
        };
        let mut settings = RoleSettings {
            name: decl.name.node.clone(),
            span,
            target,
            role_id: None,
            group_id: None,
            policy_id: None,
            approval_required: None,
            policy: NotificationPolicy::default(),
            lines: Vec::new(),
        };
        let mut seen = Vec::new();
        for clause in &decl.clauses {
            match &clause.node {
                ast::SettingsClause::Id { kind, value } => {
                    let (word, slot) = match kind {
                        ast::IdKind::Role => ("role-id", &mut settings.role_id),
                        ast::IdKind::Group => ("group-id", &mut settings.group_id),
                        ast::IdKind::Policy => ("policy-id", &mut settings.policy_id),
                    };
                    *slot = Some(value.node.clone());
                    self.once_per_declaration(&mut seen, word, clause.span);
                    let fits = match kind {
                        ast::IdKind::Role => !matches!(settings.target, RoleTarget::Group { .. }),
                        ast::IdKind::Group => matches!(settings.target, RoleTarget::Group { .. }),
                        ast::IdKind::Policy => true,
                    };
                    if !fits {
                        self.report(
                            Diagnostic::error(
                                Code::E007,
                                format!("`{word}` does not fit this kind of role"),
                            )
                            .at(clause.span, "wrong kind of id")
                            .help("groups have a `group-id`; Entra and Azure roles a `role-id`"),
                        );
                    }
                }
                ast::SettingsClause::Approval(required) => {
                    settings.approval_required = Some(*required);
                    self.once_per_declaration(&mut seen, "approval", clause.span);
                }
                ast::SettingsClause::Setting {
                    section,
                    row,
                    items,
                } => {
                    if let Some((section, row, setting)) = self.setting_line(section, row, items) {
                        if let Some((.., first)) = settings
                            .lines
                            .iter()
                            .find(|(s, r, _)| (*s, *r) == (section, row))
                        {
                            self.report(
                                Diagnostic::error(
                                    Code::E005,
                                    format!(
                                        "`{} {}` is set twice",
                                        section.keyword(),
                                        row.keyword()
                                    ),
                                )
                                .at(clause.span, "set again here")
                                .also(*first, "first set here"),
                            );
                            continue;
                        }
                        settings.lines.push((section, row, clause.span));
                        settings.policy.settings.insert((section, row), setting);
                    }
                }
            }
        }
        settings
    }

    /// One `SECTION ROW: items` line, over Graph's defaults.
    fn setting_line(
        &mut self,
        section: &ast::Name,
        row: &ast::Name,
        items: &[Spanned<ast::SettingItem>],
    ) -> Option<(PolicySection, PolicyRow, RowSetting)> {
        let section_id = PolicySection::from_keyword(&section.node);
        if section_id.is_none() {
            self.report(unknown_keyword(
                "policy section",
                section,
                PolicySection::ALL.iter().map(|s| s.keyword()),
            ));
        }
        let row_id = PolicyRow::from_keyword(&row.node);
        if row_id.is_none() {
            self.report(unknown_keyword(
                "policy row",
                row,
                PolicyRow::ALL.iter().map(|r| r.keyword()),
            ));
        }
        let mut setting = RowSetting::default();
        let mut seen = Vec::new();
        for item in items {
            let word = match &item.node {
                ast::SettingItem::Level(level) => {
                    match Level::ALL.into_iter().find(|l| l.keyword() == level.node) {
                        Some(l) => setting.level = l,
                        None => self.report(unknown_keyword(
                            "level",
                            level,
                            Level::ALL.iter().map(|l| l.keyword()),
                        )),
                    }
                    "level"
                }
                ast::SettingItem::DefaultRecipients(on) => {
                    setting.default_recipients = *on;
                    "default-recipients"
                }
                ast::SettingItem::Additional(addresses) => {
                    for address in addresses {
                        if !address::is_valid(&address.node) {
                            self.report(
                                Diagnostic::error(
                                    Code::E010,
                                    format!(
                                        "invalid additional recipient `{}`",
                                        address.node.escape_debug()
                                    ),
                                )
                                .at(address.span, "not an email address")
                                .help("write it as `local@domain.tld`"),
                            );
                        }
                    }
                    setting.additional = addresses.iter().map(|a| a.node.clone()).collect();
                    "additional"
                }
            };
            self.once_per_declaration(&mut seen, word, item.span);
        }
        Some((section_id?, row_id?, setting))
    }
}
