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
