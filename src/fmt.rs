//! fmt: the canonical layout of `.pimrules` text, printed from the AST with every comment put
//! back in order. Layout depends only on the AST, so formatting is idempotent and erases
//! whitespace-only differences; lines are wrapped at [`WIDTH`] columns.

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::ast::*;
use crate::syntax::{self, Comment};

/// Lines longer than this are wrapped where the layout allows.
pub const WIDTH: usize = 100;

/// Format source text. A file with syntax errors is not formatted: its diagnostics are returned.
pub fn format_source(file: FileId, source: &str) -> Result<String, Vec<Diagnostic>> {
    let (module, diagnostics) = syntax::parse(file, source);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(format_module(&module, source))
}

/// Print a module in the canonical layout, with the comments of `source` (the text it was
/// parsed from; pass `""` to print the AST alone).
pub fn format_module(module: &Module, source: &str) -> String {
    let mut printer = Printer {
        out: String::new(),
        source,
        comments: syntax::comments(source),
        next_comment: 0,
    };
    // the comments that open a file describe the file: a blank line sets them apart
    if let Some(first) = module.items.first() {
        printer.comments_before(first.span.start, "");
        if !printer.out.is_empty() {
            printer.out.push('\n');
        }
    }
    let mut previous: Option<Group> = None;
    for item in &module.items {
        let group = group_of(&item.node);
        if let Some(previous) = previous
            && (previous != group || matches!(group, Group::Rule | Group::Test | Group::Settings))
        {
            printer.out.push('\n');
        }
        previous = Some(group);
        printer.comments_before(item.span.start, "");
        printer.item(item);
    }
    if printer.next_comment < printer.comments.len() && !printer.out.is_empty() {
        printer.out.push('\n');
    }
    printer.comments_before(usize::MAX, "");
    printer.out
}

/// Items of one group are printed without blank lines between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Header,
    Use,
    Scope,
    Recipient,
    Event,
    Fact,
    Template,
    Rule,
    Test,
    Settings,
}

fn group_of(item: &Item) -> Group {
    match item {
        Item::RuleSet(_) | Item::Sender(_) | Item::SubjectPrefix(_) | Item::MaxRecipients(_) => {
            Group::Header
        }
        Item::Use(_) => Group::Use,
        Item::Scope(_) => Group::Scope,
        Item::Recipient(_) => Group::Recipient,
        Item::Event(_) => Group::Event,
        Item::Fact(_) => Group::Fact,
        Item::Template(_) => Group::Template,
        Item::Rule(_) => Group::Rule,
        Item::Test(_) => Group::Test,
        Item::Settings(_) => Group::Settings,
    }
}

struct Printer<'s> {
    out: String,
    source: &'s str,
    comments: Vec<Comment>,
    next_comment: usize,
}

