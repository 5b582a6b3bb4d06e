//! Reading a log's lines: numbered, blank ones and a leading byte-order mark skipped, each
//! at most [`MAX_LINE_BYTES`] and UTF-8, an overlong one skipped to its end within a limit.

use super::error::LogError;
use std::io::BufRead;

/// The longest line read (1 MiB); a longer one is an error, skipped to its end.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The most bytes of one overlong line skipped to reach its end (64 MiB); a longer line ends
/// the log, so an endless stream with no newline is not read for ever.
pub const MAX_SKIPPED_BYTES: usize = 64 << 20;

/// The lines of a log, numbered, each at most [`MAX_LINE_BYTES`] and UTF-8; blank lines are
/// skipped, and so is a byte-order mark that starts the first. Reading errors (I/O) end the
/// iteration with `Err`.
pub struct LogLines<R> {
    reader: R,
    number: usize,
    buffer: Vec<u8>,
    /// whether the rest of the last line read (longer than [`MAX_LINE_BYTES`]) is still to skip
    skipping: bool,
}

impl<R: BufRead> LogLines<R> {
    pub fn new(reader: R) -> Self {
        LogLines {
            reader,
            number: 0,
            buffer: Vec::new(),
            skipping: false,
        }
    }

    /// Skip past the end of the overlong line last read, reading at most
    /// [`MAX_SKIPPED_BYTES`]: a line longer than that (an endless stream of bytes with no
    /// newline, such as a pipe from `/dev/zero`) ends the log as unreadable.
    fn skip_rest(&mut self) -> std::io::Result<()> {
        let mut skipped = 0;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok(());
            }
            let room = &available[..available.len().min(MAX_SKIPPED_BYTES - skipped)];
            if let Some(end) = room.iter().position(|b| *b == b'\n') {
                self.reader.consume(end + 1);
                return Ok(());
            }
            if room.is_empty() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "line {} is longer than {}",
                        self.number,
                        crate::bounded::size(MAX_SKIPPED_BYTES as u64)
                    ),
                ));
            }
            skipped += room.len();
            let consumed = room.len();
            self.reader.consume(consumed);
        }
    }
}

impl<R: BufRead> Iterator for LogLines<R> {
    /// the line's number and its text, or what is wrong with it
    type Item = std::io::Result<(usize, Result<String, LogError>)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if std::mem::take(&mut self.skipping)
                && let Err(e) = self.skip_rest()
            {
                return Some(Err(e));
            }
            self.buffer.clear();
            self.number += 1;
            let limit = MAX_LINE_BYTES as u64 + 1;
            let read =
                std::io::Read::take(&mut self.reader, limit).read_until(b'\n', &mut self.buffer);
            match read {
                Err(e) => return Some(Err(e)),
                Ok(0) => return None,
                Ok(_) => {}
            }
            let line = self.number;
            if self.buffer.len() > MAX_LINE_BYTES && !self.buffer.ends_with(b"\n") {
                // skipped when the next line is asked for, so an overlong line is reported at once
                self.skipping = true;
                let error = LogError::new(
                    line,
                    format!("line is longer than {} MiB", MAX_LINE_BYTES / (1024 * 1024)),
                );
                return Some(Ok((line, Err(error))));
            }
            let bytes = self.buffer.strip_suffix(b"\n").unwrap_or(&self.buffer);
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            let bytes = match line {
                1 => crate::json_location::without_bom(bytes),
                _ => bytes,
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(Ok((
                line,
                match std::str::from_utf8(bytes) {
                    Ok(text) => Ok(text.to_owned()),
                    Err(e) => {
                        let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
                        Err(LogError {
                            column: Some(valid.chars().count() + 1),
                            ..LogError::new(line, "line is not UTF-8 text")
                        })
                    }
                },
            )));
        }
    }
}
