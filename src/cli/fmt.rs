//! `pimrules fmt`: rewrite the project's files in the canonical layout (atomically, through links,
//! only when they change), or with `--check` list those that differ; `-` formats stdin to stdout.

use super::{Exit, RuleArgs, output};
use crate::confine::{Confinement, Refusal};
use crate::diagnostic::ColorMode;
use crate::fmt::format_source;
use crate::shipped;
use crate::source::{Origin, Sources};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Files or folders to format in place; `-` reads standard input and writes standard output
    /// [default: print the embedded rule set (or --rules NAME) in the canonical layout]
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Change nothing: list the files whose layout differs and exit 1 if there are any
    #[arg(long)]
    pub check: bool,
}

/// One text to format: where it came from and where the result goes.
enum Target {
    File(PathBuf),
    Stdin,
    Shipped(&'static shipped::ShippedFile),
}

pub fn fmt(args: &FmtArgs, color: ColorMode) -> Exit {
    let targets = match targets(args) {
        Ok(targets) => targets,
        Err(exit) => return exit,
    };
    let confinement = confinement(args);
    let mut exit = Exit::Success;
    for target in targets {
        let destination = match &target {
            Target::File(path) => match confinement.check(path) {
                Ok(canonical) => Some(destination(path, canonical)),
                // reading it says why it cannot be read
                Err(Refusal::Missing) => Some(path.clone()),
                Err(refusal) => {
                    output::diagnostic(refusal.diagnostic(path), &Sources::new(), color);
                    exit = Exit::Findings;
                    continue;
                }
            },
            Target::Stdin | Target::Shipped(_) => None,
        };
        let (name, text) = match read(&target) {
            Ok(read) => read,
            Err(e) => {
                output::error(e);
                return Exit::Usage;
            }
        };
        let mut sources = Sources::new();
        let file = sources.add(name.clone(), text.clone(), Origin::Memory(name.clone()));
        let formatted = match format_source(file, &text) {
            Ok(formatted) => formatted,
            Err(diagnostics) => {
                output::diagnostics(&diagnostics, &sources, color);
                exit = Exit::Findings;
                continue;
            }
        };
        let changed = formatted != text;
        let result = match (&destination, args.check) {
            (_, true) if changed => {
                exit = Exit::Findings;
                output::print(&format!("{}\n", crate::neutral::file_name(&name)))
            }
            (_, true) => Ok(()),
            (Some(path), false) if changed => output::write_atomically(path, formatted.as_bytes()),
            (Some(_), false) => Ok(()),
            (None, false) => output::print(&formatted),
        };
        if let Err(e) = result {
            return e;
        }
    }
    exit
}

/// The project the files to format must lie in, links followed, as for every command that reads
/// rule files: the folders of the paths given, each widened to the nearest one above with
/// `pimrules.toml` or `.git`, and `--allow-outside`.
fn confinement(args: &FmtArgs) -> Confinement {
    let rule_files = args
        .rules
        .rules
        .iter()
        .filter(|name| shipped::rule_set(name).is_none())
        .map(Path::new);
    let named = args
        .paths
        .iter()
        .map(PathBuf::as_path)
        .chain(rule_files)
        .filter(|path| *path != Path::new("-"));
    Confinement::new(named, super::build::allowed_outside())
}

/// Where the formatted text of `path` goes: `path` itself or, when it is a symbolic link, the
/// file it points to (`canonical`, inside the project), so that the link is kept, as editors do.
fn destination(path: &Path, canonical: PathBuf) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        canonical
    } else {
        path.to_path_buf()
    }
}

fn targets(args: &FmtArgs) -> Result<Vec<Target>, Exit> {
    let mut targets = Vec::new();
    for path in &args.paths {
        if path == Path::new("-") {
            targets.push(Target::Stdin);
        } else if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| {
                    output::error(format_args!("cannot read folder `{}`: {e}", path.display()));
                    Exit::Usage
                })?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "pimrules"))
                .collect();
            files.sort();
            targets.extend(files.into_iter().map(Target::File));
        } else {
            targets.push(Target::File(path.clone()));
        }
    }
    let names: Vec<&str> = if args.paths.is_empty() && args.rules.rules.is_empty() {
        vec![shipped::DEFAULT_RULE_SET]
    } else {
        args.rules.rules.iter().map(String::as_str).collect()
    };
    for name in names {
        match shipped::rule_set(name) {
            Some(file) => targets.push(Target::Shipped(file)),
            None if Path::new(name).exists() => targets.push(Target::File(PathBuf::from(name))),
            None => {
                output::error(format_args!("no file or shipped rule set named `{name}`"));
                return Err(Exit::Usage);
            }
        }
    }
    Ok(targets)
}

fn read(target: &Target) -> Result<(String, String), String> {
    use crate::bounded::read_text;
    use crate::files::Disk;
    use crate::load::MAX_FILE_BYTES;
    match target {
        Target::File(path) => Disk::read_text(path, MAX_FILE_BYTES)
            .map(|text| (path.display().to_string(), text))
            .map_err(|e| format!("cannot read `{}`: {e}", path.display())),
        Target::Stdin => read_text(std::io::stdin(), MAX_FILE_BYTES)
            .map(|text| ("<stdin>".to_owned(), text))
            .map_err(|e| format!("cannot read standard input: {e}")),
        Target::Shipped(file) => Ok((
            format!("<shipped>/{}", file.file_name),
            file.text.to_owned(),
        )),
    }
}