impl Printer<'_> {
    /// Every comment not yet printed that starts before `offset`, each on its own line.
    fn comments_before(&mut self, offset: usize, indent: &str) {
        while let Some(comment) = self.comments.get(self.next_comment)
            && comment.start < offset
        {
            self.out.push_str(&format!("{indent}//{}\n", comment.text));
            self.next_comment += 1;
        }
    }

    /// Write the lines of a construct that ended at `end` in the source, with the comment that
    /// trails it on its last source line.
    fn lines(&mut self, lines: Vec<String>, end: usize) {
        let last = lines.len().saturating_sub(1);
        for (i, line) in lines.into_iter().enumerate() {
            self.out.push_str(&line);
            if i == last
                && let Some(comment) = self.comments.get(self.next_comment)
                && !comment.own_line
                && comment.start >= end
                && !self
                    .source
                    .get(end..comment.start)
                    .is_some_and(|gap| gap.contains('\n'))
            {
                self.out.push_str(&format!("  //{}", comment.text));
                self.next_comment += 1;
            }
            self.out.push('\n');
        }
    }

    fn item(&mut self, item: &Spanned<Item>) {
        let end = item.span.end;
        match &item.node {
            Item::Rule(rule) => self.block(
                format!("rule {}", rule.name.node),
                &rule.clauses,
                rule_clause_lines,
                item.span,
            ),
            Item::Test(test) => self.block(
                format!("test {}", quote(&test.name.node)),
                &test.clauses,
                test_clause_lines,
                item.span,
            ),
            Item::Settings(settings) => self.block(
                settings_head(settings),
                &settings.clauses,
                settings_clause_lines,
                item.span,
            ),
            other => {
                let lines = single_item_lines(other);
                self.lines(lines, end);
            }
        }
    }

    /// `head {`, each clause on its own lines with the comments before it, `}`. A comment that
    /// trails the item's first source line (of a one-line block too) stays at the end of its
    /// first line, where an `allow` in it applies.
    fn block<C>(
        &mut self,
        head: String,
        clauses: &[Spanned<C>],
        lines: impl Fn(&C) -> Vec<String>,
        span: crate::source::Span,
    ) {
        let end = span.end;
        self.out.push_str(&format!("{head} {{"));
        if let Some(comment) = self.comments.get(self.next_comment)
            && !comment.own_line
            && comment.start > span.start
            && !self
                .source
                .get(span.start..comment.start)
                .is_some_and(|gap| gap.contains('\n'))
        {
            self.out.push_str(&format!("  //{}", comment.text));
            self.next_comment += 1;
        }
        self.out.push('\n');
        for clause in clauses {
            self.comments_before(clause.span.start, "  ");
            self.lines(lines(&clause.node), clause.span.end);
        }
        self.comments_before(end.saturating_sub(1), "  ");
        self.lines(vec!["}".to_owned()], end);
    }
}

/// The lines of every item but rules and tests.
fn single_item_lines(item: &Item) -> Vec<String> {
    match item {
        Item::RuleSet(d) => vec![match &d.version {
            Some(version) => format!(
                "ruleset {} version {}",
                quote(&d.name.node),
                quote(&version.node)
            ),
            None => format!("ruleset {}", quote(&d.name.node)),
        }],
        Item::Sender(d) => vec![format!(
            "sender {} <{}>",
            quote(&d.display_name.node),
            d.address.node
        )],
        Item::SubjectPrefix(p) => vec![format!("subject-prefix {}", quote(&p.node))],
        Item::MaxRecipients(cap) => vec![match cap.node {
            Some(n) => format!("max-recipients {n}"),
            None => "max-recipients unlimited".to_owned(),
        }],
        Item::Use(path) => vec![format!("use {}", quote(&path.node))],
        Item::Scope(d) => vec![format!("scope {} {}", d.name.node, quote(&d.label.node))],
        Item::Recipient(d) => {
            let mut line = format!("recipient {} {}", d.name.node, quote(&d.label.node));
            for option in &d.options {
                line.push(' ');
                line.push_str(&match &option.node {
                    RecipientOption::Row(row) => format!("row {}", row.node),
                    RecipientOption::WhileActivated => "while activated".to_owned(),
                    RecipientOption::FromPolicy => "from policy".to_owned(),
                });
            }
            vec![line]
        }
        Item::Event(d) => event_lines(d),
        Item::Fact(d) => fact_lines(d),
        Item::Template(d) => vec![match &d.description {
            Some(description) => format!("template {} {}", d.name.node, quote(&description.node)),
            None => format!("template {}", d.name.node),
        }],
        Item::Rule(_) | Item::Test(_) | Item::Settings(_) => Vec::new(),
    }
}

