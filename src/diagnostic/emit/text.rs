//! The `text` format: codespan-reporting diagnostics, as `check` prints them on standard error,
//! with help, witness event and rule set in notes, and a closing count.

use super::Emitter;
use crate::diagnostic::{self, Diagnostic};
use crate::source::Sources;

pub struct TextEmitter {
    pub color: bool,
}

impl Emitter for TextEmitter {
    fn emit(&self, diagnostics: &[Diagnostic], sources: &Sources) -> String {
        let mut text = diagnostic::render(diagnostics, sources, self.color);
        if let Some(summary) = diagnostic::summary(diagnostics) {
            text.push_str(&format!("{summary} found\n"));
        }
        text
    }
}
