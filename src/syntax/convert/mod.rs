//! pest pairs → AST nodes: one function per grammar rule, each checking the shape it receives,
//! so that a pair tree the converter does not expect becomes a diagnostic, never a panic.

mod atoms;
mod children;
mod declarations;
mod rules;
mod settings;
mod test_blocks;

use super::Rule;
use super::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::iterators::Pair;

type Result<T> = std::result::Result<T, Diagnostic>;

/// Converts the pairs of one parsed segment; `base` is the segment's offset in its file.
pub(super) struct Converter {
    file: FileId,
    base: usize,
}

impl Converter {
    pub(super) fn new(file: FileId, base: usize) -> Self {
        Converter { file, base }
    }

    /// The pair's span without the whitespace and comments pest lets a rule end with.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        let start = self.base + s.start();
        Span::new(
            self.file,
            start..start + without_trailing_trivia(s.as_str()).len(),
        )
    }

    fn unexpected(&self, span: Span, what: impl std::fmt::Display) -> Diagnostic {
        Diagnostic::error(Code::E000, format!("unexpected syntax tree: {what}"))
            .at(span, "pimrules could not read this")
            .help("this is a bug in pimrules; please report it with this file")
    }

    /// `next_item`: one item, or `None` at the end of the file.
    pub(super) fn next_item(&self, pair: Pair<Rule>) -> Result<Option<Spanned<Item>>> {
        let mut children = self.children(pair);
        let child = children.any()?;
        match child.as_rule() {
            Rule::end_of_file => Ok(None),
            _ => self.item(child).map(Some),
        }
    }

    fn item(&self, pair: Pair<Rule>) -> Result<Spanned<Item>> {
        let span = self.span(&pair);
        let item = match pair.as_rule() {
            Rule::ruleset_decl => Item::RuleSet(self.ruleset_decl(pair)?),
            Rule::sender_decl => Item::Sender(self.sender_decl(pair)?),
            Rule::subject_prefix_decl => Item::SubjectPrefix(self.subject_prefix_decl(pair)?),
            Rule::max_recipients_decl => Item::MaxRecipients(self.max_recipients_decl(pair)?),
            Rule::use_decl => Item::Use(self.use_decl(pair)?),
            Rule::scope_decl => Item::Scope(self.scope_decl(pair)?),
            Rule::recipient_decl => Item::Recipient(self.recipient_decl(pair)?),
            Rule::event_decl => Item::Event(self.event_decl(pair)?),
            Rule::fact_decl => Item::Fact(self.fact_decl(pair)?),
            Rule::template_decl => Item::Template(self.template_decl(pair)?),
            Rule::rule_decl => Item::Rule(self.rule_decl(pair)?),
            Rule::test_decl => Item::Test(self.test_decl(pair)?),
            Rule::settings_decl => Item::Settings(self.settings_decl(pair)?),
            other => return Err(self.unexpected(span, format!("{other:?} as an item"))),
        };
        Ok(Spanned::new(item, span))
    }

    fn expect_rule(&self, pair: &Pair<Rule>, rule: Rule) -> Result<()> {
        if pair.as_rule() == rule {
            Ok(())
        } else {
            Err(self.unexpected(
                self.span(pair),
                format!("{:?} where {rule:?} belongs", pair.as_rule()),
            ))
        }
    }
}

/// `text` without trailing whitespace and `//` comments (which pest counts into a rule that
/// ends in a repetition).
fn without_trailing_trivia(text: &str) -> &str {
    if !text.contains('/') {
        return text.trim_end();
    }
    let mut text = text.trim_end();
    loop {
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        match comment_start(&text[line_start..]) {
            Some(at) if line_start + at > 0 => text = text[..line_start + at].trim_end(),
            _ => return text,
        }
    }
}

/// Where a `//` comment starts in one line, outside strings.
fn comment_start(line: &str) -> Option<usize> {
    super::lexer::tokens(line, 0)
        .find(|token| token.kind == super::lexer::Kind::Comment)
        .map(|token| token.span.start)
}