fn event_lines(event: &EventDecl) -> Vec<String> {
    let head = format!("event {} {}", event.name.node, quote(&event.label.node));
    let options: Vec<String> = event
        .options
        .iter()
        .map(|option| match &option.node {
            EventOption::Critical => "critical".to_owned(),
            EventOption::Section(SectionSpec::Fixed(name)) => format!("section {}", name.node),
            EventOption::OccursIn(scopes) => format!("occurs in {}", names(scopes).join(", ")),
            EventOption::Section(SectionSpec::ByFact { fact, cases }) => {
                let cases: Vec<String> = cases
                    .iter()
                    .map(|(value, section)| format!("{} -> {}", value.node, section.node))
                    .collect();
                format!("section by {} {{ {} }}", fact.node, cases.join(", "))
            }
        })
        .collect();
    let one_line = std::iter::once(head.clone())
        .chain(options.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    if one_line.len() <= WIDTH {
        return vec![one_line];
    }
    // each `section` and `occurs in` starts a continuation line; the options keep their order
    let mut lines = vec![head];
    for option in options {
        match lines.last_mut() {
            Some(line) if !option.starts_with("section") && !option.starts_with("occurs") => {
                line.push(' ');
                line.push_str(&option);
            }
            _ => lines.push(format!("  {option}")),
        }
    }
    lines
}

fn fact_lines(fact: &FactDecl) -> Vec<String> {
    let default = fact
        .default
        .as_ref()
        .map(|d| format!(" = {}", d.node))
        .unwrap_or_default();
    match &fact.domain.node {
        FactDomain::Bool => vec![format!("fact {}: bool{default}", fact.name.node)],
        FactDomain::Enum(values) => {
            let names: Vec<&str> = values.iter().map(|v| v.node.as_str()).collect();
            let one_line = format!("fact {}: {}{default}", fact.name.node, names.join(" | "));
            if one_line.len() <= WIDTH {
                return vec![one_line];
            }
            let mut lines = vec![format!("fact {}:", fact.name.node)];
            for (i, name) in names.iter().enumerate() {
                lines.push(if i == 0 {
                    format!("  {name}")
                } else {
                    format!("  | {name}")
                });
            }
            if let Some(d) = &fact.default {
                lines.push(format!("  = {}", d.node));
            }
            lines
        }
    }
}

fn rule_clause_lines(clause: &RuleClause) -> Vec<String> {
    match clause {
        RuleClause::On { events, scopes } => {
            let events = names(events);
            let scopes = names(scopes);
            let one_line = format!("  on {} in {}", events.join(", "), scopes.join(", "));
            if one_line.len() <= WIDTH {
                return vec![one_line];
            }
            let mut lines = fill("  on ", &events, "    ");
            lines.extend(fill("    in ", &scopes, "    "));
            lines
        }
        RuleClause::Notify(classes) => fill("  notify ", &names(classes), "    "),
        RuleClause::When(condition) => when_lines(&condition.node),
        RuleClause::Template(name) => vec![format!("  template {}", name.node)],
    }
}

fn test_clause_lines(clause: &TestClause) -> Vec<String> {
    match clause {
        TestClause::Given {
            event,
            scope,
            facts,
        } => {
            let prefix = format!("  given {} in {}", event.node, scope.node);
            if facts.is_empty() {
                return vec![prefix];
            }
            let settings: Vec<String> = facts
                .iter()
                .map(|(f, v)| format!("{} = {}", f.node, v.node))
                .collect();
            fill(&format!("{prefix} with "), &settings, "    ")
        }
        TestClause::Expect(Expectation::Present(classes)) => {
            fill("  expect ", &names(classes), "    ")
        }
        TestClause::Expect(Expectation::Absent(classes)) => {
            fill("  expect not ", &names(classes), "    ")
        }
        TestClause::Expect(Expectation::Exactly(classes)) => {
            fill("  expect exactly ", &names(classes), "    ")
        }
        TestClause::Expect(Expectation::Nobody) => vec!["  expect nobody".to_owned()],
        TestClause::Policy(path) => vec![format!("  policy {}", quote(&path.node))],
        TestClause::Role(role) => vec![format!("  role {}", quote(&role.node))],
    }
}

fn settings_head(settings: &SettingsDecl) -> String {
    let target = match &settings.target.node {
        SettingsTarget::EntraRole => "entra-role".to_owned(),
        SettingsTarget::Group(None) => "group".to_owned(),
        SettingsTarget::Group(Some(GroupRole::Member)) => "group member".to_owned(),
        SettingsTarget::Group(Some(GroupRole::Owner)) => "group owner".to_owned(),
        SettingsTarget::AzureRole { scope } => format!("azure-role at {}", quote(&scope.node)),
    };
    format!("settings {} for {target}", quote(&settings.name.node))
}

fn settings_clause_lines(clause: &SettingsClause) -> Vec<String> {
    match clause {
        SettingsClause::Id { kind, value } => {
            let keyword = match kind {
                IdKind::Role => "role-id",
                IdKind::Group => "group-id",
                IdKind::Policy => "policy-id",
            };
            vec![format!("  {keyword} {}", quote(&value.node))]
        }
        SettingsClause::Approval(required) => {
            vec![format!(
                "  approval {}",
                if *required { "required" } else { "optional" }
            )]
        }
        SettingsClause::Shape(json) => vec![format!("  rule-shape {}", json.node)],
        SettingsClause::Setting {
            section,
            row,
            items,
        } => {
            let items: Vec<String> = items
                .iter()
                .map(|item| match &item.node {
                    SettingItem::Level(level) => format!("level {}", level.node),
                    SettingItem::DefaultRecipients(on) => {
                        format!("default-recipients {}", if *on { "on" } else { "off" })
                    }
                    SettingItem::Additional(addresses) => {
                        let quoted: Vec<String> =
                            addresses.iter().map(|a| quote(&a.node)).collect();
                        format!("additional {{{}}}", quoted.join(", "))
                    }
                    SettingItem::Shape(json) => format!("shape {}", json.node),
                })
                .collect();
            fill(
                &format!("  {} {}: ", section.node, row.node),
                &items,
                "    ",
            )
        }
    }
}

fn names(list: &[Name]) -> Vec<String> {
    list.iter().map(|n| n.node.clone()).collect()
}

/// `prefix a, b, c` filled to [`WIDTH`], continuation lines starting with `continuation`.
fn fill(prefix: &str, items: &[String], continuation: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = prefix.to_owned();
    let mut empty = true;
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        if !empty && line.len() + 1 + piece.len() > WIDTH {
            lines.push(line);
            line = format!("{continuation}{piece}");
        } else {
            if !empty {
                line.push(' ');
            }
            line.push_str(&piece);
        }
        empty = false;
    }
    lines.push(line);
    lines
}

