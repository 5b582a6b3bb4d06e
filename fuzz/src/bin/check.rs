//! Fuzz target `check`: any bytes as a rule file → parse, check, compile, tests, lint and fmt.
//! Never a panic; every diagnostic renders; `fmt` output is a fixpoint and checks like its input.
#![no_main]

use pimrules::diagnostic::Diagnostic;
use pimrules::diagnostic::emit::{Emitter, SarifEmitter, TextEmitter};
use pimrules::source::FileId;
use pimrules::{analysis, diagnostic, eval, fmt, pipeline, testing};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let build = pipeline::build_text("fuzz.pimrules", &text);
    // codespan panics on a span outside the text or inside a character: render them all
    diagnostic::render(&build.diagnostics, &build.loaded.sources, false);
    for compiled in &build.compiled {
        let _ = compiled.table.to_json_text();
        let _ = eval::Evaluator::new(&compiled.table);
        let _ = testing::run_tests(&compiled.rule_set, &compiled.table, &|_| Ok(None));
        let findings: Vec<Diagnostic> = analysis::lint(&build.loaded, compiled)
            .into_iter()
            .map(Diagnostic::from)
            .collect();
        let sources = &build.loaded.sources;
        TextEmitter { color: false }.emit(&findings, sources);
        SarifEmitter { root: None }.emit(&findings, sources);
    }
    if let Ok(formatted) = fmt::format_source(FileId(0), &text) {
        let again = fmt::format_source(FileId(0), &formatted);
        assert_eq!(again.as_ref(), Ok(&formatted), "fmt is not idempotent");
        if !build.has_errors() {
            let rebuilt = pipeline::build_text("fuzz.pimrules", &formatted);
            assert!(
                !rebuilt.has_errors(),
                "fmt broke a clean rule set: {:?}",
                rebuilt.diagnostics
            );
        }
    }
});
