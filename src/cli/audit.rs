//! `pimrules audit TENANT`: a tenant's PIM notification settings checked against a shipped
//! baseline (CISA SCuBA's MS.AAD.7.7v1–7.9v1) by evaluating them with the rule set.

use super::build::{build_rules, single};
use super::policy::{NamesArgs, tenant_settings};
use super::{Exit, RuleArgs, output};
use crate::audit::{self, Requirement, report};
use crate::diagnostic::ColorMode;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The tenant: a Graph or ARM JSON export (as `policy import` reads, e.g. the policy
    /// assignments with their rules expanded) or a .pimrules settings file or folder
    #[arg(value_name = "TENANT")]
    pub tenant: PathBuf,
    /// The baseline to check against
    #[arg(long, value_enum, default_value_t = BaselineArg::Scuba)]
    pub baseline: BaselineArg,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub names: NamesArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BaselineArg {
    /// CISA SCuBA Microsoft Entra ID baseline: MS.AAD.7.7v1, 7.8v1, 7.9v1 (PIM notifications)
    Scuba,
}

impl BaselineArg {
    fn baseline(self) -> &'static audit::Baseline {
        match self {
            BaselineArg::Scuba => &audit::scuba::BASELINE,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// a line per policy and role, and a summary
    Text,
    /// `{"version": 1, "baseline", "results": [...]}`
    Json,
    /// SARIF 2.1.0: a rule per policy, a result per failure
    Sarif,
}

/// Exit 1 when a SHALL policy fails, 0 otherwise; 2 for usage and I/O errors.
pub fn audit(args: &AuditArgs, color: ColorMode) -> Exit {
    let run = || -> Result<Exit, Exit> {
        let build = build_rules(&args.rules.rules, &[], color)?;
        let table = &single(&build)?.table;
        let (sources, tenant) = tenant_settings(&args.tenant, &args.names, color)?;
        let audit = audit::audit(table, args.baseline.baseline(), &tenant).map_err(|e| {
            output::error(e);
            Exit::Usage
        })?;
        let text = match args.format {
            Format::Text => report::text(&audit, &sources),
            Format::Json => report::json(&audit, &sources),
            Format::Sarif => report::sarif(&audit, &sources),
        };
        match args.format {
            Format::Text => output::print_text(&text)?,
            Format::Json | Format::Sarif => output::print(&text)?,
        }
        Ok(if audit.failed(Requirement::Shall) > 0 {
            Exit::Findings
        } else {
            Exit::Success
        })
    };
    run().unwrap_or_else(|exit| exit)
}
