//! Localisation: a rule set's Fluent message catalogues, one bundle per locale, and the check
//! (E017) that every template has its message in every locale and every reference resolves.
//!
//! Where messages come from, for a rule set named `N` and a locale `L`, each later layer
//! overriding the earlier ones message by message:
//! 1. the shipped `rules/locales/L/pim.ftl` (embedded in the binary),
//! 2. `locales/L/pim.ftl` next to the rule set's root file, when that file is on disk,
//! 3. the shipped `rules/locales/L/N.ftl`, if there is one (`entra-pim-2018.ftl`),
//! 4. `locales/L/N.ftl` next to the root file.
//!
//! `pim.ftl` holds what every rule set of its folder shares; `N.ftl` only what rule set `N`
//! words differently. The available locales are those with at least one catalogue.
//!
//! A template `T` is worded by the message `T`: its value is the subject (after the rule set's
//! prefix) and the email's heading, `.summary` the sentence under it, and `.action` with `.link`
//! the button. The parts of every email are the messages in [`EMAIL_MESSAGES`]; `class-C` and
//! `scope-S` translate the labels of class `C` and scope `S` (the declared label otherwise).
//!
//! Before parsing, each catalogue is scanned for placeables nested more than
//! `scan::MAX_PLACEABLE_DEPTH` deep (the parser would overflow its stack); such an entry is
//! left out. After it, `references` checks every reference the renderer can meet.

mod references;
mod scan;

use super::messages::EMAIL_MESSAGES;
use crate::confine::Confinement;
use crate::diagnostic::{Code, Collected, Diagnostic};
use crate::files::Kind;
use crate::load::Loaded;
use crate::pipeline::{Build, Compiled};
use crate::ruleset::Vocabulary;
use crate::shipped;
use crate::source::{Origin, Sources, Span};
use crate::syntax::ast::Item;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::ops::Range;
use std::path::{Path, PathBuf};
use unic_langid::LanguageIdentifier;

/// The catalogue in a locale folder shared by every rule set of that folder.
pub const SHARED_CATALOGUE: &str = "pim.ftl";

/// The folder, next to a rule set's root file, that holds one folder of catalogues per locale.
pub const LOCALES_FOLDER: &str = "locales";

/// The wording of one locale.
pub struct LocaleCatalogue {
    locale: String,
    bundle: FluentBundle<FluentResource>,
}

impl LocaleCatalogue {
    /// The locale's tag, as its folder is named (`en`, `sv`).
    pub fn locale(&self) -> &str {
        &self.locale
    }

    pub fn has_message(&self, id: &str) -> bool {
        self.bundle
            .get_message(id)
            .is_some_and(|m| m.value().is_some())
    }

    /// The message `id` (or its `attribute`) formatted with `args`; `None` when not defined.
    pub fn format(&self, id: &str, attribute: Option<&str>, args: &FluentArgs) -> Option<String> {
        let message = self.bundle.get_message(id)?;
        let pattern = match attribute {
            None => message.value()?,
            Some(name) => message.get_attribute(name)?.value(),
        };
        // a variable the catalogue names but no instance sets shows as `{$name}`: no error
        let mut errors = Vec::new();
        Some(
            self.bundle
                .format_pattern(pattern, Some(args), &mut errors)
                .into_owned(),
        )
    }
}

/// Every locale a rule set's emails can be rendered in, sorted by tag.
pub struct Catalogues {
    locales: Vec<LocaleCatalogue>,
}

/// A piece of a catalogue file, parsed (a file is one piece unless [`scan::cut`] cut it).
struct Piece {
    /// the file's index in the locale's files
    file: usize,
    /// where the piece starts in the file's text
    offset: usize,
    resource: FluentResource,
}

/// One catalogue file to load into a locale's bundle.
struct CatalogueFile {
    locale: String,
    /// how messages name it: `locales/sv/pim.ftl` or the path on disk
    name: String,
    text: String,
    origin: Origin,
    /// 1–4, see the module documentation
    layer: u8,
}

