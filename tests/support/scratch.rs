//! Scratch folders for integration tests that write files (removed when dropped), and the real
//! binary run on them. Included with `#[path = "support/scratch.rs"] mod scratch;`.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Command, Output};

/// A fresh scratch folder under the system temp dir, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("pimrules-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        Scratch(dir)
    }

    pub fn write(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("temp file is writable");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `pimrules ARGS…` without colour.
pub fn pimrules<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(args: I) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pimrules"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}
