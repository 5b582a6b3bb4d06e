//! `pimrules render`: the emails an instance's event sends, as the JSON summary, `.eml`
//! messages or HTML — on standard output, or one file per message in `--out-dir`.
//!
//! On standard output, `eml` is an mbox and `html` one preview page; in `--out-dir` every file
//! is written atomically and HTML gets an `index.html`.

use super::build::{build_rules, single};
use super::{Exit, RuleArgs, output};
use crate::diagnostic::{ColorMode, Diagnostic};
use crate::instance::{Instance, InstanceError, JsonInput, Location};
use crate::render::html::{self, Preview, PreviewEntry};
use crate::render::locale::Catalogues;
use crate::render::{self, Email, Rendering, mime};
use crate::ruleset::Vocabulary;
use crate::source::{Origin, Sources};
use clap::{Args, ValueEnum};
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct RenderArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The instance: a JSON file with the event, its facts and the people (`-` for stdin)
    #[arg(long, value_name = "INSTANCE.json")]
    pub input: PathBuf,
    /// The language of the emails
    #[arg(long, value_name = "LOCALE", default_value = "en")]
    pub locale: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = RenderFormat::Json)]
    pub format: RenderFormat,
    /// Write one file per message into DIR (created when missing) instead of standard output
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// `{"messages": [{"to", "recipient", "recipients", "from", "subject", "locale"}], "dropped"}`
    Json,
    /// RFC 5322 messages: `.eml` files, or an mbox on standard output
    Eml,
    /// the HTML bodies: files and an `index.html`, or one preview page on standard output
    Html,
}

impl RenderFormat {
    fn extension(self) -> &'static str {
        match self {
            RenderFormat::Json => "json",
            RenderFormat::Eml => "eml",
            RenderFormat::Html => "html",
        }
    }
}

pub fn render(args: &RenderArgs, color: ColorMode) -> Exit {
    let run = || -> Result<(), Exit> {
        let mut build = build_rules(&args.rules.rules, &[], color)?;
        let compiled = single(&build)?.clone();
        let (catalogues, problems) = Catalogues::load_checked(&mut build.loaded, &compiled);
        output::diagnostics(&problems, &build.loaded.sources, color);
        if problems.iter().any(Diagnostic::is_error) {
            return Err(Exit::Findings);
        }
        let Some(catalogue) = catalogues.locale(&args.locale) else {
            output::error(format_args!(
                "unknown locale `{}`; the available locales are {}",
                args.locale,
                crate::check::backticked_all(&catalogues.tags())
            ));
            return Err(Exit::Usage);
        };
        let (name, text) = read_json_file(&args.input, JsonInput::Instance, color)?;
        let table = &compiled.table;
        let rendering = Instance::from_json(&text)
            .and_then(|instance| render::render(table, catalogue, &instance, now()))
            .map_err(|error| report(JsonInput::Instance, &error, &name, &text, color))?;
        let v = &table.vocabulary;
        if rendering.dropped > 0 && (args.out_dir.is_some() || args.format != RenderFormat::Json) {
            eprintln!(
                "note: {} recipients past the rule set's cap of {} are not emailed",
                rendering.dropped,
                v.header.max_recipients.unwrap_or(0)
            );
        }
        match &args.out_dir {
            Some(dir) => write_files(&rendering, v, args.format, dir),
            None => output::print_bytes(&standard_output(&rendering, v, args.format)),
        }
    };
    run().err().unwrap_or(Exit::Success)
}

