//! Check stage: the AST of one program → a [`RuleSet`] with every name resolved, or located
//! diagnostics (unknown names with suggestions, duplicates, type errors, missing header fields).

mod checker;
mod declarations;
mod header;
mod messages;
mod names;
mod rules;
mod settings;

pub(crate) use messages::backticked_all;
pub use names::MAX_SUGGESTIONS;

use crate::diagnostic::{Collected, Diagnostic};
use crate::load::{Loaded, Program};
use crate::ruleset::*;
use crate::source::Span;
use crate::syntax::ast::{Item, Spanned};
use checker::Checker;

/// Check one program. Returns the rule set, or the errors found (capped per file and code).
pub fn check(loaded: &Loaded, program: &Program) -> Result<RuleSet, Vec<Diagnostic>> {
    check_collected(loaded, program).map_err(Collected::into_vec)
}

/// [`check`], its errors still open to more of the same run (capped once, over all stages).
pub(crate) fn check_collected(loaded: &Loaded, program: &Program) -> Result<RuleSet, Collected> {
    let items: Vec<&Spanned<Item>> = loaded
        .modules_of(program)
        .flat_map(|(_, module)| module.items.iter())
        .collect();
    let mut checker = Checker::new(Span::new(program.root, 0..0));
    checker.declare_names(&items);
    let header = checker.header(&items);
    let facts = checker.facts(&items);
    checker.facts = facts;
    let recipients = checker.recipients(&items);
    let events = checker.events(&items);
    let templates = checker.templates(&items);
    let scopes = checker.scopes(&items);
    let rules = checker.rules(&items);
    let settings = checker.settings(&items);
    let tests = checker.tests(&items);
    let Checker {
        diagnostics, facts, ..
    } = checker;
    match header {
        Some(header) if diagnostics.is_empty() => Ok(RuleSet {
            vocabulary: Vocabulary {
                header,
                scopes,
                recipients,
                events,
                facts,
                templates,
            },
            rules,
            tests,
            settings,
        }),
        _ => Err(diagnostics),
    }
}

/// Check only the tenant settings of a program (a settings file needs no rule-set header).
pub fn check_settings(
    loaded: &Loaded,
    program: &Program,
) -> Result<Vec<RoleSettings>, Vec<Diagnostic>> {
    let items: Vec<&Spanned<Item>> = loaded
        .modules_of(program)
        .flat_map(|(_, module)| module.items.iter())
        .collect();
    let mut checker = Checker::new(Span::new(program.root, 0..0));
    let settings = checker.settings(&items);
    if checker.diagnostics.is_empty() {
        Ok(settings)
    } else {
        Err(checker.diagnostics.into_vec())
    }
}
