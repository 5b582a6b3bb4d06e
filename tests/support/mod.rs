//! What the integration tests share: insta snapshots, all kept in `<crate>/snapshots/` under
//! their plain name.

use std::path::Path;

/// Assert `contents` against the snapshot `snapshots/<name>.snap`.
pub fn snapshot(name: &str, contents: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name.to_owned(), contents));
}