/// A JSON input's name for messages, and its text (`-`: standard input) without the
/// byte-order mark that may start it; `what` is the input it is. An
/// unreadable file is exit 2.
pub(super) fn read_json_file(
    path: &Path,
    what: JsonInput,
    color: ColorMode,
) -> Result<(String, String), Exit> {
    use crate::bounded::read_prefix;
    let kind = what.name();
    let from_stdin = path.as_os_str() == "-";
    let name = if from_stdin {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    };
    let limit = crate::instance::MAX_INSTANCE_BYTES;
    let read = if from_stdin {
        read_prefix(std::io::stdin(), limit)
    } else {
        crate::files::Disk::open(path).and_then(|f| read_prefix(f, limit))
    };
    let mut bytes = read.map_err(|e| {
        output::error(format_args!("cannot read {kind} `{name}`: {e}"));
        Exit::Usage
    })?;
    if bytes.len() as u64 > limit {
        let error = InstanceError::limit(
            format!("{kind} is larger than {}", crate::bounded::size(limit)),
            Location::Nowhere,
        );
        return Err(report(what, &error, &name, "", color));
    }
    let bom = bytes.len() - crate::json_location::without_bom(&bytes).len();
    bytes.drain(..bom);
    match String::from_utf8(bytes) {
        Ok(text) => Ok((name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let error = InstanceError::new(
                format!("{kind} is not UTF-8 text"),
                Location::Range(at..at + 1),
            );
            Err(report(what, &error, &name, &text, color))
        }
    }
}

/// A problem with a JSON input as its located diagnostic (`what`'s code, or E014), exit 1.
pub(super) fn report(
    what: JsonInput,
    error: &InstanceError,
    name: &str,
    text: &str,
    color: ColorMode,
) -> Exit {
    let mut sources = Sources::new();
    let file = sources.add(
        name.to_owned(),
        text.to_owned(),
        Origin::Memory(name.to_owned()),
    );
    let diagnostic = error.diagnostic(what, file, text);
    output::diagnostics(&[diagnostic], &sources, color);
    Exit::Findings
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The SPEC's summary of one message; `recipient` is the first class, `recipients` all.
fn message_json(rendering: &Rendering, v: &Vocabulary, email: &Email) -> serde_json::Value {
    let classes: Vec<&str> = email
        .recipient
        .classes
        .iter()
        .map(|c| v.class_name(*c))
        .collect();
    json!({
        "to": email.recipient.address,
        "recipient": classes.first().copied().unwrap_or_default(),
        "recipients": classes,
        "from": rendering.sender.to_string(),
        "subject": email.body.content.subject,
        "locale": rendering.locale,
    })
}

fn pretty(value: &serde_json::Value) -> Vec<u8> {
    let mut text = serde_json::to_vec_pretty(value).unwrap_or_default();
    text.push(b'\n');
    text
}

fn standard_output(rendering: &Rendering, v: &Vocabulary, format: RenderFormat) -> Vec<u8> {
    match format {
        RenderFormat::Json => {
            let messages: Vec<serde_json::Value> = rendering
                .emails
                .iter()
                .map(|email| message_json(rendering, v, email))
                .collect();
            pretty(&json!({"messages": messages, "dropped": rendering.dropped}))
        }
        RenderFormat::Eml => mime::mbox(rendering),
        RenderFormat::Html => {
            let entries =
                preview_entries(rendering, v, |_, email| Preview::Inline(&email.body.html));
            preview_page(rendering, v, &entries).into_bytes()
        }
    }
}

/// One file per message (`0001-ada@contoso.com.eml`), then for HTML the `index.html` page;
/// the paths written are listed on standard output.
fn write_files(
    rendering: &Rendering,
    v: &Vocabulary,
    format: RenderFormat,
    dir: &Path,
) -> Result<(), Exit> {
    std::fs::create_dir_all(dir).map_err(|e| {
        output::error(format_args!("cannot create `{}`: {e}", dir.display()));
        Exit::Usage
    })?;
    let mut written = Vec::new();
    for (index, email) in rendering.emails.iter().enumerate() {
        let file = file_name(index, email, format);
        let contents = match format {
            RenderFormat::Json => pretty(&message_json(rendering, v, email)),
            RenderFormat::Eml => mime::eml(rendering, email),
            RenderFormat::Html => email.body.html.clone().into_bytes(),
        };
        let path = dir.join(&file);
        output::write_atomically(&path, &contents)?;
        written.push(path);
    }
    if format == RenderFormat::Html {
        let entries = preview_entries(rendering, v, |index, email| {
            Preview::File(file_name(index, email, format))
        });
        let path = dir.join("index.html");
        output::write_atomically(&path, preview_page(rendering, v, &entries).as_bytes())?;
        written.push(path);
    }
    let listing: String = written
        .iter()
        .map(|p| format!("{}\n", crate::neutral::file_name(&p.display().to_string())))
        .collect();
    output::print(&listing)
}

/// `0001-ada@contoso.com.eml`: the position, then the address with anything but letters,
/// digits and `@._-` replaced, so no address can name a path.
fn file_name(index: usize, email: &Email, format: RenderFormat) -> String {
    let address = file_name_part(&email.recipient.address);
    format!("{:04}-{address}.{}", index + 1, format.extension())
}

/// An address made safe in a file name: anything but letters, digits and `@._-` becomes `_`.
pub(super) fn file_name_part(address: &str) -> String {
    address
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "@._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn preview_entries<'r>(
    rendering: &'r Rendering,
    v: &Vocabulary,
    preview: impl Fn(usize, &'r Email) -> Preview<'r>,
) -> Vec<PreviewEntry<'r>> {
    rendering
        .emails
        .iter()
        .enumerate()
        .map(|(index, email)| PreviewEntry {
            to: match &email.recipient.name {
                Some(name) => format!("{name} <{}>", email.recipient.address),
                None => email.recipient.address.clone(),
            },
            classes: email
                .recipient
                .classes
                .iter()
                .map(|c| v.class_name(*c))
                .collect::<Vec<_>>()
                .join(", "),
            subject: &email.body.content.subject,
            preview: preview(index, email),
        })
        .collect()
}

fn preview_page(rendering: &Rendering, v: &Vocabulary, entries: &[PreviewEntry]) -> String {
    let count = match rendering.emails.len() {
        1 => "1 email".to_owned(),
        n => format!("{n} emails"),
    };
    let heading = format!(
        "{count}: {} in {} ({}, {})",
        v.event_name(rendering.event),
        v.scope_name(rendering.scope),
        v.header.name,
        rendering.locale
    );
    let mut note = format!("From {}.", rendering.sender);
    if rendering.dropped > 0 {
        note.push_str(&format!(
            " {} more recipients are past the cap and not emailed.",
            rendering.dropped
        ));
    }
    html::preview_page(&heading, &note, entries)
}