impl Catalogues {
    /// The catalogues of the rule set of `vocabulary`, whose root file is `root` when it is on
    /// disk. Problems (unreadable files, syntax errors, placeables nested too deep, references
    /// that do not resolve, bad locale folder names) are E017 diagnostics; catalogues with
    /// syntax errors keep the entries that did parse.
    fn load(
        vocabulary: &Vocabulary,
        root: Option<&Path>,
        sources: &mut Sources,
        confinement: &Confinement,
        found: &mut Collected,
    ) -> Catalogues {
        let own_file = format!("{}.ftl", vocabulary.header.name);
        let mut files: Vec<CatalogueFile> = shipped::CATALOGUES
            .iter()
            .filter_map(|file| {
                let layer = if file.file_name == SHARED_CATALOGUE {
                    1
                } else if file.file_name == own_file {
                    3
                } else {
                    return None;
                };
                Some(CatalogueFile {
                    locale: file.locale.to_owned(),
                    name: format!("<shipped>/{}", file.path),
                    text: file.text.to_owned(),
                    origin: Origin::Shipped(file.path),
                    layer,
                })
            })
            .collect();
        if let Some(folder) = root.and_then(Path::parent) {
            files.extend(disk_files(
                &folder.join(LOCALES_FOLDER),
                &own_file,
                confinement,
                found,
            ));
        }
        files.sort_by_key(|f| f.layer);
        let mut tags: Vec<String> = files.iter().map(|f| f.locale.clone()).collect();
        tags.sort();
        tags.dedup();
        let mut locales = Vec::new();
        for tag in tags {
            let Ok(language) = tag.parse::<LanguageIdentifier>() else {
                found.push(
                    Diagnostic::error(
                        Code::E017,
                        format!("locale folder `{tag}` is not a language tag"),
                    )
                    .help("name locale folders by BCP 47 tags such as `en`, `sv` or `pt-BR`"),
                );
                continue;
            };
            let files: Vec<&CatalogueFile> = files.iter().filter(|f| f.locale == tag).collect();
            let mut pieces = Vec::new();
            for (index, file) in files.iter().enumerate() {
                pieces.extend(parse(index, file, sources, found));
            }
            let mut locate = |piece: usize, range: Range<usize>| {
                let piece = &pieces[piece];
                let start = piece.offset + range.start;
                span_in(sources, files[piece.file], start..piece.offset + range.end)
            };
            references::check(&tag, &pieces, vocabulary, &mut locate, found);
            let mut bundle = FluentBundle::new_concurrent(vec![language]);
            // the emails are plain text and HTML: no invisible isolation marks around values
            bundle.set_use_isolating(false);
            for piece in pieces {
                bundle.add_resource_overriding(piece.resource);
            }
            locales.push(LocaleCatalogue {
                locale: tag,
                bundle,
            });
        }
        Catalogues { locales }
    }

    /// The catalogues of a compiled rule set, with every problem in them, and (E017, at the
    /// template's declaration) every template without its message in some locale.
    pub fn load_checked(loaded: &mut Loaded, compiled: &Compiled) -> (Catalogues, Vec<Diagnostic>) {
        let vocabulary = &compiled.table.vocabulary;
        let declarations: Vec<(String, Span)> = loaded
            .modules_of(&compiled.program)
            .flat_map(|(_, module)| module.items.iter())
            .filter_map(|item| match &item.node {
                Item::Template(decl) => Some((decl.name.node.clone(), decl.name.span)),
                _ => None,
            })
            .collect();
        // the rule file as the user named it, so messages read as typed
        let root: Option<PathBuf> = loaded.named.get(&compiled.program.root).cloned();
        let mut found = Collected::default();
        let catalogues = Catalogues::load(
            vocabulary,
            root.as_deref(),
            &mut loaded.sources,
            &loaded.confinement,
            &mut found,
        );
        for template in &vocabulary.templates {
            let missing: Vec<&str> = catalogues
                .locales
                .iter()
                .filter(|l| !l.has_message(&template.name))
                .map(LocaleCatalogue::locale)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let mut diagnostic = Diagnostic::error(
                Code::E017,
                format!(
                    "template `{}` has no message in {} {}",
                    template.name,
                    if missing.len() == 1 { "locale" } else { "locales" },
                    crate::check::backticked_all(&missing)
                ),
            )
            .help(format!(
                "add `{} = …` to `{LOCALES_FOLDER}/{}/{SHARED_CATALOGUE}` next to the rule set's root file",
                template.name, missing[0]
            ));
            if let Some((_, span)) = declarations.iter().find(|(name, _)| *name == template.name) {
                diagnostic = diagnostic.at(*span, "declared here");
            }
            found.push(diagnostic);
        }
        for catalogue in &catalogues.locales {
            let missing: Vec<&str> = EMAIL_MESSAGES
                .iter()
                .copied()
                .filter(|id| !catalogue.has_message(id))
                .collect();
            if !missing.is_empty() {
                found.push(
                    Diagnostic::error(
                        Code::E017,
                        format!(
                            "locale `{}` lacks the email messages {}",
                            catalogue.locale,
                            crate::check::backticked_all(&missing)
                        ),
                    )
                    .help("every locale needs the parts of an email; see the shipped `rules/locales/en/pim.ftl`"),
                );
            }
        }
        (catalogues, found.into_vec())
    }

    /// The catalogues of every rule set of a build, in its order, with every problem in them
    /// (as [`Catalogues::load_checked`] finds them).
    pub fn load_all_checked(build: &mut Build) -> (Vec<Catalogues>, Vec<Diagnostic>) {
        let mut all = Vec::with_capacity(build.compiled.len());
        let mut diagnostics = Vec::new();
        for compiled in &build.compiled {
            let (catalogues, problems) = Catalogues::load_checked(&mut build.loaded, compiled);
            all.push(catalogues);
            diagnostics.extend(problems);
        }
        (all, diagnostics)
    }

    /// The locale with this tag.
    pub fn locale(&self, tag: &str) -> Option<&LocaleCatalogue> {
        self.locales.iter().find(|l| l.locale == tag)
    }

