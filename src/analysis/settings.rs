//! Lint of tenant settings: additional recipients that can never receive anything (on a row at
//! level `none`, or an approver row of a role without approval) and addresses listed twice.

use super::{Code, Context, Finding, Subject};
use crate::diagnostic::Label;
use crate::ruleset::PolicyRow;
use crate::ruleset::tenant::Level;

pub(super) fn check(context: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, role) in context.rule_set.settings.iter().enumerate() {
        for line in &role.lines {
            let (section, row, span) = (&line.section, &line.row, &line.span);
            let setting = role.policy.get(*section, *row);
            let line = format!(
                "`{} {}` of \"{}\"",
                section.keyword(),
                row.keyword(),
                role.name
            );
            let mut report = |code: Code, message: String, label: &str| {
                let mut finding = context.finding(
                    code,
                    message,
                    Label {
                        span: *span,
                        message: label.to_owned(),
                    },
                    Subject::Settings { role: index },
                );
                finding.items = vec![role.span, *span];
                findings.push(finding);
            };
            if setting.level == Level::None && !setting.additional.is_empty() {
                report(
                    Code::W008,
                    format!("{line} has additional recipients but level `none`"),
                    "this row sends nothing, to anyone",
                );
            }
            if *row == PolicyRow::Approver
                && role.approval_required == Some(false)
                && !setting.additional.is_empty()
            {
                report(
                    Code::W009,
                    format!("{line} has additional recipients, but the role needs no approval"),
                    "no approval email is ever sent",
                );
            }
            let mut seen: Vec<String> = Vec::new();
            for address in &setting.additional {
                let lower = address.to_lowercase();
                if seen.contains(&lower) {
                    report(
                        Code::W010,
                        format!("{line} lists `{address}` twice"),
                        "the address appears again in this line",
                    );
                } else {
                    seen.push(lower);
                }
            }
        }
    }
    findings
}
