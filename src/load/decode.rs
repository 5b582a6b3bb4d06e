//! Decoding a rule file's bytes: the text to register, and the problem (too large, not UTF-8,
//! a NUL byte) that stops it being parsed, as a diagnostic.

use super::MAX_FILE_BYTES;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Why a file's bytes are not parsed.
pub(super) enum ReadProblem {
    TooLarge,
    InvalidUtf8 { at: usize },
    NulByte { at: usize },
}

impl ReadProblem {
    pub(super) fn into_diagnostic(self, file: FileId) -> Diagnostic {
        match self {
            ReadProblem::TooLarge => Diagnostic::error(
                Code::E014,
                format!("file is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
            )
            .at(Span::new(file, 0..0), "file too large")
            .help("split the rule set into several files joined with `use`"),
            ReadProblem::InvalidUtf8 { at } => {
                Diagnostic::error(Code::E002, "file is not valid UTF-8")
                    .at(Span::new(file, at..at + 1), "invalid UTF-8 here")
                    .help("save the file as UTF-8 text")
            }
            ReadProblem::NulByte { at } => {
                Diagnostic::error(Code::E002, "file contains a NUL byte; is it binary?")
                    .at(Span::new(file, at..at + 1), "NUL byte here")
            }
        }
    }
}

/// The text to register for a file, and the problem that stops it being parsed, if any.
pub(super) fn decode(bytes: Vec<u8>, too_large: bool) -> (String, Option<ReadProblem>) {
    if too_large {
        return (String::new(), Some(ReadProblem::TooLarge));
    }
    // a UTF-8 byte-order mark (what Windows PowerShell 5.1 and Notepad write) says nothing
    let bytes = match bytes.strip_prefix("\u{feff}".as_bytes()) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            Some(at) => (text, Some(ReadProblem::NulByte { at })),
            None => (text, None),
        },
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            // the lossy text has the same bytes up to `at`, so the location is right
            (text, Some(ReadProblem::InvalidUtf8 { at }))
        }
    }
}
