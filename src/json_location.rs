//! Where a serde_json error is: its message without the position suffix, and the byte offset
//! of its line and column, so JSON inputs get the same located diagnostics as rule files.

/// serde_json's message without its " at line L column C" suffix (pimrules shows the location).
pub fn strip_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

/// Byte offset of a 1-based line and column (serde_json counts columns in bytes).
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}
