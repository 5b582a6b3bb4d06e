//! What the fuzz targets in `src/bin/` share: the shipped `entra-pim` rule set, compiled once,
//! with its English catalogue, and a helper that splits an input into a first line and the rest.

use pimrules::pipeline::Compiled;
use pimrules::render::locale::{Catalogues, LocaleCatalogue};

/// The shipped default rule set and its message catalogues, built on first use.
pub struct Shipped {
    pub compiled: Compiled,
    pub catalogues: Catalogues,
}

impl Shipped {
    pub fn english(&self) -> &LocaleCatalogue {
        self.catalogues
            .locale("en")
            .expect("the shipped catalogues have English")
    }
}

/// The shipped `entra-pim` rule set (the harness's own data, so `expect` is fine here). Built
/// once per thread and kept for the process: the catalogues are not `Sync`, and libFuzzer runs
/// the target on one thread.
pub fn shipped() -> &'static Shipped {
    thread_local! {
        static SHIPPED: &'static Shipped = Box::leak(Box::new(build_shipped()));
    }
    SHIPPED.with(|shipped| *shipped)
}

fn build_shipped() -> Shipped {
    let mut build = pimrules::pipeline::build(&[]).expect("the shipped rule set loads");
    assert!(!build.has_errors(), "the shipped rule set checks");
    let compiled = build.compiled.remove(0);
    let (catalogues, problems) = Catalogues::load_checked(&mut build.loaded, &compiled);
    assert!(
        problems.is_empty(),
        "the shipped catalogues load: {problems:?}"
    );
    Shipped {
        compiled,
        catalogues,
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

/// An evaluator of the shipped table, built once.
pub fn evaluator() -> &'static pimrules::eval::Evaluator<'static> {
    thread_local! {
        static EVALUATOR: &'static pimrules::eval::Evaluator<'static> =
            Box::leak(Box::new(pimrules::eval::Evaluator::new(&shipped().compiled.table)));
    }
    EVALUATOR.with(|evaluator| *evaluator)
}

/// What the `simulate` target replays logs against: `entra-pim` and `account-provisioning`,
/// their English catalogues, and a directory of people for the time-driven emails.
pub struct Simulation {
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

impl Simulation {
    pub fn vocabularies(&self) -> Vec<&pimrules::ruleset::Vocabulary> {
        self.compiled.iter().map(|c| &c.table.vocabulary).collect()
    }

    pub fn rule_sets(&self) -> Vec<(&pimrules::table::DecisionTable, &LocaleCatalogue)> {
        self.compiled
            .iter()
            .zip(&self.catalogues)
            .map(|(c, catalogues)| (&c.table, catalogues.locale("en").expect("English")))
            .collect()
    }

    /// The command's defaults: approval delay 5 minutes, weekly digests from `entra-pim` (the
    /// first rule set) with its default facts.
    pub fn settings(&self) -> pimrules::simulate::Settings {
        pimrules::simulate::Settings {
            approval_delay: 300,
            digest: Some(pimrules::simulate::DigestSettings::default()),
            until: None,
            directory: self.directory.clone(),
        }
    }
}

/// The shipped rule sets `simulate` replays against, built once (see [`shipped`]).
pub fn simulation() -> &'static Simulation {
    thread_local! {
        static SIMULATION: &'static Simulation = Box::leak(Box::new(build_simulation()));
    }
    SIMULATION.with(|simulation| *simulation)
}

fn build_simulation() -> Simulation {
    use pimrules::load::RuleSource;
    let sources = ["entra-pim", "account-provisioning"].map(|n| RuleSource::Shipped(n.into()));
    let mut build = pimrules::pipeline::build(&sources).expect("the shipped rule sets load");
    assert!(!build.has_errors(), "the shipped rule sets check");
    let (catalogues, problems) = Catalogues::load_all_checked(&mut build);
    assert!(problems.is_empty(), "the shipped catalogues load");
    let vocabularies: Vec<_> = build.compiled.iter().map(|c| &c.table.vocabulary).collect();
    let directory = pimrules::simulate::log::read_directory(DIRECTORY, &vocabularies)
        .expect("the fuzz directory reads");
    Simulation {
        compiled: build.compiled,
        catalogues,
        directory,
    }
}
