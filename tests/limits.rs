//! Every documented limit (README, "Limits") is enforced with a clear error: rules, facts,
//! (scope, event) pairs, table rows, instance size, people and text, and every file a command reads.

// tests read and write scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

#[path = "support/scratch.rs"]
mod scratch;

use pimrules::diagnostic::{Code, Diagnostic};
use pimrules::load::RuleSource;
use pimrules::pipeline::build_text;
use pimrules::source::Sources;
use scratch::{Scratch, pimrules};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const HEADER: &str = "ruleset \"limits\" version \"1\"\nsender \"N\" <n@contoso.com>\n\
subject-prefix \"PIM: \"\nmax-recipients 10\nrecipient r \"R\"\ntemplate e \"E\"\n";

/// The E014 messages of a build of `text`.
fn limit_errors(text: &str) -> Vec<String> {
    located(text, Code::E014)
        .into_iter()
        .map(|(message, _)| message)
        .collect()
}

/// The diagnostics of `code` of a build of `text`, each with where it points
/// (`limits.pimrules:LINE:COLUMN`).
fn located(text: &str, code: Code) -> Vec<(String, String)> {
    let build = build_text("limits.pimrules", text);
    located_in(&build.loaded.sources, &build.diagnostics, code)
}

/// The diagnostics of `code` among `diagnostics`, each with where it points.
fn located_in(sources: &Sources, diagnostics: &[Diagnostic], code: Code) -> Vec<(String, String)> {
    diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let at = d.primary.as_ref().map(|l| sources.locate(l.span));
            (d.message.clone(), at.unwrap_or_default())
        })
        .collect()
}

/// `limits.pimrules:LINE:COLUMN` of the first `needle` in `text` after the first `after`,
/// counted here, not by pimrules.
fn at(text: &str, after: &str, needle: &str) -> String {
    let from = text.find(after).expect("`after` is in the text");
    position(
        text,
        from + text[from..]
            .find(needle)
            .expect("the needle is in the text"),
    )
}

/// `limits.pimrules:LINE:COLUMN` of byte `offset` of `text`.
fn position(text: &str, offset: usize) -> String {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("limits.pimrules:{line}:{column}")
}

/// A rule set with `count` numbered copies of `line` (`{i}` is the number) after the header.
fn numbered(line: &str, count: usize) -> String {
    let mut text = format!("{HEADER}scope s \"S\"\nevent e \"E\"\n");
    for i in 0..count {
        text.push_str(&line.replace("{i}", &i.to_string()));
        text.push('\n');
    }
    text
}

/// The E014 messages of checking `text`, without compiling it (for rule sets exactly at a limit,
/// which are valid and would otherwise be compiled in full: a million (scope, event) cells).
fn check_limit_errors(text: &str) -> Vec<String> {
    let loaded = pimrules::load::load_text("limits.pimrules", text);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let mut messages = Vec::new();
    for program in &loaded.programs {
        if let Err(errors) = pimrules::check::check(&loaded, program) {
            messages.extend(
                errors
                    .into_iter()
                    .filter(|d| d.code == pimrules::diagnostic::Code::E014)
                    .map(|d| d.message),
            );
        }
    }
    messages
}

#[test]
fn rule_sets_exactly_at_the_limits_are_accepted() {
    let facts = numbered("fact f{i}: bool = false", pimrules::ruleset::MAX_FACTS);
    assert_eq!(check_limit_errors(&facts), [] as [String; 0]);
    let mut pairs = HEADER.to_owned();
    for i in 0..1024 {
        let _ = writeln!(pairs, "scope s{i} \"S\"\nevent e{i} \"E\"");
    }
    assert_eq!(1024 * 1024, pimrules::ruleset::MAX_SCOPE_EVENT_PAIRS);
    assert_eq!(check_limit_errors(&pairs), [] as [String; 0]);
}

/// The checked rule set of `count` rules: the first and the last parsed from the text, the rest
/// copies of the first put into its syntax tree under names of their own (the checker counts
/// rules; parsing 250 000 of them takes minutes in a debug build). The text goes with it.
fn rules_checked(count: usize) -> (Result<usize, Vec<(String, String)>>, String) {
    use pimrules::syntax::ast::Item;
    let text = numbered("rule r{i} { on e in s notify r }", 2);
    let mut loaded = pimrules::load::load_text("limits.pimrules", &text);
    let program = loaded.programs[0].clone();
    let items = &mut loaded.modules.get_mut(&program.root).expect("parsed").items;
    let first = items.len() - 2;
    let copies: Vec<_> = (2..count)
        .map(|i| {
            let mut copy = items[first].clone();
            if let Item::Rule(rule) = &mut copy.node {
                rule.name.node = format!("copy{i}");
            }
            copy
        })
        .collect();
    items.splice(first + 1..first + 1, copies);
    let checked = pimrules::check::check(&loaded, &program)
        .map(|rule_set| rule_set.rules.len())
        .map_err(|errors| located_in(&loaded.sources, &errors, Code::E014));
    (checked, text)
}

#[test]
fn a_rule_set_of_the_most_rules_is_accepted() {
    let max = pimrules::ruleset::MAX_RULES;
    let (checked, _) = rules_checked(max);
    assert_eq!(checked, Ok(max));
}

#[test]
fn one_rule_more_than_the_limit_is_refused_at_that_rule() {
    let max = pimrules::ruleset::MAX_RULES;
    let (checked, text) = rules_checked(max + 1);
    let last = at(&text, "rule r1 ", "r1");
    assert_eq!(checked, Err(vec![(format!("more than {max} rules"), last)]));
}

/// A file of exactly `MAX_FILE_BYTES` is read: a rule file that size is refused for what it
/// holds (zero bytes, E002), not for its size; every other file is read by
/// `files::Disk::read_text` (standard input by `bounded::read_text`), which returns all of it.
/// (Those files past the limit: `every_input_file_is_bounded`, through the binary. At the limit
/// they are not run through the binary: parsing 64 MiB takes minutes in a debug build.)
#[test]
fn a_file_of_exactly_the_size_limit_is_read() {
    let scratch = Scratch::new("file-at-limit");
    let max = pimrules::load::MAX_FILE_BYTES;
    let path = sparse(&scratch, "at.pimrules", max);
    let loaded = pimrules::load::load(&[RuleSource::Path(path.clone())]).expect("read");
    let found: Vec<(Code, &str)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(Code::E002, "file contains a NUL byte; is it binary?")]
    );
    drop(loaded);
    let text = pimrules::files::Disk::read_text(&path, max).expect("read at the limit");
    assert_eq!(text.len() as u64, max);
    drop(text);
    let file = std::fs::File::open(&path).expect("open");
    let text = pimrules::bounded::read_text(file, max).expect("read at the limit");
    assert_eq!(text.len() as u64, max);
}