    /// The tags of the available locales, sorted.
    pub fn tags(&self) -> Vec<&str> {
        self.locales.iter().map(LocaleCatalogue::locale).collect()
    }
}

/// The broken entry of a syntax error, without its trailing blank lines (where the parser
/// noticed the problem when it has no entry).
fn entry_span(text: &str, entry: Option<Range<usize>>, noticed: Range<usize>) -> Range<usize> {
    let range = entry.unwrap_or(noticed);
    let end = text
        .get(range.clone())
        .map_or(range.end, |entry| range.start + entry.trim_end().len());
    range.start..end.max(range.start)
}

/// The pieces of catalogue file `file` (the locale's `index`th), parsed; a diagnostic for each
/// placeable nested too deep and each syntax error.
fn parse(
    index: usize,
    file: &CatalogueFile,
    sources: &mut Sources,
    found: &mut Collected,
) -> Vec<Piece> {
    let cut = scan::cut(&file.text);
    for at in cut.too_deep {
        found.push(
            Diagnostic::error(
                Code::E017,
                format!(
                    "placeables nested more than {} levels deep in message catalogue",
                    scan::MAX_PLACEABLE_DEPTH
                ),
            )
            .at(span_in(sources, file, at..at + 1), "this one is too deep")
            .help("the entry is skipped; a message needs a few levels at most"),
        );
    }
    if let Some(at) = cut.stopped {
        found.push(
            Diagnostic::error(
                Code::E017,
                "message catalogue not read past here: too many placeables before it are left \
                 open or nested too deep",
            )
            .at(span_in(sources, file, at..at + 1), "reading stopped here")
            .help(format!(
                "pimrules parses a catalogue in at most {} pieces, cut at each line that starts \
                 an entry while a placeable is still open; close the placeables (`{{ … }}`) above",
                scan::MAX_PIECES
            )),
        );
    }
    let mut pieces = Vec::with_capacity(cut.pieces.len());
    for range in cut.pieces {
        let text = file.text.get(range.clone()).unwrap_or_default();
        let resource = match FluentResource::try_new(text.to_owned()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                for error in errors {
                    let entry = entry_span(text, error.slice.clone(), error.pos.clone());
                    let entry = range.start + entry.start..range.start + entry.end;
                    found.push(
                        Diagnostic::error(
                            Code::E017,
                            format!("syntax error in message catalogue: {}", error.kind),
                        )
                        .at(span_in(sources, file, entry), "in this entry")
                        .help("the entry is skipped; the rest of the catalogue is used"),
                    );
                }
                resource
            }
        };
        pieces.push(Piece {
            file: index,
            offset: range.start,
            resource,
        });
    }
    pieces
}

/// The span of `range` in catalogue `file`, which is added to `sources` the first time.
fn span_in(sources: &mut Sources, file: &CatalogueFile, range: Range<usize>) -> Span {
    let id = sources
        .find(&file.origin)
        .unwrap_or_else(|| sources.add(file.name.clone(), file.text.clone(), file.origin.clone()));
    Span::new(id, range)
}

/// The catalogues under a rule set's `locales/` folder on disk: `L/pim.ftl` and `L/N.ftl`.
fn disk_files(
    folder: &Path,
    own_file: &str,
    confinement: &Confinement,
    found: &mut Collected,
) -> Vec<CatalogueFile> {
    let Ok(entries) = confinement.entries(folder) else {
        return Vec::new();
    };
    let locale_folders = entries
        .into_iter()
        .filter(|(_, kind)| *kind == Some(Kind::Folder))
        .map(|(path, _)| path);
    let mut files = Vec::new();
    for locale_folder in locale_folders {
        let Some(locale) = locale_folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
        else {
            continue;
        };
        for (file_name, layer) in [(SHARED_CATALOGUE, 2), (own_file, 4)] {
            let path = locale_folder.join(file_name);
            if confinement.kind(&path) != Some(Kind::File) {
                continue;
            }
            if let Err(refusal) = confinement.check(&path) {
                found.push(
                    Diagnostic::error(
                        Code::E017,
                        format!(
                            "message catalogue not read: {}",
                            refusal.describe(&path.display().to_string())
                        ),
                    )
                    .help(refusal.help()),
                );
                continue;
            }
            match read_catalogue(confinement, &path) {
                Ok(text) => files.push(CatalogueFile {
                    locale: locale.clone(),
                    name: path.display().to_string(),
                    text,
                    origin: Origin::Disk(path),
                    layer,
                }),
                Err(message) => found.push(Diagnostic::error(Code::E017, message)),
            }
        }
    }
    files
}

/// A catalogue's text, refusing anything over the rule-file size limit.
fn read_catalogue(confinement: &Confinement, path: &Path) -> Result<String, String> {
    confinement
        .read(path, crate::load::MAX_FILE_BYTES)
        .map_err(|e| format!("cannot read message catalogue `{}`: {e}", path.display()))
}