/// `when …`, on one line if it fits, else one operand of the top-level `and`/`or` per line.
fn when_lines(condition: &Condition) -> Vec<String> {
    let one_line = format!("  when {}", condition.text());
    if one_line.len() <= WIDTH {
        return vec![one_line];
    }
    match condition {
        Condition::Or(parts) | Condition::And(parts) => {
            let joiner = if matches!(condition, Condition::Or(_)) {
                "or"
            } else {
                "and"
            };
            let mut lines = Vec::new();
            for (i, part) in parts.iter().enumerate() {
                let prefix = if i == 0 {
                    "  when ".to_owned()
                } else {
                    format!("    {joiner} ")
                };
                let indent = if i == 0 { 2 } else { 4 };
                lines.extend(operand_lines(&prefix, indent, &part.node));
            }
            lines
        }
        other => operand_lines("  when ", 2, other),
    }
}

/// One operand after `prefix`; a long value set is written one value per line.
fn operand_lines(prefix: &str, indent: usize, condition: &Condition) -> Vec<String> {
    let one_line = format!("{prefix}{}", condition.text().as_operand());
    let Condition::Test { fact, test } = condition else {
        return vec![one_line];
    };
    let (operator, values) = match test {
        FactTest::In(values) => ("in", values),
        FactTest::NotIn(values) => ("not in", values),
        _ => return vec![one_line],
    };
    if one_line.len() <= WIDTH {
        return vec![one_line];
    }
    let pad = " ".repeat(indent);
    let mut lines = vec![format!("{prefix}{} {operator} {{", fact.node)];
    lines.extend(values.iter().map(|v| format!("{pad}  {},", v.node)));
    lines.push(format!("{pad}}}"));
    lines
}

/// A string literal with the escapes the grammar reads.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
