//! Reading input within limits: any reader (a file, standard input) up to a byte limit, so that no
//! input makes memory grow without bound (`simulate`'s event log is read line by line instead).

use std::io::Read;

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

#[cfg(test)]
mod tests {
    use super::*;

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
