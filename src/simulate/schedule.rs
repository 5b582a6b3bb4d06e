//! The schedule: what is due when. Entries leave by due time, and entries due at the same
//! second in the order they were added; any entry can be cancelled or changed by its key.

use std::collections::BTreeMap;

/// Where an entry stands in the schedule: its due time, then the order it was added in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub due: i64,
    sequence: u64,
}

/// Entries ordered by due time, ties by the order they were added.
#[derive(Debug, Clone)]
pub struct Schedule<T> {
    entries: BTreeMap<Key, T>,
    next_sequence: u64,
}

impl<T> Default for Schedule<T> {
    fn default() -> Self {
        Schedule {
            entries: BTreeMap::new(),
            next_sequence: 0,
        }
    }
}

impl<T> Schedule<T> {
    /// Add `entry`, due at `due`; it leaves after everything already due at that second.
    pub fn add(&mut self, due: i64, entry: T) -> Key {
        let key = Key {
            due,
            sequence: self.next_sequence,
        };
        self.next_sequence += 1;
        self.entries.insert(key, entry);
        key
    }

    /// Take an entry out before it is due.
    pub fn cancel(&mut self, key: Key) -> Option<T> {
        self.entries.remove(&key)
    }

    pub fn get_mut(&mut self, key: Key) -> Option<&mut T> {
        self.entries.get_mut(&key)
    }

    /// The first entry, if it is due before `time` (or at it, when `inclusive`).
    pub fn pop_due(&mut self, time: i64, inclusive: bool) -> Option<(Key, T)> {
        let first = self.entries.first_key_value()?.0;
        if first.due < time || (inclusive && first.due == time) {
            self.entries.pop_first()
        } else {
            None
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_leave_by_time_then_by_insertion() {
        let mut schedule = Schedule::default();
        schedule.add(20, "late");
        schedule.add(10, "first at ten");
        let cancelled = schedule.add(10, "cancelled");
        schedule.add(10, "second at ten");
        assert_eq!(schedule.cancel(cancelled), Some("cancelled"));
        assert_eq!(
            schedule.pop_due(10, false),
            None,
            "nothing is due before 10"
        );
        let mut left = Vec::new();
        while let Some((_, entry)) = schedule.pop_due(20, true) {
            left.push(entry);
        }
        assert_eq!(left, ["first at ten", "second at ten", "late"]);
        assert!(schedule.is_empty());
    }
}
