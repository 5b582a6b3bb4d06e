//! How much open state a part of `simulate` may hold at once: a number of entries and the bytes
//! of the log lines behind them, counted as entries come and go.
//!
//! Each entry holds one line's event (an instance); in memory that is about 1–2 KB for a line
//! like the examples' and at most about 3.3 times a long line's bytes more (a line of many
//! short people), so bounding both the entries and their lines' bytes bounds the memory.

/// The most a part of the simulation may hold at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    pub entries: usize,
    /// the bytes of the log lines the entries come from, together
    pub bytes: usize,
}

/// What a part of the simulation holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    pub entries: usize,
    pub bytes: usize,
}

impl Held {
    /// One more entry, from a line of `bytes` bytes.
    pub fn add(&mut self, bytes: usize) {
        self.entries += 1;
        self.bytes = self.bytes.saturating_add(bytes);
    }

    /// An entry from a line of `bytes` bytes left.
    pub fn remove(&mut self, bytes: usize) {
        self.entries = self.entries.saturating_sub(1);
        self.bytes = self.bytes.saturating_sub(bytes);
    }

    /// What would be held with `added` entries from lines of `bytes` bytes, and `removed` of
    /// `freed` bytes gone.
    pub fn after(self, added: usize, bytes: usize, removed: usize, freed: usize) -> Held {
        Held {
            entries: (self.entries + added).saturating_sub(removed),
            bytes: self.bytes.saturating_add(bytes).saturating_sub(freed),
        }
    }
}

impl Capacity {
    /// What `held` goes past, for a message (`1000000 lines`, `512 MiB of lines`), with
    /// `entries` naming the entries; `None` when it fits.
    pub fn exceeded(&self, held: Held, entries: &str) -> Option<String> {
        if held.entries > self.entries {
            Some(format!("{} {entries}", self.entries))
        } else if held.bytes > self.bytes {
            Some(format!("{} of log lines", bytes(self.bytes)))
        } else {
            None
        }
    }
}

/// `512 MiB`, `1000 bytes`.
fn bytes(count: usize) -> String {
    const MIB: usize = 1 << 20;
    if count >= MIB && count % MIB == 0 {
        format!("{} MiB", count / MIB)
    } else {
        format!("{count} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_and_bytes_are_both_bounded() {
        let capacity = Capacity {
            entries: 2,
            bytes: 100,
        };
        let mut held = Held::default();
        held.add(60);
        assert_eq!(capacity.exceeded(held.after(1, 40, 0, 0), "lines"), None);
        assert_eq!(
            capacity
                .exceeded(held.after(1, 41, 0, 0), "lines")
                .as_deref(),
            Some("100 bytes of log lines")
        );
        held.add(40);
        assert_eq!(
            capacity
                .exceeded(held.after(1, 0, 0, 0), "lines")
                .as_deref(),
            Some("2 lines")
        );
        assert_eq!(capacity.exceeded(held.after(1, 10, 1, 60), "lines"), None);
        held.remove(60);
        assert_eq!(
            held,
            Held {
                entries: 1,
                bytes: 40
            }
        );
        assert_eq!(bytes(512 << 20), "512 MiB");
    }
}
