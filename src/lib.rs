//! pimrules: notification rules as code. `.pimrules` text is parsed ([`syntax`]), checked
//! ([`check`]), compiled to a [`table::DecisionTable`], and evaluated ([`eval`]) or displayed.
//!
//! The pipeline, one module per stage:
//! `load` (files, `use`) → `syntax` (pest → AST) → `check` (names, types) → `table` (decision
//! table) → `eval` (decisions, explanations, tenant `policy` overlay), `matrix` (who gets
//! what), `render` (the emails of an [`instance`], localised) and `analysis` (`lint`: exact
//! checks over the table's condition cubes, with witness events). `cli` only wires these together.

pub mod address;
pub mod analysis;
pub mod audit;
pub mod bounded;
pub mod check;
// the command line is the one module that reads arguments, the environment and standard input,
// prints, writes files and reads the clock
#[cfg(feature = "cli")]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)]
pub mod cli;
pub mod confine;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod files;
pub mod fmt;
pub mod instance;
pub mod json_location;
pub mod load;
pub mod matrix;
pub mod neutral;
pub mod pipeline;
pub mod plan;
pub mod policy;
pub mod render;
pub mod ruleset;
pub mod shipped;
pub mod simulate;
pub mod source;
pub mod syntax;
pub mod table;
pub mod testing;
pub mod time;

// The engine is shared across threads (a server, a test harness, a fuzzer): what a rule set
// compiles to, decides with and renders with is `Send` and `Sync` — a compile error otherwise.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<pipeline::Build>();
    shared::<eval::Evaluator<'static>>();
    shared::<render::locale::Catalogues>();
    shared::<render::Rendering>();
    shared::<files::Disk>();
    shared::<files::Memory>();
};
