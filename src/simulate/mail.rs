//! From dispatches to emails: each dispatch's instance rendered by the rule set that sends it,
//! through the one email pipeline of `render` (decision, policy, recipients, words, MIME).

use super::{APPROVED_BEFORE_FIRST_EMAIL, Cause, Dispatch};
use crate::eval::Evaluator;
use crate::instance::{Instance, InstanceError};
use crate::render::locale::LocaleCatalogue;
use crate::render::{self, Rendering};
use crate::ruleset::Vocabulary;
use crate::table::DecisionTable;
use std::borrow::Cow;

/// The rule sets of a simulation, each evaluated through one [`Evaluator`] and worded with
/// the catalogue of the chosen locale.
pub struct Mailer<'a> {
    rule_sets: Vec<(Evaluator<'a>, &'a LocaleCatalogue)>,
}

impl<'a> Mailer<'a> {
    /// `rule_sets` in the order the log's `rule_set` indexes refer to them.
    pub fn new(rule_sets: Vec<(&'a DecisionTable, &'a LocaleCatalogue)>) -> Self {
        Mailer {
            rule_sets: rule_sets
                .into_iter()
                .map(|(table, catalogue)| (Evaluator::new(table), catalogue))
                .collect(),
        }
    }

    /// The vocabulary of the rule set with this index.
    pub fn vocabulary(&self, rule_set: usize) -> Option<&'a Vocabulary> {
        self.rule_sets
            .get(rule_set)
            .map(|(evaluator, _)| &evaluator.table().vocabulary)
    }

    /// The emails of a dispatch. `None` when its rule set does not declare its event or scope
    /// (a rule set without `role-expiring` sends no reminders), or when a request approved
    /// before its first email left has a rule set without `approved-before-first-email` (the
    /// first email "isn't triggered"). People of classes the rule set does not declare (from
    /// a directory shared by several rule sets) are left out.
    pub fn render(&self, dispatch: &Dispatch) -> Result<Option<Rendering>, InstanceError> {
        let Some((evaluator, catalogue)) = self.rule_sets.get(dispatch.rule_set) else {
            return Ok(None);
        };
        let v = &evaluator.table().vocabulary;
        let instance = &dispatch.instance;
        if v.event(&instance.event).is_none() || v.scope(&instance.scope).is_none() {
            return Ok(None);
        }
        let mut instance = Cow::Borrowed(instance);
        if instance
            .people
            .iter()
            .any(|(class, _)| v.class(class).is_none())
        {
            instance
                .to_mut()
                .people
                .retain(|(class, _)| v.class(class).is_some());
        }
        if let Cause::PendingApproval {
            approved_first: true,
            ..
        } = dispatch.cause
        {
            if v.fact(APPROVED_BEFORE_FIRST_EMAIL).is_none() {
                return Ok(None);
            }
            set_fact(instance.to_mut(), APPROVED_BEFORE_FIRST_EMAIL, "true");
        }
        render::render_with(evaluator, catalogue, &instance, dispatch.at).map(Some)
    }
}

/// Set `fact` to `value` in an instance, replacing what it said.
fn set_fact(instance: &mut Instance, fact: &str, value: &str) {
    instance.facts.retain(|(name, _)| name != fact);
    instance.facts.push((fact.to_owned(), value.to_owned()));
}
