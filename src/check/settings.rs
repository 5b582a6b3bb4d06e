//! Checking tenant settings: each role declared once, sections, rows and levels known, every
//! (section, row) and every item given at most once, and every additional address valid.

use super::Checker;
use super::messages::unknown_keyword;
use crate::address;
use crate::diagnostic::{Code, Diagnostic};
use crate::policy::ids;
use crate::ruleset::shape::RuleShape;
use crate::ruleset::tenant::{Level, NotificationPolicy, RowSetting};
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
                member: role.map(|r| r == ast::GroupRole::Member),
            },
            ast::SettingsTarget::AzureRole { scope } => {
                if ids::arm_scope(&scope.node).is_none() {
                    self.report(
                        Diagnostic::error(
                            Code::E020,
                            format!("`{}` is not an Azure scope", scope.node.escape_debug()),
                        )
                        .at(scope.span, "not a scope")
                        .help(
                            "a scope is `/providers/Microsoft.Management/managementGroups/NAME`, \
                             `/subscriptions/ID`, `/subscriptions/ID/resourceGroups/NAME` or a \
                             resource id under a resource group",
                        ),
                    );
                }
                RoleTarget::AzureRole {
                    scope: scope.node.clone(),
                }
            }
        };
        let mut settings = RoleSettings {
            name: decl.name.node.clone(),
            span,
            target,
            role_id: None,
            group_id: None,
            policy_id: None,
            approval_required: None,
            shape: None,
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
                    *slot = Some(value.clone());
                    self.once_per_declaration(Code::E005, &mut seen, word, clause.span);
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
                    } else if let Some(problem) = id_problem(*kind, &value.node, &settings.target) {
                        self.report(
                            Diagnostic::error(
                                Code::E020,
                                format!("`{}` is not {problem}", value.node.escape_debug()),
                            )
                            .at(value.span, format!("not a valid `{word}`"))
                            .help(id_help(*kind, &settings.target)),
                        );
                    }
                }
                ast::SettingsClause::Approval(required) => {
                    settings.approval_required = Some(*required);
                    self.once_per_declaration(Code::E005, &mut seen, "approval", clause.span);
                }
                ast::SettingsClause::Shape(json) => {
                    self.once_per_declaration(Code::E005, &mut seen, "rule-shape", clause.span);
                    settings.shape = self.shape(json);
                }
                ast::SettingsClause::Setting {
                    section,
                    row,
                    items,
                } => {
                    let Some((section, row, setting, shape)) =
                        self.setting_line(section, row, items)
                    else {
                        continue;
                    };
                    if let Some(first) = settings
                        .lines
                        .iter()
                        .find(|l| (l.section, l.row) == (section, row))
                    {
                        self.report(
                            Diagnostic::error(
                                Code::E005,
                                format!("`{} {}` is set twice", section.keyword(), row.keyword()),
                            )
                            .at(clause.span, "set again here")
                            .also(first.span, "first set here"),
                        );
                        continue;
                    }
                    settings.lines.push(SettingLine {
                        section,
                        row,
                        span: clause.span,
                        shape,
                    });
                    settings.policy.settings.insert((section, row), setting);
                }
            }
        }
        settings
    }

    /// A `rule-shape` or `shape`: a JSON object that restates nothing the settings say.
    fn shape(&mut self, json: &Spanned<String>) -> Option<Spanned<RuleShape>> {
        let fields = match serde_json::from_str::<serde_json::Value>(&json.node) {
            Ok(serde_json::Value::Object(fields)) => fields,
            Ok(_) | Err(_) => {
                self.report(
                    Diagnostic::error(Code::E016, "a rule shape must be a JSON object")
                        .at(json.span, "not an object"),
                );
                return None;
            }
        };
        let shape = RuleShape { fields };
        if let Some(problem) = shape.problem() {
            self.report(
                Diagnostic::error(Code::E016, format!("invalid rule shape: {problem}"))
                    .at(json.span, "in this shape")
                    .help("a shape holds only the rule's fields that pimrules does not interpret"),
            );
            return None;
        }
        Some(Spanned::new(shape, json.span))
    }

    /// One `SECTION ROW: items` line, over Graph's defaults.
    fn setting_line(
        &mut self,
        section: &ast::Name,
        row: &ast::Name,
        items: &[Spanned<ast::SettingItem>],
    ) -> Option<(
        PolicySection,
        PolicyRow,
        RowSetting,
        Option<Spanned<RuleShape>>,
    )> {
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
        let mut shape = None;
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
                ast::SettingItem::Shape(json) => {
                    shape = self.shape(json);
                    "shape"
                }
            };
            self.once_per_declaration(Code::E005, &mut seen, word, item.span);
        }
        Some((section_id?, row_id?, setting, shape))
    }
}

/// What an id of this kind must be for this kind of role, when `value` is not that.
fn id_problem(kind: ast::IdKind, value: &str, target: &RoleTarget) -> Option<&'static str> {
    let azure = matches!(target, RoleTarget::AzureRole { .. });
    let valid = match kind {
        ast::IdKind::Group => ids::is_uuid(value),
        ast::IdKind::Role if azure => ids::is_role_definition_id(value),
        ast::IdKind::Role => ids::is_uuid(value),
        ast::IdKind::Policy if azure => ids::is_arm_policy_id(value),
        ast::IdKind::Policy => ids::is_graph_policy_id(value),
    };
    if valid {
        return None;
    }
    Some(match kind {
        ast::IdKind::Group => "a group's object id (a UUID)",
        ast::IdKind::Role if azure => "a scoped Azure role definition id",
        ast::IdKind::Role => "a role definition id (a UUID)",
        ast::IdKind::Policy if azure => "an Azure role management policy id",
        ast::IdKind::Policy => "a Graph policy id",
    })
}

fn id_help(kind: ast::IdKind, target: &RoleTarget) -> &'static str {
    let azure = matches!(target, RoleTarget::AzureRole { .. });
    match kind {
        ast::IdKind::Group => "a group id looks like `7a1c2f3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b`",
        ast::IdKind::Role if azure => {
            "write it as `/subscriptions/ID/providers/Microsoft.Authorization/roleDefinitions/UUID` \
             (or without the scope)"
        }
        ast::IdKind::Role => {
            "an Entra role is named by its role definition id, e.g. Global Administrator's \
             `62e90394-69f5-4237-9190-012177145e10`"
        }
        ast::IdKind::Policy if azure => {
            "write the policy's resource id, `SCOPE/providers/Microsoft.Authorization/\
             roleManagementPolicies/UUID`, or its name (the UUID)"
        }
        ast::IdKind::Policy => {
            "a Graph policy id is letters, digits, `_`, `-` and `.`, e.g. `DirectoryRole_…`"
        }
    }
}
