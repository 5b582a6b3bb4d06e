//! What the fuzz targets in `src/bin/` share: the shipped `entra-pim` and `account-provisioning`
//! rule sets, compiled once with their English catalogues, and small input helpers.

use pimrules::pipeline::Compiled;
use pimrules::render::locale::{Catalogues, LocaleCatalogue};
use pimrules::table::DecisionTable;

/// The shipped rule sets the targets run against (`entra-pim`, the default, first), their
/// message catalogues, and a directory of people for `simulate`'s time-driven emails.
pub struct Shipped {
    pub compiled: Vec<Compiled>,
    pub catalogues: Vec<Catalogues>,
    pub directory: Vec<(String, Vec<pimrules::instance::Person>)>,
}

/// People for reminders and digests: one or two per class the shipped rules send them to.
const DIRECTORY: &str = r#"{
  "privileged-role-administrator": [{"name": "Åsa Lindqvist", "email": "asa@contoso.com"}],
  "global-administrator": [{"name": "Gustav Berg", "email": "gustav@contoso.com"},
                           {"name": "Ivan Idle", "email": "ivan@contoso.com", "activated": false}],
  "security-administrator": [{"name": "Sara Svensson", "email": "sara@contoso.com"}],
  "provisioning-contact": [{"name": "IT operations", "email": "it-ops@contoso.com"}]
}"#;

impl Shipped {
    /// The default rule set's table (`entra-pim`).
    pub fn table(&self) -> &DecisionTable {
        &self.compiled[0].table
    }

    /// The default rule set's English catalogue.
    pub fn english(&self) -> &LocaleCatalogue {
        self.rule_sets()[0].1
    }

    pub fn vocabularies(&self) -> Vec<&pimrules::ruleset::Vocabulary> {
        self.compiled.iter().map(|c| &c.table.vocabulary).collect()
    }

    /// Each rule set's table and English catalogue, in order.
    pub fn rule_sets(&self) -> Vec<(&DecisionTable, &LocaleCatalogue)> {
        self.compiled
            .iter()
            .zip(&self.catalogues)
            .map(|(c, catalogues)| (&c.table, catalogues.locale("en").expect("English")))
            .collect()
    }

    /// `simulate`'s defaults: approval delay 5 minutes, weekly digests from `entra-pim` (the
    /// first rule set) with its default facts.
    pub fn simulation_settings(&self) -> pimrules::simulate::Settings {
        pimrules::simulate::Settings {
            approval_delay: 300,
            digest: Some(pimrules::simulate::DigestSettings::default()),
            until: None,
            directory: self.directory.clone(),
        }
    }
}

/// The shipped rule sets (the harness's own data, so `expect` is fine here), built once and
/// shared by every thread.
pub fn shipped() -> &'static Shipped {
    static SHIPPED: std::sync::OnceLock<Shipped> = std::sync::OnceLock::new();
    SHIPPED.get_or_init(build_shipped)
}

fn build_shipped() -> Shipped {
    use pimrules::load::RuleSource;
    let sources = ["entra-pim", "account-provisioning"].map(|n| RuleSource::Shipped(n.into()));
    let mut build = pimrules::pipeline::build(&sources).expect("the shipped rule sets load");
    assert!(!build.has_errors(), "the shipped rule sets check");
    let (catalogues, problems) = Catalogues::load_all_checked(&mut build);
    assert!(
        problems.is_empty(),
        "the shipped catalogues load: {problems:?}"
    );
    let vocabularies: Vec<_> = build.compiled.iter().map(|c| &c.table.vocabulary).collect();
    let directory = pimrules::simulate::log::read_directory(DIRECTORY, &vocabularies)
        .expect("the fuzz directory reads");
    Shipped {
        compiled: build.compiled,
        catalogues,
        directory,
    }
}

/// The input as text (invalid UTF-8 replaced), split at its first line break.
pub fn first_line_and_rest(data: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(data);
    match text.split_once('\n') {
        Some((first, rest)) => (first.to_owned(), rest.to_owned()),
        None => (text.into_owned(), String::new()),
    }
}

/// An evaluator of the default table, built once.
pub fn evaluator() -> &'static pimrules::eval::Evaluator<'static> {
    static EVALUATOR: std::sync::OnceLock<pimrules::eval::Evaluator<'static>> =
        std::sync::OnceLock::new();
    EVALUATOR.get_or_init(|| pimrules::eval::Evaluator::new(shipped().table()))
}
