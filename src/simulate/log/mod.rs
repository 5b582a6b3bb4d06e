//! The log `simulate` reads: JSON lines, each an instance with `at` and its ids, or a removal,
//! checked as read (errors name the line and field) and put in order by a reorder window.
//!
//! ```json
//! {"at": "2025-01-06T09:00:00Z", "event": "approval-pending", "scope": "entra-role", "request": "r-1", …}
//! {"at": "2025-01-06T09:02:00Z", "event": "request-approved", "scope": "entra-role", "request": "r-1", …}
//! {"at": "2025-01-06T10:00:00Z", "event": "role-assigned", "scope": "azure-resource",
//!  "assignment": "a-7", "end": "2025-03-01T00:00:00Z", …}
//! {"at": "2025-01-08T12:00:00Z", "assignment": "a-7", "removed": true}
//! ```

mod directory;
mod error;
mod lines;
mod parse;
mod window;

pub use directory::read_directory;
pub use error::LogError;
pub use lines::{LogLines, MAX_LINE_BYTES, MAX_SKIPPED_BYTES};
pub use parse::LineReader;
pub use window::{
    MAX_LOG_SPAN, MAX_WINDOW_BYTES, MAX_WINDOW_LINES, ReorderWindow, WINDOW_CAPACITY,
};
