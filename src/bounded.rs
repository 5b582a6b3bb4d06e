//! Reading input within limits: a whole file or standard input up to a byte limit, and JSON
//! lines one at a time up to a line length, so that no input makes memory grow without bound.

use std::io::{BufRead, Read};
use std::path::Path;

/// Longest line [`Lines`] returns (for JSON-lines inputs such as `simulate`'s event log).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Why input could not be read within its limit.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// the input has more than `limit` bytes (only `limit + 1` of them were read)
    TooLarge {
        limit: u64,
    },
    /// the input is not UTF-8; the bytes before `valid_up_to` are
    NotUtf8 {
        valid_up_to: usize,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "{error}"),
            ReadError::TooLarge { limit } => write!(f, "larger than {}", size(*limit)),
            ReadError::NotUtf8 { valid_up_to } => {
                write!(f, "not UTF-8 text (invalid byte at offset {valid_up_to})")
            }
        }
    }
}

/// A byte count as people write limits: `64 MiB`, `1 KiB`, `100 bytes`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// At most `limit + 1` bytes of `reader`: more than `limit` bytes means the input is too large,
/// and nothing past that is read.
pub fn read_prefix(reader: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The bytes of a reader, or [`ReadError::TooLarge`] past `limit`.
pub fn read_bytes(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let bytes = read_prefix(reader, limit).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// The UTF-8 text of a reader of at most `limit` bytes.
pub fn read_text(reader: impl Read, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read_bytes(reader, limit)?).map_err(|e| ReadError::NotUtf8 {
        valid_up_to: e.utf8_error().valid_up_to(),
    })
}

/// The UTF-8 text of a file of at most `limit` bytes.
pub fn read_file_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    read_text(std::fs::File::open(path).map_err(ReadError::Io)?, limit)
}

/// One line of a [`Lines`] reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based
    pub number: usize,
    /// without the line break (`\n` or `\r\n`)
    pub text: String,
}

/// A line that could not be read.
#[derive(Debug)]
pub enum LineError {
    Io(std::io::Error),
    /// line `number` is longer than the limit; the reader skipped the rest of it
    TooLong {
        number: usize,
        limit: usize,
    },
    NotUtf8 {
        number: usize,
    },
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineError::Io(error) => write!(f, "{error}"),
            LineError::TooLong { number, limit } => {
                write!(f, "line {number} is longer than {}", size(*limit as u64))
            }
            LineError::NotUtf8 { number } => write!(f, "line {number} is not UTF-8 text"),
        }
    }
}

/// The lines of a reader, each at most `limit` bytes. Unlike [`BufRead::lines`], a line that
/// never ends cannot fill memory: past the limit its bytes are skipped, not kept, and it is
/// reported as [`LineError::TooLong`]; reading goes on with the next line.
pub struct Lines<R> {
    reader: R,
    limit: usize,
    number: usize,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R, limit: usize) -> Self {
        Lines {
            reader,
            limit,
            number: 0,
            done: false,
        }
    }

    /// Read up to the next `\n` (or the end) into `line`, keeping at most `limit + 1` bytes;
    /// `Ok(false)` at the end of the input.
    fn fill(&mut self, line: &mut Vec<u8>) -> std::io::Result<bool> {
        let mut any = false;
        loop {
            let buffer = self.reader.fill_buf()?;
            if buffer.is_empty() {
                return Ok(any);
            }
            any = true;
            let (used, ended) = match buffer.iter().position(|b| *b == b'\n') {
                Some(at) => (at + 1, true),
                None => (buffer.len(), false),
            };
            let room = (self.limit + 1).saturating_sub(line.len());
            let content = &buffer[..if ended { used - 1 } else { used }];
            line.extend_from_slice(&content[..content.len().min(room)]);
            self.reader.consume(used);
            if ended {
                return Ok(true);
            }
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Result<Line, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut bytes = Vec::new();
        match self.fill(&mut bytes) {
            Err(error) => {
                self.done = true;
                return Some(Err(LineError::Io(error)));
            }
            Ok(false) => {
                self.done = true;
                return None;
            }
            Ok(true) => {}
        }
        self.number += 1;
        let number = self.number;
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        if bytes.len() > self.limit {
            return Some(Err(LineError::TooLong {
                number,
                limit: self.limit,
            }));
        }
        Some(match String::from_utf8(bytes) {
            Ok(text) => Ok(Line { number, text }),
            Err(_) => Err(LineError::NotUtf8 { number }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: usize) -> Vec<Result<(usize, String), String>> {
        // a tiny buffer, so lines cross buffer boundaries
        Lines::new(std::io::BufReader::with_capacity(3, input), limit)
            .map(|line| line.map(|l| (l.number, l.text)).map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn lines_end_with_lf_or_crlf_and_the_last_may_lack_one() {
        assert_eq!(
            lines(b"{\"a\": 1}\r\n\n{\"b\": 2}", 100),
            [
                Ok((1, "{\"a\": 1}".to_owned())),
                Ok((2, String::new())),
                Ok((3, "{\"b\": 2}".to_owned()))
            ]
        );
        assert_eq!(lines(b"", 100), []);
        assert_eq!(lines(b"x\n", 100), [Ok((1, "x".to_owned()))]);
    }

    #[test]
    fn a_line_over_the_limit_is_reported_and_skipped() {
        let mut input = b"short\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 10_000));
        input.extend(b"\nafter\n\xff\n");
        assert_eq!(
            lines(&input, 8),
            [
                Ok((1, "short".to_owned())),
                Err("line 2 is longer than 8 bytes".to_owned()),
                Ok((3, "after".to_owned())),
                Err("line 4 is not UTF-8 text".to_owned()),
            ]
        );
        // exactly at the limit is fine, with or without CR
        assert_eq!(lines(b"12345678\r\n", 8), [Ok((1, "12345678".to_owned()))]);
    }

    #[test]
    fn whole_inputs_stop_one_byte_past_the_limit() {
        let input = [b'a'; 100];
        assert_eq!(read_prefix(&input[..], 10).map(|b| b.len()).ok(), Some(11));
        assert!(matches!(
            read_text(&input[..], 99),
            Err(ReadError::TooLarge { limit: 99 })
        ));
        assert_eq!(read_text(&input[..], 100).map(|t| t.len()).ok(), Some(100));
        assert!(matches!(
            read_text(&b"ok\xff"[..], 100),
            Err(ReadError::NotUtf8 { valid_up_to: 2 })
        ));
        assert_eq!(size(64 << 20), "64 MiB");
        assert_eq!(size(4 << 10), "4 KiB");
        assert_eq!(size(1000), "1000 bytes");
    }
}