/// A rule set whose rule `long` is `len` bytes from `rule` to its `}` (padded by a comment
/// inside it), after a comment that does not count, then a rule with a syntax error: it is
/// reported if reading went on.
fn long_item(len: usize) -> String {
    let head = "rule long {\n  on e in s\n  notify r\n  // ";
    let tail = "\n}";
    let padding = "x".repeat(len - head.len() - tail.len());
    let before = "y".repeat(1000);
    format!(
        "{HEADER}scope s \"S\"\nevent e \"E\"\n// {before}\n{head}{padding}{tail}\n\
         rule next {{ on e in s notify }}\n"
    )
}

/// The syntax error of `long_item`'s last rule.
fn next_rule_error(text: &str) -> (String, String) {
    let at = at(text, "rule next", "}");
    ("expected a name, found `}`".to_owned(), at)
}

#[test]
fn an_item_of_the_most_bytes_is_read() {
    let text = long_item(pimrules::syntax::MAX_ITEM_BYTES);
    assert_eq!(located(&text, Code::E014), []);
    assert_eq!(located(&text, Code::E001), [next_rule_error(&text)]);
}

#[test]
fn an_item_one_byte_longer_is_refused_where_it_starts() {
    let text = long_item(pimrules::syntax::MAX_ITEM_BYTES + 1);
    let refused = (
        "an item longer than 1024 KiB".to_owned(),
        at(&text, "rule long", "rule"),
    );
    assert_eq!(located(&text, Code::E014), [refused]);
    // the rest of the item is skipped, not read; reading resumes at the next item
    assert_eq!(located(&text, Code::E001), [next_rule_error(&text)]);
}

/// A rule set of `count` rules that each notify a class nobody declared: an E004 each.
fn unknown_classes(count: usize) -> String {
    numbered("rule r{i} { on e in s notify nobody }", count)
}

#[test]
fn the_most_diagnostics_of_one_code_are_all_shown() {
    let max = pimrules::diagnostic::MAX_PER_FILE_AND_CODE;
    let text = unknown_classes(max);
    let shown = located(&text, Code::E004);
    let expected: Vec<(String, String)> = (0..max)
        .map(|i| {
            let at = at(&text, &format!("rule r{i} "), "nobody");
            ("unknown recipient class `nobody`".to_owned(), at)
        })
        .collect();
    assert_eq!(shown, expected);
}

#[test]
fn one_diagnostic_more_is_counted_at_the_last_one_shown() {
    let max = pimrules::diagnostic::MAX_PER_FILE_AND_CODE;
    let text = unknown_classes(max + 1);
    let build = build_text("limits.pimrules", &text);
    let shown = located_in(&build.loaded.sources, &build.diagnostics, Code::E004);
    assert_eq!(shown.len(), max + 1, "{shown:?}");
    let last_shown = at(&text, &format!("rule r{} ", max - 1), "nobody");
    assert_eq!(shown[max - 1].1, last_shown);
    assert_eq!(shown[max], ("1 more E004 not shown".to_owned(), last_shown));
    let closing = build.diagnostics.last().and_then(|d| d.primary.as_ref());
    assert_eq!(
        closing.map(|label| label.message.as_str()),
        Some(format!("the last of the {max} shown").as_str())
    );
}

/// A folder of one rule set: its header and declarations (the event `approval`), and files
/// `a.pimrules`, `b.pimrules`, … of `counts` rules each that name the event `aproval`. Its
/// build's E004s in order, each as its file's name and its help.
fn misspelt_events(counts: &[usize]) -> Vec<(String, Vec<String>)> {
    let scratch = Scratch::new(&format!("suggestions-{}", counts.len()));
    let declarations = format!("{HEADER}scope s \"S\"\nevent approval \"A\"\ntemplate approval\n");
    scratch.write("rules.pimrules", declarations.as_bytes());
    for (file, count) in counts.iter().enumerate() {
        let name = char::from(b'a' + file as u8);
        let rules: String = (0..*count)
            .map(|i| format!("rule {name}{i} {{ on aproval in s notify r }}\n"))
            .collect();
        scratch.write(&format!("{name}.pimrules"), rules.as_bytes());
    }
    let build = pimrules::pipeline::build(&[RuleSource::Path(scratch.0.clone())]).expect("built");
    let sources = &build.loaded.sources;
    build
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::E004)
        .map(|d| {
            let file = d.primary.as_ref().map_or("", |l| sources.name(l.span.file));
            let name = Path::new(file).file_stem().unwrap_or_default();
            (name.to_string_lossy().into_owned(), d.help.clone())
        })
        .collect()
}

/// Files of as many unknown names as are shown per file, `MAX_SUGGESTIONS` names in all.
fn suggestion_files() -> Vec<usize> {
    let shown = pimrules::diagnostic::MAX_PER_FILE_AND_CODE;
    let max = pimrules::check::MAX_SUGGESTIONS;
    assert_eq!(max % shown, 0);
    vec![shown; max / shown]
}

#[test]
fn the_most_suggestions_are_all_made() {
    let files = suggestion_files();
    let found = misspelt_events(&files);
    assert_eq!(found.len(), pimrules::check::MAX_SUGGESTIONS);
    for (file, help) in found {
        assert_eq!(help, ["did you mean `approval`?"], "in {file}");
    }
}

#[test]
fn an_unknown_name_past_the_most_suggestions_gets_none() {
    let mut files = suggestion_files();
    files.push(1);
    let found = misspelt_events(&files);
    assert_eq!(found.len(), pimrules::check::MAX_SUGGESTIONS + 1);
    let (last, suggested) = found.split_last().expect("found");
    assert_eq!(last, &("c".to_owned(), Vec::new()));
    assert!(
        suggested
            .iter()
            .all(|(_, help)| help == &["did you mean `approval`?"]),
        "{suggested:?}"
    );
}

/// A rule whose condition is `nots` times `not`, then `parens` parentheses around a fact.
fn nested(nots: usize, parens: usize) -> String {
    format!(
        "{HEADER}scope s \"S\"\nevent e \"E\"\nfact f: bool = false\n\
         rule deep {{\n  on e in s\n  notify r\n  when {}{}f{}\n}}\n",
        "not ".repeat(nots),
        "(".repeat(parens),
        ")".repeat(parens)
    )
}

#[test]
fn a_condition_nested_to_the_limit_is_read() {
    let max = pimrules::syntax::MAX_NESTING;
    for (nots, parens) in [(0, max), (max, 0), (max / 2, max / 2)] {
        let build = build_text("limits.pimrules", &nested(nots, parens));
        assert!(
            build.diagnostics.is_empty() && build.compiled.len() == 1,
            "{nots} nots, {parens} parentheses: {:?}",
            build.diagnostics
        );
    }
}

#[test]
fn a_condition_nested_one_level_deeper_is_refused() {
    let max = pimrules::syntax::MAX_NESTING;
    let deep = format!("condition nested more than {max} levels deep");
    // the parenthesis one too deep, found before parsing
    let text = nested(0, max + 1);
    let when = text.find("when ").expect("a condition") + "when ".len();
    assert_eq!(
        located(&text, Code::E003),
        [(deep.clone(), position(&text, when + max))]
    );
    // `not`s, and `not`s and parentheses together: at the negation that goes too deep
    let text = nested(max + 1, 0);
    assert_eq!(
        located(&text, Code::E003),
        [(deep.clone(), position(&text, when))]
    );
    let text = nested(max / 2 + 1, max / 2);
    assert_eq!(
        located(&text, Code::E003),
        [(deep, position(&text, when + 4 * (max / 2 + 1) + max / 2))]
    );
}

/// A file of `count` rules named by numbers: a syntax error each.
fn bad_names(count: usize) -> String {
    numbered("rule {i} { on e in s notify r }", count)
}

#[test]
fn the_most_syntax_errors_are_all_reported() {
    let max = pimrules::syntax::MAX_SYNTAX_ERRORS;
    let text = bad_names(max);
    let loaded = pimrules::load::load_text("limits.pimrules", &text);
    let found = located_in(&loaded.sources, &loaded.diagnostics, Code::E001);
    let expected: Vec<(String, String)> = (0..max)
        .map(|i| {
            let at = at(&text, &format!("rule {i} "), &i.to_string());
            (format!("expected a name, found `{i}`"), at)
        })
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn one_syntax_error_more_stops_reading() {
    let max = pimrules::syntax::MAX_SYNTAX_ERRORS;
    let text = bad_names(max + 1);
    let loaded = pimrules::load::load_text("limits.pimrules", &text);
    let found = located_in(&loaded.sources, &loaded.diagnostics, Code::E001);
    assert_eq!(found.len(), max + 1, "{found:?}");
    assert_eq!(
        found[max],
        (
            format!("too many syntax errors; stopped reading after {max}"),
            at(&text, &format!("rule {max} "), "rule")
        )
    );
}

/// A rule set with a fact of `count` values.
fn fact_of(count: usize) -> String {
    let values: Vec<String> = (0..count).map(|i| format!("v{i}")).collect();
    format!(
        "{HEADER}scope s \"S\"\nevent e \"E\"\nfact wide: {} = v0\n",
        values.join(" | ")
    )
}

#[test]
fn a_fact_of_the_most_values_is_accepted() {
    let build = build_text(
        "limits.pimrules",
        &fact_of(pimrules::ruleset::MAX_FACT_VALUES),
    );
    assert!(build.diagnostics.is_empty(), "{:?}", build.diagnostics);
}

#[test]
fn a_fact_of_one_value_more_is_refused_at_that_value() {
    let max = pimrules::ruleset::MAX_FACT_VALUES;
    let text = fact_of(max + 1);
    let value = at(&text, "fact wide", &format!("v{max} "));
    assert_eq!(
        located(&text, Code::E014),
        [(format!("fact `wide` has more than {max} values"), value)]
    );
}

/// A rule set of `count` recipient classes: the header's `r`, and `c1`, `c2`, ….
fn classes(count: usize) -> String {
    let mut text = HEADER.to_owned();
    for i in 1..count {
        let _ = writeln!(text, "recipient c{i} \"C\"");
    }
    text
}

#[test]
fn the_most_recipient_classes_are_accepted() {
    let build = build_text(
        "limits.pimrules",
        &classes(pimrules::ruleset::MAX_RECIPIENT_CLASSES),
    );
    assert!(build.diagnostics.is_empty(), "{:?}", build.diagnostics);
}

#[test]
fn one_recipient_class_more_is_refused_at_that_class() {
    let max = pimrules::ruleset::MAX_RECIPIENT_CLASSES;
    let text = classes(max + 1);
    let class = at(&text, &format!("recipient c{max} "), &format!("c{max}"));
    assert_eq!(
        located(&text, Code::E014),
        [(format!("more than {max} recipient classes"), class)]
    );
}

#[test]
fn more_facts_than_the_limit() {
    let max = pimrules::ruleset::MAX_FACTS;
    let text = numbered("fact f{i}: bool = false", max + 1);
    assert_eq!(limit_errors(&text), [format!("more than {max} facts")]);
}

#[test]
fn more_scope_event_pairs_than_the_limit() {
    let mut text = HEADER.to_owned();
    for i in 0..1025 {
        let _ = writeln!(text, "scope s{i} \"S\"\nevent e{i} \"E\"");
    }
    const { assert!(1025 * 1025 > pimrules::ruleset::MAX_SCOPE_EVENT_PAIRS) };
    assert_eq!(
        located(&text, Code::E014),
        [(
            "1025 scopes and 1025 events make more than 1048576 (scope, event) pairs".to_owned(),
            at(&text, "event e1024 ", "e1024")
        )]
    );
}

/// A rule whose condition has 2^12 = 4096 cases (twelve independent `or`s), with `extra`.
fn cases(extra: &str) -> String {
    let mut text = format!("{HEADER}scope s \"S\"\nevent e \"E\"\nfact c: bool = false\n");
    let mut parts = Vec::new();
    for i in 0..12 {
        let _ = writeln!(text, "fact a{i}: bool = false\nfact b{i}: bool = false");
        parts.push(format!("(a{i} or b{i})"));
    }
    let _ = writeln!(
        text,
        "rule wide {{\n  on e in s\n  notify r\n  when {}{extra}\n}}",
        parts.join(" and ")
    );
    text
}

#[test]
fn a_condition_of_the_most_cases_compiles() {
    let build = build_text("limits.pimrules", &cases(""));
    assert!(build.diagnostics.is_empty(), "{:?}", build.diagnostics);
    let rows = build.compiled[0].table.cells[0].rows.len();
    assert_eq!(rows, pimrules::table::cube::MAX_CUBES_PER_CONDITION);
}

#[test]
fn a_condition_of_one_case_more_is_refused_at_the_condition() {
    let text = cases(" or c");
    assert_eq!(
        located(&text, Code::E014),
        [(
            "the condition of rule `wide` is too complex".to_owned(),
            at(&text, "when ", "(a0")
        )]
    );
}

/// One row past the limit, from one rule: 5 cases × 397 scopes × 2113 events. (Exactly at the
/// limit is not tested: a table of 4 194 304 rows takes gigabytes and minutes in a debug build.)
#[test]
fn one_row_past_the_table_limit_is_refused_at_the_rule() {
    let (cases, scopes, events) = (5, 397, 2113);
    assert_eq!(cases * scopes * events, pimrules::table::MAX_TABLE_ROWS + 1);
    let mut text = HEADER.to_owned();
    let scope_names: Vec<String> = (0..scopes).map(|i| format!("s{i}")).collect();
    let event_names: Vec<String> = (0..events).map(|i| format!("e{i}")).collect();
    let fact_names: Vec<String> = (0..cases).map(|i| format!("f{i}")).collect();
    for scope in &scope_names {
        let _ = writeln!(text, "scope {scope} \"S\"");
    }
    for event in &event_names {
        let _ = writeln!(text, "event {event} \"E\"");
    }
    for fact in &fact_names {
        let _ = writeln!(text, "fact {fact}: bool = false");
    }
    let _ = writeln!(
        text,
        "rule filling {{\n  on {} in {}\n  notify r\n  when {}\n  template e\n}}",
        event_names.join(", "),
        scope_names.join(", "),
        fact_names.join(" or ")
    );
    assert_eq!(
        located(&text, Code::E014),
        [(
            format!(
                "the decision table has more than {} rows",
                pimrules::table::MAX_TABLE_ROWS
            ),
            at(&text, "rule filling", "rule")
        )]
    );
}

#[test]
fn a_table_with_more_rows_than_the_limit() {
    // 2048 cases (11 independent `or`s) in 33 × 64 = 2112 cells: 4.3 million rows from one rule
    let mut text = HEADER.to_owned();
    let (events, scopes): (Vec<String>, Vec<String>) =
        (0..64).map(|i| (format!("e{i}"), format!("s{i}"))).unzip();
    for (event, scope) in events.iter().zip(&scopes) {
        let _ = writeln!(
            text,
            "scope {scope} \"S\"\nevent {event} \"E\"\ntemplate {event} \"E\""
        );
    }
    let mut parts = Vec::new();
    for i in 0..11 {
        let _ = writeln!(text, "fact a{i}: bool = false\nfact b{i}: bool = false");
        parts.push(format!("(a{i} or b{i})"));
    }
    let _ = writeln!(
        text,
        "rule wide {{\n  on {} in {}\n  notify r\n  when {}\n}}",
        events[..33].join(", "),
        scopes.join(", "),
        parts.join(" and ")
    );
    assert_eq!(
        limit_errors(&text),
        [format!(
            "the decision table has more than {} rows",
            pimrules::table::MAX_TABLE_ROWS
        )]
    );
}

/// `render` of an instance written to a scratch file: exit code and stderr.
fn render(scratch: &Scratch, instance: &[u8]) -> (Option<i32>, String) {
    let (code, _, stderr) = render_with(scratch, &[], instance);
    (code, stderr)
}

/// `render ARGS --input instance.json` of an instance written to a scratch file: exit code,
/// stdout and stderr.
fn render_with(
    scratch: &Scratch,
    args: &[&std::ffi::OsStr],
    instance: &[u8],
) -> (Option<i32>, String, String) {
    let path = scratch.write("instance.json", instance);
    let output = pimrules(
        [std::ffi::OsStr::new("render")]
            .into_iter()
            .chain(args.iter().copied())
            .chain(["--input".as_ref(), path.as_os_str()]),
    );
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Assert that a run ended with exit code `exit` and wrote each of `said` on standard error.
fn assert_refused(code: Option<i32>, stderr: &str, exit: i32, said: &[&str]) {
    assert_eq!(code, Some(exit), "{stderr:.2000}");
    for text in said {
        assert!(stderr.contains(text), "{text}\n{stderr:.2000}");
    }
}

/// A file of `len` zero bytes that takes no disk space (sparse), in `scratch`.
fn sparse(scratch: &Scratch, name: &str, len: u64) -> PathBuf {
    let path = scratch.0.join(name);
    std::fs::File::create(&path)
        .and_then(|f| f.set_len(len))
        .expect("sparse file");
    path
}

/// An instance of exactly `len` bytes: spaces pad it.
fn instance_of(len: u64) -> Vec<u8> {
    let instance = br#"{"event": "role-assigned", "scope": "group"}"#;
    let mut padded = instance[..instance.len() - 1].to_vec();
    padded.resize(len as usize - 1, b' ');
    padded.push(b'}');
    padded
}

#[test]
fn an_instance_of_the_most_bytes_is_rendered() {
    let scratch = Scratch::new("instance-bytes-at");
    let max = pimrules::instance::MAX_INSTANCE_BYTES;
    let path = scratch.write("instance.json", &instance_of(max));
    let input = path.display().to_string();
    for (args, stdin) in [
        (["render", "--input", &input], None),
        (["render", "--input", "-"], Some(&path)),
    ] {
        let (code, stderr) = run_reading(&args, stdin.map(PathBuf::as_path));
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn an_instance_over_the_byte_limit_is_refused_unread() {
    let scratch = Scratch::new("instance-bytes");
    let path = sparse(
        &scratch,
        "huge.json",
        pimrules::instance::MAX_INSTANCE_BYTES + 1,
    );
    let input = path.display().to_string();
    for (args, stdin) in [
        (["render", "--input", &input], None),
        (["render", "--input", "-"], Some(&path)),
    ] {
        let (code, stderr) = run_reading(&args, stdin.map(PathBuf::as_path));
        assert_refused(
            code,
            &stderr,
            1,
            &["error[E014]: instance is larger than 4 MiB"],
        );
    }
}

#[test]
fn an_instance_with_too_many_people_is_refused() {
    let scratch = Scratch::new("instance-people");
    let people: Vec<String> = (0..=pimrules::instance::MAX_INSTANCE_PEOPLE)
        .map(|i| format!("{{\"email\": \"p{i}@contoso.com\"}}"))
        .collect();
    let instance = format!(
        "{{\"event\": \"role-assigned\", \"scope\": \"azure-resource\",\n\"people\": {{\"permanent-owner\": [{}]}}}}",
        people.join(",")
    );
    let (code, stderr) = render(&scratch, instance.as_bytes());
    assert_refused(
        code,
        &stderr,
        1,
        &[
            "error[E014]: the instance lists 10001 people, more than 10000",
            "instance.json:2:1",
        ],
    );
}

/// Instances whose free-text field (named as in messages) holds `text`.
fn instances_with_text(text: &str) -> [(&'static str, String); 2] {
    [
        (
            "justification",
            format!(r#"{{"event": "role-assigned", "scope": "group", "justification": "{text}"}}"#),
        ),
        (
            "people.approver[0].name",
            format!(
                r#"{{"event": "role-assigned", "scope": "group", "people": {{"approver": [{{"name": "{text}", "email": "a@contoso.com"}}]}}}}"#
            ),
        ),
    ]
}

#[test]
fn instance_text_of_the_most_bytes_is_rendered() {
    let scratch = Scratch::new("instance-text-at");
    let longest = "x".repeat(pimrules::instance::MAX_TEXT_BYTES);
    for (field, instance) in instances_with_text(&longest) {
        let (code, stderr) = render(&scratch, instance.as_bytes());
        assert_eq!(code, Some(0), "{field}: {stderr:.2000}");
    }
}

#[test]
fn instance_text_over_the_limit_is_refused_at_the_field() {
    let scratch = Scratch::new("instance-text");
    let max = pimrules::instance::MAX_TEXT_BYTES;
    let long = "x".repeat(max + 1);
    for (field, instance) in instances_with_text(&long) {
        let (code, stderr) = render(&scratch, instance.as_bytes());
        let message = format!(
            "error[E014]: `{field}` is {} bytes long, more than {max}",
            max + 1
        );
        let column = instance.find(&format!("\"{long}\"")).expect("the field") + 1;
        let located = format!("instance.json:1:{column}");
        assert_refused(code, &stderr, 1, &[&message, &located]);
    }
}

/// `pimrules ARGS…` with standard input read from `stdin` (none when `None`): exit code and
/// stderr.
fn run_reading(args: &[&str], stdin: Option<&Path>) -> (Option<i32>, String) {
    let stdin = match stdin {
        Some(path) => std::fs::File::open(path).expect("stdin file").into(),
        None => std::process::Stdio::null(),
    };
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pimrules"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(stdin)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr)
}

/// Every other file a command reads (rule files have their own test in hostile.rs) is refused
/// past 64 MiB without being read into memory.
#[test]
fn every_input_file_is_bounded() {
    let scratch = Scratch::new("input-files");
    let huge = |name: &str| {
        let path = sparse(&scratch, name, pimrules::load::MAX_FILE_BYTES + 1);
        path.display().to_string()
    };
    let policy = huge("policy.json");
    let rules = huge("rules.pimrules");
    // `pimrules.toml` beside a rule file lint reads, and a message catalogue of one check reads
    let rule_set =
        format!("{HEADER}scope s \"S\"\nevent e \"E\"\nrule r {{ on e in s notify r }}\n");
    for folder in [
        "lint",
        "catalogue",
        "catalogue/locales",
        "catalogue/locales/en",
    ] {
        std::fs::create_dir_all(scratch.0.join(folder)).expect("temp dir");
    }
    let linted = scratch.write("lint/rules.pimrules", rule_set.as_bytes());
    let config = huge("lint/pimrules.toml");
    let checked = scratch.write("catalogue/rules.pimrules", rule_set.as_bytes());
    let catalogue = huge("catalogue/locales/en/pim.ftl");
    let (linted, checked) = (linted.display().to_string(), checked.display().to_string());
    // each named as written, after `cannot read` and what it is
    let runs: [(&[&str], Option<&str>, &str); 5] = [
        (&["fmt", &rules], None, &rules),
        (&["fmt", "-"], Some(&rules), "standard input"),
        (&["policy", "import", &policy], None, &policy),
        (
            &[
                "eval",
                "--event",
                "role-assigned",
                "--scope",
                "group",
                "--policy",
                &policy,
            ],
            None,
            &policy,
        ),
        (&["lint", &linted], None, &config),
    ];
    for (args, stdin, name) in runs {
        let (code, stderr) = run_reading(args, stdin.map(Path::new));
        let name = match stdin {
            Some(_) => name.to_owned(),
            None => format!("`{name}`"),
        };
        let said = format!("{name}: larger than 64 MiB");
        assert_refused(code, &stderr, 2, &["error: cannot read ", &said]);
    }
    // a catalogue is a diagnostic of the rule set's check (E017, exit 1), not exit 2
    let (code, stderr) = run_reading(&["check", &checked], None);
    let said =
        format!("error[E017]: cannot read message catalogue `{catalogue}`: larger than 64 MiB");
    assert_refused(code, &stderr, 1, &[&said]);
}

/// A cell past `analysis::cover::MAX_CELL_ROWS` is left unanswered by the checks that compare
/// its rows: 21 identical rules of 1024 cases each are not all reported redundant, and lint ends.
#[test]
fn lint_leaves_an_oversized_cell_unanswered() {
    let mut text = format!("{HEADER}scope s \"S\"\nevent e \"E\" occurs in s\n");
    let mut parts = Vec::new();
    for i in 0..10 {
        let _ = writeln!(text, "fact a{i}: bool = false\nfact b{i}: bool = false");
        parts.push(format!("(a{i} or b{i})"));
    }
    let rules = pimrules::analysis::cover::MAX_CELL_ROWS / 1024 + 1;
    for k in 0..rules {
        let _ = writeln!(
            text,
            "rule r{k} {{\n  on e in s\n  notify r\n  when {}\n}}",
            parts.join(" and ")
        );
    }
    let build = build_text("limits.pimrules", &text);
    assert!(!build.has_errors(), "{:?}", build.diagnostics.first());
    let compiled = &build.compiled[0];
    assert!(compiled.table.cells[0].rows.len() > pimrules::analysis::cover::MAX_CELL_ROWS);
    let findings = pimrules::analysis::lint(&build.loaded, compiled);
    assert!(
        findings
            .iter()
            .all(|f| !matches!(f.code.as_str(), "W002" | "W003" | "W007")),
        "{findings:?}"
    );
}

/// An instance of a role assignment (`entra-pim`: its permanent owners and a policy's admin
/// row are emailed) listing `people` permanent owners; with `policy`, a policy whose rules
/// add that many addresses in all: ten in the rule of the assignment's section, the rest in a
/// rule of another section (not emailed for this event, but counted); `role` names the role.
fn crowded_instance(people: usize, policy: Option<usize>, role: &str) -> String {
    let owners: Vec<String> = (0..people)
        .map(|i| format!(r#"{{"email": "p{i}@contoso.com"}}"#))
        .collect();
    let policy = policy.map_or(String::new(), |additional| {
        let rule = |id: &str, range: std::ops::Range<usize>| {
            let addresses: Vec<String> = range.map(|i| format!(r#""x{i}@contoso.com""#)).collect();
            format!(
                r#"{{"id": "{id}", "notificationLevel": "All", "isDefaultRecipientsEnabled": true, "notificationRecipients": [{}]}}"#,
                addresses.join(", ")
            )
        };
        let applied = additional.min(10);
        format!(
            ",\n\"policy\": [{}, {}]",
            rule("Notification_Admin_Admin_Eligibility", 0..applied),
            rule("Notification_Admin_EndUser_Assignment", applied..additional)
        )
    });
    format!(
        "{{\"event\": \"role-assigned\", \"scope\": \"azure-resource\", \"role\": \"{role}\",\n\
         \"facts\": {{\"assignment\": \"eligible\", \"duration\": \"time-bound\"}},\n\
         \"people\": {{\"permanent-owner\": [{}]}}{policy}}}",
        owners.join(",")
    )
}

#[test]
fn the_people_limit_counts_the_policys_addresses() {
    let scratch = Scratch::new("instance-policy-people");
    let max = pimrules::instance::MAX_INSTANCE_PEOPLE;
    let at_limit = crowded_instance(max - 10, Some(10), "Backup Reader");
    let (code, stderr) = render(&scratch, at_limit.as_bytes());
    assert_eq!(code, Some(0), "{stderr:.2000}");
    let past = crowded_instance(max - 10, Some(11), "Backup Reader");
    let (code, stderr) = render(&scratch, past.as_bytes());
    assert_refused(
        code,
        &stderr,
        1,
        &[
            "error[E014]: the instance names 10001 addresses, more than 10000: 9990 people and 11 additional addresses of its `policy`",
            "instance.json:3:1",
        ],
    );
    // a policy alone is located at `policy`
    let (code, stderr) = render(&scratch, crowded_instance(0, Some(max), "R").as_bytes());
    assert_eq!(code, Some(0), "{stderr:.2000}");
    let (code, stderr) = render(&scratch, crowded_instance(0, Some(max + 1), "R").as_bytes());
    assert_refused(
        code,
        &stderr,
        1,
        &[
            "0 people and 10001 additional addresses of its `policy`",
            "instance.json:4:1",
        ],
    );
}

#[test]
fn the_people_limit_counts_the_role_settings_addresses() {
    let scratch = Scratch::new("settings-people");
    let settings = scratch.write(
        "settings.pimrules",
        b"settings \"Backup Reader\" for azure-role at \"/subscriptions/00000000-1111-2222-3333-444444444444\" {\n\
          eligible-assignment admin: level all, default-recipients on, additional {\"a@contoso.com\", \"b@contoso.com\"}\n\
          eligible-assignment approver: level all, default-recipients on, additional {\"c@contoso.com\"}\n}\n",
    );
    let max = pimrules::instance::MAX_INSTANCE_PEOPLE;
    let rules = [
        "--rules".as_ref(),
        "entra-pim".as_ref(),
        "--rules".as_ref(),
        settings.as_os_str(),
    ];
    let render = |instance: String| render_with(&scratch, &rules, instance.as_bytes());
    // the settings apply: their addresses are emailed (with many people, the cap drops them)
    let (code, stdout, stderr) = render(crowded_instance(1, None, "Backup Reader"));
    assert_eq!(code, Some(0), "{stderr:.2000}");
    assert!(stdout.contains("\"a@contoso.com\""), "{stdout:.2000}");
    let (code, _, stderr) = render(crowded_instance(max - 3, None, "Backup Reader"));
    assert_eq!(code, Some(0), "{stderr:.2000}");
    let (code, _, stderr) = render(crowded_instance(max - 2, None, "Backup Reader"));
    assert_refused(
        code,
        &stderr,
        1,
        &[
            "error[E014]: the instance names 10001 addresses, more than 10000: 9998 people and 3 additional addresses of the rule set's settings for `Backup Reader`",
        ],
    );
    // another role has no settings: only its people count
    let (code, _, stderr) = render(crowded_instance(max, None, "Reader"));
    assert_eq!(code, Some(0), "{stderr:.2000}");
}

/// `pimrules simulate --input events.jsonl ARGS` with `log` in that file (in a scratch folder
/// of its own): exit code, stdout, stderr.
fn simulate(args: &[&str], log: &str) -> (Option<i32>, String, String) {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let scratch = Scratch::new(&format!("simulate-{run}"));
    let path = scratch.write("events.jsonl", log.as_bytes());
    let output = pimrules(
        ["simulate", "--input", &path.display().to_string()]
            .iter()
            .map(|arg| arg.to_string())
            .chain(args.iter().map(|arg| arg.to_string())),
    );
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The latest time pimrules reads, and times one second after it: in the year 10000 by a
/// leap second or by an offset.
const LAST_SECOND: &str = "9999-12-31T23:59:59Z";
const ONE_SECOND_LATER: [&str; 2] = ["9999-12-31T23:59:60Z", "9999-12-31T23:00:00-01:00"];

#[test]
fn an_instance_at_is_read_up_to_the_last_second_of_9999() {
    let scratch = Scratch::new("instance-at");
    let instance = |at: &str| {
        format!(
            r#"{{"event": "role-assigned", "scope": "azure-resource", "at": "{at}", "assignee": {{"email": "alain@contoso.com"}}}}"#
        )
    };
    for at in [
        LAST_SECOND,
        "9999-12-31T22:59:59-01:00",
        "0000-01-01T00:00:00Z",
    ] {
        let (code, stderr) = render(&scratch, instance(at).as_bytes());
        assert_eq!(code, Some(0), "{at}: {stderr}");
    }
    let eml = ["--format".as_ref(), "eml".as_ref()];
    let (_, mbox, _) = render_with(&scratch, &eml, instance(LAST_SECOND).as_bytes());
    assert!(
        mbox.contains("Date: Fri, 31 Dec 9999 23:59:59 +0000"),
        "{mbox:.2000}"
    );
    for at in ONE_SECOND_LATER {
        let (code, stderr) = render(&scratch, instance(at).as_bytes());
        let message = format!(
            "error[E018]: `at` {at} is after 9999-12-31T23:59:59Z, the latest time pimrules reads"
        );
        assert_refused(code, &stderr, 1, &[&message, "instance.json:1:61"]);
    }
    let (code, stderr) = render(&scratch, instance("9999-12-31T23:59:59-01:00").as_bytes());
    assert_refused(code, &stderr, 1, &["is in the year 10000"]);
    let (code, stderr) = render(&scratch, instance("0000-01-01T00:59:59+01:00").as_bytes());
    assert_refused(
        code,
        &stderr,
        1,
        &["is before 0000-01-01T00:00:00Z, the earliest time pimrules reads"],
    );
}

/// An activation in `entra-role` at `at`.
fn activation(at: &str) -> String {
    format!(
        r#"{{"at": "{at}", "event": "activation-completed", "scope": "entra-role", "assignee": {{"email": "alain@contoso.com"}}}}"#
    )
}

#[test]
fn a_log_line_is_read_up_to_the_last_second_of_9999() {
    let assignment = |end: &str| {
        format!(
            r#"{{"at": "9999-12-01T00:00:00Z", "event": "role-assigned", "scope": "azure-resource", "assignment": "a-1", "end": "{end}", "facts": {{"assignment": "active", "duration": "time-bound"}}, "assignee": {{"email": "alain@contoso.com"}}, "people": {{"permanent-owner": [{{"email": "olivia@contoso.com"}}]}}}}"#
        )
    };
    let removal = |at: &str| format!(r#"{{"at": "{at}", "assignment": "a-1", "removed": true}}"#);
    // accepted: an event, an end and a removal at the last second
    let (code, stdout, stderr) = simulate(&[], &activation(LAST_SECOND));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains(r#""at":"9999-12-31T23:59:59Z","event":"activation-completed""#),
        "{stdout}"
    );
    let (code, stdout, stderr) = simulate(&[], &assignment(LAST_SECOND));
    assert_eq!(code, Some(0), "{stderr}");
    for (at, event) in [
        ("9999-12-17T23:59:59Z", "role-expiring"),
        ("9999-12-30T23:59:59Z", "role-expiring"),
        ("9999-12-31T23:59:59Z", "role-expired"),
    ] {
        assert!(
            stdout.contains(&format!(r#""at":"{at}","event":"{event}""#)),
            "{stdout}"
        );
    }
    let log = format!("{}\n{}\n", assignment(LAST_SECOND), removal(LAST_SECOND));
    let (code, stdout, stderr) = simulate(&["--reorder-window", "366d"], &log);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        !stdout.contains("role-expired"),
        "removed at its end: {stdout}"
    );
    // refused: one second later, each where it is written
    for late in ONE_SECOND_LATER {
        let error = format!("`at` {late} is after 9999-12-31T23:59:59Z");
        for (log, column) in [(activation(late), 8), (removal(late), 8)] {
            let (code, _, stderr) = simulate(&[], &log);
            let said = format!("error[E019]: {error}");
            let located = format!("events.jsonl:1:{column}\n");
            assert_refused(code, &stderr, 1, &[&said, &located]);
        }
        let (code, _, stderr) = simulate(&[], &assignment(late));
        let said = format!("error[E019]: `end` {late} is after 9999-12-31T23:59:59Z");
        assert_refused(code, &stderr, 1, &[&said, "events.jsonl:1:113\n"]);
    }
}

#[test]
fn until_is_read_up_to_the_last_second_of_9999() {
    let (code, _, stderr) = simulate(&["--until", LAST_SECOND], &activation(LAST_SECOND));
    assert_eq!(code, Some(0), "{stderr}");
    for late in ONE_SECOND_LATER {
        let (code, _, stderr) = simulate(&["--until", late], &activation(LAST_SECOND));
        let message = format!(
            "`--until` {late} is after 9999-12-31T23:59:59Z, the latest time pimrules reads"
        );
        assert_refused(code, &stderr, 2, &[&message]);
    }
}

/// What would leave after 9999 — an approval email after its delay, the digest of the last
/// week, a provisioning report at the next midnight — is not sent, and a note counts it.
#[test]
fn nothing_is_sent_after_9999() {
    let pending = |at: &str, request: &str| {
        format!(
            r#"{{"at": "{at}", "event": "approval-pending", "scope": "entra-role", "request": "{request}", "facts": {{"explicit-approvers": true}}, "people": {{"approver": [{{"email": "bjorn@contoso.com"}}]}}}}"#
        )
    };
    let failure = |at: &str| {
        format!(
            r#"{{"at": "{at}", "event": "provisioning-failure", "scope": "app-provisioning", "application": "Salesforce", "people": {{"provisioning-contact": [{{"email": "it-ops@contoso.com"}}]}}}}"#
        )
    };
    let log = [
        failure("9999-12-31T10:00:00Z"),
        failure("9999-12-31T11:00:00Z"),
        pending("9999-12-31T23:54:59Z", "r-1"),
        pending("9999-12-31T23:55:00Z", "r-2"),
    ]
    .join("\n");
    let rules = ["--rules", "entra-pim", "--rules", "account-provisioning"];
    let (code, stdout, stderr) = simulate(&rules, &log);
    assert_eq!(code, Some(0), "{stderr}");
    let sent: Vec<&str> = stdout
        .lines()
        .map(|line| &line[7..line.find(r#"","to""#).unwrap_or(line.len())])
        .collect();
    assert_eq!(
        sent,
        [
            r#"9999-12-31T10:00:00Z","event":"provisioning-failure"#,
            r#"9999-12-31T23:59:59Z","event":"approval-pending"#,
        ],
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "note: 3 scheduled sends would leave after 9999-12-31T23:59:59Z, the latest time pimrules writes, and are not sent"
        ),
        "{stderr}"
    );
    // the first week of the year 0000 starts in the year before: its digest reports it from
    // 0000-01-01
    let (code, stdout, stderr) =
        simulate(&["--format", "text"], &activation("0000-01-01T00:00:00Z"));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("00:00:00  weekly-digest in entra-role (the week from 0000-01-01)"),
        "{stdout}"
    );
}

/// The shipped `entra-pim`, built.
fn entra_pim() -> pimrules::pipeline::Build {
    let source = pimrules::load::RuleSource::Shipped("entra-pim".into());
    pimrules::pipeline::build(&[source]).expect("the shipped rule set builds")
}

/// 2025-01-09T00:00:00Z: the open-state tests start here.
const T0: i64 = 1_736_380_800;

#[test]
fn the_reorder_window_holds_at_most_its_capacity() {
    use pimrules::simulate::capacity::Capacity;
    use pimrules::simulate::log::{self, LineReader, ReorderWindow};
    use pimrules::time::{DAY, rfc3339};
    assert_eq!(
        log::WINDOW_CAPACITY,
        Capacity {
            entries: 1_000_000,
            bytes: 256 << 20
        }
    );
    let build = entra_pim();
    let reader = LineReader::new(vec![&build.compiled[0].table.vocabulary]);
    let line = |number: usize, at: i64| {
        reader
            .read(number, &activation(&rfc3339(at)))
            .expect("a valid line")
    };
    let bytes = line(1, T0).bytes;
    let by_lines = Capacity {
        entries: 3,
        bytes: usize::MAX,
    };
    let by_bytes = Capacity {
        entries: usize::MAX,
        bytes: 3 * bytes,
    };
    for (capacity, full) in [
        (by_lines, "3 lines".to_owned()),
        (by_bytes, format!("{} bytes of log lines", 3 * bytes)),
    ] {
        // a window of a year holds every line of one second: three fit, a fourth does not
        let mut window = ReorderWindow::with_capacity(366 * DAY, capacity);
        for number in 1..=3 {
            assert_eq!(window.push(line(number, T0)), Ok(Vec::new()));
        }
        let error = window.push(line(4, T0)).expect_err("one line too many");
        assert_eq!(error.line, 4);
        assert_eq!(
            error.message,
            format!("the reorder window (366d) would hold more than {full} with this line")
        );
        // the refused line changed nothing; a later one that lets the three go is held
        let ready = window
            .push(line(5, T0 + 367 * DAY))
            .expect("room once they leave");
        let lines: Vec<usize> = ready.iter().map(|event| event.line).collect();
        assert_eq!(lines, [1, 2, 3]);
        let rest: Vec<usize> = window.finish().iter().map(|event| event.line).collect();
        assert_eq!(rest, [5]);
    }
}

#[test]
fn the_simulation_holds_at_most_its_capacity_open() {
    use pimrules::simulate::capacity::Capacity;
    use pimrules::simulate::log::LineReader;
    use pimrules::simulate::{Cause, OPEN_CAPACITY, Settings, Simulator};
    use pimrules::time::{DAY, HOUR, rfc3339};
    assert_eq!(
        OPEN_CAPACITY,
        Capacity {
            entries: 1_000_000,
            bytes: 256 << 20
        }
    );
    let build = entra_pim();
    let reader = LineReader::new(vec![&build.compiled[0].table.vocabulary]);
    let assigned = |id: &str, at: i64, end: i64| {
        format!(
            r#"{{"at": "{}", "event": "role-assigned", "scope": "azure-resource", "assignment": "{id}", "end": "{}", "facts": {{"assignment": "active", "duration": "time-bound"}}, "assignee": {{"email": "alain@contoso.com"}}}}"#,
            rfc3339(at),
            rfc3339(end)
        )
    };
    let approval = |event: &str, at: i64| {
        format!(
            r#"{{"at": "{}", "event": "{event}", "scope": "entra-role", "request": "r-1", "assignee": {{"email": "alain@contoso.com"}}}}"#,
            rfc3339(at)
        )
    };
    let removal = |id: &str, at: i64| {
        format!(
            r#"{{"at": "{}", "assignment": "{id}", "removed": true}}"#,
            rfc3339(at)
        )
    };
    let delay = 300;
    let log = [
        assigned("a-1", T0, T0 + 10 * DAY),
        assigned("a-2", T0, T0 + DAY),
        // refused: a third assignment
        assigned("a-3", T0, T0 + DAY),
        // a new end for a-1 holds nothing more
        assigned("a-1", T0 + HOUR, T0 + 20 * DAY),
        // refused: a waiting approval email
        approval("approval-pending", T0 + 2 * HOUR),
        // a-2 has ended: room for the pending email
        approval("approval-pending", T0 + DAY + 1),
        // refused while it waits; accepted once it has left
        approval("request-approved", T0 + DAY + 2),
        approval("request-approved", T0 + DAY + 2 + delay),
        // a removal makes room
        removal("a-1", T0 + 2 * DAY),
        assigned("a-3", T0 + 2 * DAY, T0 + 3 * DAY),
    ];
    let capacity = Capacity {
        entries: 2,
        bytes: usize::MAX,
    };
    let settings = Settings {
        approval_delay: delay,
        ..Settings::default()
    };
    let mut simulator = Simulator::with_capacity(settings.clone(), capacity);
    let mut sent = Vec::new();
    let mut refused = Vec::new();
    for (index, text) in log.iter().enumerate() {
        let event = reader.read(index + 1, text).expect("a valid line");
        if let Err(error) = simulator.feed(event, &mut sent) {
            assert_eq!(
                error.message,
                "with this line the simulation would hold more than 2 assignments and approval emails open at once"
            );
            refused.push(error.line);
        }
    }
    simulator.finish(&mut sent);
    assert_eq!(refused, [3, 5, 7]);
    let logged: Vec<usize> = sent
        .iter()
        .filter_map(|dispatch| match dispatch.cause {
            Cause::Logged { line }
            | Cause::PendingApproval { line, .. }
            | Cause::Approved { line, .. } => Some(line),
            _ => None,
        })
        .collect();
    assert_eq!(logged, [1, 2, 4, 6, 8, 10], "a refused line sends nothing");
    // the same by bytes: two lines' worth fit, a third does not
    let bytes = |text: &str| reader.read(1, text).expect("a valid line").bytes;
    let capacity = Capacity {
        entries: usize::MAX,
        bytes: bytes(&log[0]) + bytes(&log[1]),
    };
    let mut simulator = Simulator::with_capacity(settings, capacity);
    for (index, text) in log[..3].iter().enumerate() {
        let event = reader.read(index + 1, text).expect("a valid line");
        let fed = simulator.feed(event, &mut sent);
        if index < 2 {
            assert_eq!(fed, Ok(()));
        } else {
            let error = fed.expect_err("a third line's bytes");
            assert_eq!(
                error.message,
                format!(
                    "with this line the simulation would hold more than {} bytes of log lines open at once",
                    capacity.bytes
                )
            );
        }
    }
}

/// A project in memory whose root `f0.pimrules` uses `f1.pimrules`, which uses `f2.pimrules`,
/// and so on: `count` files in all.
fn use_chain(count: usize) -> std::sync::Arc<pimrules::files::Memory> {
    let mut files = pimrules::files::Memory::new().with("/p/.git/HEAD", "");
    for i in 0..count {
        let head = if i == 0 { HEADER } else { "" };
        let next = if i + 1 < count {
            format!("use \"f{}.pimrules\"\n", i + 1)
        } else {
            String::new()
        };
        files.insert(format!("/p/f{i}.pimrules"), format!("{head}{next}"));
    }
    std::sync::Arc::new(files)
}

fn load_chain(count: usize) -> pimrules::load::Loaded {
    let root = [RuleSource::Path("/p/f0.pimrules".into())];
    pimrules::load::load_on(use_chain(count), &root, &[]).expect("the root is read")
}

#[test]
fn a_use_chain_of_the_most_files_is_read() {
    let max = pimrules::load::MAX_FILES;
    let loaded = load_chain(max);
    assert_eq!(loaded.programs.len(), 1);
    assert_eq!(loaded.programs[0].files.len(), max);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
}

#[test]
fn one_file_more_in_a_use_chain_is_refused_at_its_use() {
    let max = pimrules::load::MAX_FILES;
    let loaded = load_chain(max + 1);
    assert_eq!(loaded.programs[0].files.len(), max);
    let refused: Vec<(String, String, std::ops::Range<usize>)> = loaded
        .diagnostics
        .iter()
        .filter_map(|d| {
            let span = d.primary.as_ref()?.span;
            Some((
                d.message.clone(),
                loaded.sources.name(span.file).to_owned(),
                span.range(),
            ))
        })
        .collect();
    let written = format!("use \"f{max}.pimrules\"\n");
    assert_eq!(
        refused,
        [(
            format!("more than {max} rule files in one run"),
            format!("/p/f{}.pimrules", max - 1),
            4..written.len() - 1
        )]
    );
}

/// A folder in memory of `count` rule files.
fn folder_of(count: usize) -> std::sync::Arc<pimrules::files::Memory> {
    let mut files = pimrules::files::Memory::new().with("/p/.git/HEAD", "");
    for i in 0..count {
        let head = if i == 0 { HEADER } else { "" };
        files.insert(format!("/p/rules/r{i:05}.pimrules"), head);
    }
    std::sync::Arc::new(files)
}

#[test]
fn a_folder_of_the_most_files_is_read() {
    let max = pimrules::load::MAX_FILES;
    let folder = [RuleSource::Path("/p/rules".into())];
    let loaded = pimrules::load::load_on(folder_of(max), &folder, &[]).expect("read");
    assert_eq!(loaded.programs[0].files.len(), max);
}

#[test]
fn a_folder_of_one_file_more_is_refused_unread() {
    let max = pimrules::load::MAX_FILES;
    let folder = [RuleSource::Path("/p/rules".into())];
    let refused =
        pimrules::load::load_on(folder_of(max + 1), &folder, &[]).map(|l| l.sources.len());
    assert_eq!(
        refused.map_err(|e| e.0),
        Err(format!(
            "more than {max} rule files given (`/p/rules` adds {})",
            max + 1
        ))
    );
}

#[test]
fn a_file_read_already_does_not_count_again() {
    // `f0` uses `f1` and `leaf`; `f1` … `f{max-2}` are a chain whose last file uses `leaf` again
    // once the run holds the most files: `leaf` is read once, so nothing is refused
    let max = pimrules::load::MAX_FILES;
    let mut files = pimrules::files::Memory::new().with("/p/.git/HEAD", "");
    files.insert("/p/leaf.pimrules", "");
    for i in 0..max - 1 {
        let text = match i {
            0 => format!("{HEADER}use \"f1.pimrules\"\nuse \"leaf.pimrules\"\n"),
            i if i == max - 2 => "use \"leaf.pimrules\"\n".to_owned(),
            i => format!("use \"f{}.pimrules\"\n", i + 1),
        };
        files.insert(format!("/p/f{i}.pimrules"), text);
    }
    // named relative to the working folder, as on a command line
    let root = [RuleSource::Path("p/f0.pimrules".into())];
    let loaded = pimrules::load::load_on(std::sync::Arc::new(files), &root, &[]).expect("read");
    assert_eq!(loaded.sources.len(), max);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
}
