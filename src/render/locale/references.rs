//! The reference check of one locale's catalogues (E017): every variable, message, term,
//! attribute and function a formatting can meet, cycles, and the placeables it resolves.
//!
//! Fluent shows a broken reference raw (`{$name}`, `{other-message}`) in the text it formats,
//! so this finds them all by walking the syntax tree — every variant of every select, not only
//! the one a formatting picks — as the locale's bundle sees it: the last definition of an id
//! wins, messages and terms alike. A message the renderer formats (see
//! [`variables`](crate::render::messages::variables)) may write only the variables it is given,
//! and so may the messages it references; a term only the arguments its reference passes. A
//! selector on a variable never set picks the default variant (`*[other]`), which is how one
//! wording serves rule sets without some fact, so it is not reported.

use super::Piece;
use crate::diagnostic::{Code, Collected, Diagnostic, MAX_PER_FILE_AND_CODE, did_you_mean};
use crate::render::messages::{Variable, variables};
use crate::ruleset::Vocabulary;
use crate::source::Span;
use fluent_syntax::ast;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Most placeables Fluent resolves in one formatting: past them it stops, and the rest of the
/// text is lost (its guard against messages that expand exponentially).
const MAX_PLACEABLES: u64 = 100;

/// Most variables and references the variable check looks at in one locale: past them the
/// check stops with an error, so that a hostile catalogue cannot make it slow.
const MAX_STEPS: usize = 1 << 22;

/// Most names a "did you mean" suggestion compares with, and most suggestions per locale.
const MAX_CANDIDATES: usize = 1000;
const MAX_SUGGESTIONS: usize = 2 * MAX_PER_FILE_AND_CODE;

type Pattern<'r> = ast::Pattern<&'r str>;
type Inline<'r> = ast::InlineExpression<&'r str>;

/// Where something is: a piece of the locale's catalogues and a byte range in its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct At {
    piece: usize,
    range: Range<usize>,
}

/// Something a pattern holds, as the walk meets it.
enum Found<'r> {
    /// a variable written out (not selected on), by the slice of its name
    Variable(&'r str),
    Message {
        id: &'r str,
        attribute: Option<&'r str>,
    },
    Term {
        id: &'r str,
        attribute: Option<&'r str>,
        /// the names of the arguments the reference passes
        arguments: Vec<&'r str>,
    },
    Function(&'r str),
}

impl Found<'_> {
    /// Where in `source` (the text the walked pattern was parsed from) the reference is:
    /// `$name`, `message.attribute`, `-term.attribute`, `FUNCTION`.
    fn range(&self, source: &str) -> Range<usize> {
        let (sigil, first, last) = match self {
            Found::Variable(name) => (1, *name, *name),
            Found::Message { id, attribute } => (0, *id, attribute.unwrap_or(*id)),
            Found::Term { id, attribute, .. } => (1, *id, attribute.unwrap_or(*id)),
            Found::Function(id) => (0, *id, *id),
        };
        let start = offset(source, first).saturating_sub(sigil);
        start..offset(source, last) + last.len()
    }

    /// What a message or term reference names: whether a term, the id and the attribute.
    fn target(&self) -> Option<(bool, &str, Option<&str>)> {
        match self {
            Found::Message { id, attribute } => Some((false, *id, *attribute)),
            Found::Term { id, attribute, .. } => Some((true, *id, *attribute)),
            Found::Variable(_) | Found::Function(_) => None,
        }
    }
}

/// Where `part`, a slice of `source`, starts in it.
fn offset(source: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(source.as_ptr() as usize)
        .min(source.len())
}

/// Walk `pattern` — every variant of every select — showing `visit` what it holds. Returns the
/// most placeables formatting it resolves, `visit` answering for each reference the count of
/// what it reaches (and 0 for the rest).
fn walk<'r>(pattern: &'r Pattern<'r>, visit: &mut impl FnMut(Found<'r>) -> u64) -> u64 {
    let mut count = 0u64;
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            count = count
                .saturating_add(1)
                .saturating_add(walk_expression(expression, visit));
        }
    }
    count
}

fn walk_expression<'r>(
    expression: &'r ast::Expression<&'r str>,
    visit: &mut impl FnMut(Found<'r>) -> u64,
) -> u64 {
    match expression {
        ast::Expression::Inline(inline) => walk_inline(inline, visit),
        ast::Expression::Select { selector, variants } => {
            // a selector on a variable never set picks the default variant: not a problem
            let selected = match selector {
                Inline::VariableReference { .. } => 0,
                other => walk_inline(other, visit),
            };
            let variant = variants
                .iter()
                .map(|variant| walk(&variant.value, visit))
                .max()
                .unwrap_or(0);
            selected.saturating_add(variant)
        }
    }
}

fn walk_inline<'r>(inline: &'r Inline<'r>, visit: &mut impl FnMut(Found<'r>) -> u64) -> u64 {
    let arguments = |arguments: Option<&'r ast::CallArguments<&'r str>>,
                     visit: &mut dyn FnMut(&'r Inline<'r>) -> u64| {
        arguments.map_or(0, |a| {
            let named = a.named.iter().map(|n| &n.value);
            a.positional
                .iter()
                .chain(named)
                .map(visit)
                .fold(0, u64::saturating_add)
        })
    };
    match inline {
        Inline::StringLiteral { .. } | Inline::NumberLiteral { .. } => 0,
        Inline::VariableReference { id } => visit(Found::Variable(id.name)),
        Inline::MessageReference { id, attribute } => visit(Found::Message {
            id: id.name,
            attribute: attribute.as_ref().map(|a| a.name),
        }),
        Inline::TermReference {
            id,
            attribute,
            arguments: passed,
        } => {
            let names = passed
                .iter()
                .flat_map(|a| a.named.iter().map(|n| n.name.name));
            let reached = visit(Found::Term {
                id: id.name,
                attribute: attribute.as_ref().map(|a| a.name),
                arguments: names.collect(),
            });
            let given = arguments(passed.as_ref(), &mut |a| walk_inline(a, visit));
            reached.saturating_add(given)
        }
        Inline::FunctionReference {
            id,
            arguments: passed,
        } => {
            visit(Found::Function(id.name));
            arguments(Some(passed), &mut |a| walk_inline(a, visit))
        }
        Inline::Placeable { expression } => walk_expression(expression, visit),
    }
}

/// A pattern a reference can reach: the value or an attribute of a message or term.
struct Node<'r> {
    piece: usize,
    term: bool,
    id: &'r str,
    attribute: Option<&'r str>,
    pattern: &'r Pattern<'r>,
    /// the variables it writes out, and where
    variables: Vec<(&'r str, At)>,
    /// the patterns it references, each with where and (a term's) the arguments passed
    edges: Vec<(usize, At, Option<Vec<&'r str>>)>,
}

impl Node<'_> {
    /// How a catalogue names it: `welcome.summary`, `-brand`.
    fn name(&self) -> String {
        let sigil = if self.term { "-" } else { "" };
        match self.attribute {
            Some(attribute) => format!("{sigil}{}.{attribute}", self.id),
            None => format!("{sigil}{}", self.id),
        }
    }
}

/// Who a formatting that reaches a pattern is for: a message the renderer formats, or a term
/// reference (whose arguments are all the term sees).
#[derive(Clone)]
enum Context {
    Root(usize),
    Term { call: At, term: usize },
}

/// The check of one locale: its catalogues' patterns, indexed.
struct Check<'r, 'f> {
    locale: &'r str,
    pieces: &'r [Piece],
    nodes: Vec<Node<'r>>,
    /// per id, the entry the bundle uses: a message or a term
    defined: HashMap<&'r str, &'r ast::Entry<&'r str>>,
    index: HashMap<(bool, &'r str, Option<&'r str>), usize>,
    locate: &'f mut dyn FnMut(usize, Range<usize>) -> Span,
    found: &'f mut Collected,
    suggestions: usize,
}

/// Every reference problem of one locale's catalogues, as E017 diagnostics at the catalogue
/// entries that hold them; `locate` turns a piece and a range in its text into a span.
pub(super) fn check<'r>(
    locale: &'r str,
    pieces: &'r [Piece],
    vocabulary: &'r Vocabulary,
    locate: &mut dyn FnMut(usize, Range<usize>) -> Span,
    found: &mut Collected,
) {
    let mut check = Check {
        locale,
        pieces,
        nodes: Vec::new(),
        defined: HashMap::new(),
        index: HashMap::new(),
        locate,
        found,
        suggestions: 0,
    };
    check.index_patterns();
    check.summarise();
    let counts = check.cycles();
    let roots: Vec<(usize, Vec<Variable<'r>>)> = (0..check.nodes.len())
        .filter_map(|n| {
            let node = &check.nodes[n];
            let given = (!node.term).then(|| variables(vocabulary, node.id, node.attribute));
            given.flatten().map(|given| (n, given))
        })
        .collect();
    for (root, _) in &roots {
        if counts[*root] > MAX_PLACEABLES {
            check.too_many_placeables(*root);
        }
    }
    check.variables(vocabulary, &roots);
}

impl<'r> Check<'r, '_> {
    /// The entries as the bundle sees them, and a node per value and attribute of each.
    fn index_patterns(&mut self) {
        let pieces = self.pieces;
        for piece in pieces {
            for entry in piece.resource.entries() {
                if let Some(id) = entry_id(entry) {
                    self.defined.insert(id, entry);
                }
            }
        }
        for (p, piece) in pieces.iter().enumerate() {
            for entry in piece.resource.entries() {
                let effective = entry_id(entry)
                    .and_then(|id| self.defined.get(id))
                    .is_some_and(|used| std::ptr::eq(*used, entry));
                if !effective {
                    continue;
                }
                let (term, id, value, attributes) = match entry {
                    ast::Entry::Message(m) => (false, m.id.name, m.value.as_ref(), &m.attributes),
                    ast::Entry::Term(t) => (true, t.id.name, Some(&t.value), &t.attributes),
                    _ => continue,
                };
                let patterns = value
                    .map(|v| (None, v))
                    .into_iter()
                    .chain(attributes.iter().map(|a| (Some(a.id.name), &a.value)));
                for (attribute, pattern) in patterns {
                    // of two attributes with one name, Fluent uses the first
                    let key = (term, id, attribute);
                    if self.index.contains_key(&key) {
                        continue;
                    }
                    self.index.insert(key, self.nodes.len());
                    self.nodes.push(Node {
                        piece: p,
                        term,
                        id,
                        attribute,
                        pattern,
                        variables: Vec::new(),
                        edges: Vec::new(),
                    });
                }
            }
        }
    }

    /// The pattern a reference to message or term (`term`) `id` (its `attribute`) reaches, or
    /// what is wrong with it and the help for that.
    fn resolve(
        &self,
        term: bool,
        id: &str,
        attribute: Option<&str>,
    ) -> Result<usize, (String, String)> {
        let (kind, sigil) = if term { ("term", "-") } else { ("message", "") };
        let is_kind = |entry: &&ast::Entry<&str>| match entry {
            ast::Entry::Message(_) => !term,
            ast::Entry::Term(_) => term,
            _ => false,
        };
        if !self.defined.get(id).is_some_and(is_kind) {
            return Err((
                format!(
                    "{kind} `{sigil}{id}` is not defined in locale `{}`",
                    self.locale
                ),
                format!(
                    "define it in a catalogue of locale `{0}` (a shipped one, or one in \
                     `locales/{0}/` next to the rule set's root file), or fix the reference",
                    self.locale
                ),
            ));
        }
        self.index
            .get(&(term, id, attribute))
            .copied()
            .ok_or_else(|| match attribute {
                Some(attribute) => (
                    format!("{kind} `{sigil}{id}` has no attribute `{attribute}`"),
                    format!("add `.{attribute} = …` to `{sigil}{id}`, or fix the reference"),
                ),
                None => (
                    format!("message `{id}` has no value, only attributes"),
                    format!("give `{id}` a value, or reference one of its attributes"),
                ),
            })
    }

    /// Each pattern's variables and references; a diagnostic for each reference to what is
    /// not there and each function (the bundle has none).
    fn summarise(&mut self) {
        for n in 0..self.nodes.len() {
            let (piece, pattern) = (self.nodes[n].piece, self.nodes[n].pattern);
            let source = self.pieces[piece].resource.source();
            let mut variables = Vec::new();
            let mut edges = Vec::new();
            let mut problems = Vec::new();
            walk(pattern, &mut |found| {
                let at = At {
                    piece,
                    range: found.range(source),
                };
                let resolved = found
                    .target()
                    .map(|(term, id, attribute)| self.resolve(term, id, attribute));
                match (found, resolved) {
                    (Found::Variable(name), _) => variables.push((name, at)),
                    (Found::Function(id), _) => problems.push((
                        at,
                        format!("unknown function `{id}`"),
                        "pimrules gives message catalogues no functions",
                        "write the value itself, or select on a variable: \
                         `{ $x -> [a] … *[b] … }`"
                            .to_owned(),
                    )),
                    (Found::Term { arguments, .. }, Some(Ok(target))) => {
                        edges.push((target, at, Some(arguments)));
                    }
                    (_, Some(Ok(target))) => edges.push((target, at, None)),
                    (_, resolved) => {
                        let (problem, help) = resolved.and_then(Result::err).unwrap_or_default();
                        problems.push((at, problem, "shown raw in the email", help));
                    }
                }
                0
            });
            let holder = self.nodes[n].name();
            for (at, message, label, help) in problems {
                let span = (self.locate)(at.piece, at.range);
                self.found.push(
                    Diagnostic::error(Code::E017, format!("{message} (in `{holder}`)"))
                        .at(span, label)
                        .help(help),
                );
            }
            self.nodes[n].variables = variables;
            self.nodes[n].edges = edges;
        }
    }

    /// A diagnostic for each cycle of references (Fluent shows the reference that closes one
    /// raw); returns, per pattern, the most placeables formatting it resolves.
    fn cycles(&mut self) -> Vec<u64> {
        const NEW: usize = usize::MAX;
        const DONE: usize = usize::MAX - 1;
        // per node: NEW, DONE, or its position on the stack
        let mut state = vec![NEW; self.nodes.len()];
        let mut counts = vec![0u64; self.nodes.len()];
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for start in 0..self.nodes.len() {
            if state[start] != NEW {
                continue;
            }
            state[start] = 0;
            stack.push((start, 0));
            while let Some((node, next)) = stack.last().copied() {
                let Some((target, at, _)) = self.nodes[node].edges.get(next) else {
                    let count = self.count(node, &counts);
                    counts[node] = count;
                    state[node] = DONE;
                    stack.pop();
                    continue;
                };
                let (target, at) = (*target, at.clone());
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                match state[target] {
                    NEW => {
                        state[target] = stack.len();
                        stack.push((target, 0));
                    }
                    DONE => {}
                    position => {
                        let path = stack.get(position..).unwrap_or_default();
                        self.cycle(path, target, at);
                    }
                }
            }
        }
        counts
    }

    /// The most placeables formatting node `n` resolves, those of what it references counted.
    fn count(&self, n: usize, counts: &[u64]) -> u64 {
        walk(self.nodes[n].pattern, &mut |found| {
            found
                .target()
                .and_then(|(term, id, attribute)| self.resolve(term, id, attribute).ok())
                .map_or(0, |target| counts[target])
        })
    }

    /// The diagnostic for the reference at `at`, which closes the cycle `path` (the stack from
    /// `target` on) back to `target`.
    fn cycle(&mut self, path: &[(usize, usize)], target: usize, at: At) {
        const SHOWN: usize = 8;
        let mut names: Vec<String> = path
            .iter()
            .take(SHOWN)
            .map(|(n, _)| format!("`{}`", self.nodes[*n].name()))
            .collect();
        if path.len() > SHOWN {
            names.push(format!("… ({} more)", path.len() - SHOWN));
        }
        names.push(format!("`{}`", self.nodes[target].name()));
        let span = (self.locate)(at.piece, at.range);
        self.found.push(
            Diagnostic::error(
                Code::E017,
                format!("cyclic reference: {}", names.join(" → ")),
            )
            .at(span, "refers back: Fluent shows it raw")
            .help("a message cannot contain itself; word one of them without the reference"),
        );
    }

    /// The diagnostic for a message the renderer formats that resolves too many placeables.
    fn too_many_placeables(&mut self, root: usize) {
        let node = &self.nodes[root];
        let source = self.pieces[node.piece].resource.source();
        let name = node.attribute.unwrap_or(node.id);
        let start = offset(source, name);
        let (piece, message) = (node.piece, node.name());
        let span = (self.locate)(piece, start..start + name.len());
        self.found.push(
            Diagnostic::error(
                Code::E017,
                format!("formatting `{message}` can resolve more than {MAX_PLACEABLES} placeables"),
            )
            .at(span, "Fluent stops at the limit and drops the rest")
            .help(
                "each reference counts the placeables of what it references, every time: \
                 reference shared messages fewer times",
            ),
        );
    }

    /// A diagnostic for each variable a formatting can meet but is not given: from each
    /// message the renderer formats (`roots`, with the variables it is given), through the
    /// messages it references; a term sees the arguments its reference passes.
    fn variables(&mut self, vocabulary: &Vocabulary, roots: &[(usize, Vec<Variable<'r>>)]) {
        let mut envs = Envs::default();
        let mut work: Vec<(usize, usize, Context)> = roots
            .iter()
            .rev()
            .map(|(root, given)| {
                let env = envs.id(given.iter().map(Variable::name).collect());
                (*root, env, Context::Root(*root))
            })
            .collect();
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        let mut reported: HashSet<At> = HashSet::new();
        let mut steps = 0usize;
        while let Some((node, env, context)) = work.pop() {
            if !seen.insert((node, env)) {
                continue;
            }
            steps += self.nodes[node].variables.len() + self.nodes[node].edges.len();
            if steps > MAX_STEPS {
                self.found.push(
                    Diagnostic::error(
                        Code::E017,
                        format!(
                            "the catalogues of locale `{}` reach more than {MAX_STEPS} \
                             variables and references: too many to check",
                            self.locale
                        ),
                    )
                    .help("the wording of the emails needs a few hundred at most"),
                );
                return;
            }
            for (name, at) in self.nodes[node].variables.clone() {
                let given = &envs.names[env];
                if given.binary_search(&name).is_err() && reported.insert(at.clone()) {
                    self.unknown_variable(node, name, at, given, &context, vocabulary);
                }
            }
            for (target, at, arguments) in self.nodes[node].edges.clone() {
                let (env, context) = match arguments {
                    Some(arguments) => (
                        envs.id(arguments),
                        Context::Term {
                            call: at,
                            term: target,
                        },
                    ),
                    None => (env, context.clone()),
                };
                work.push((target, env, context));
            }
        }
    }

    /// The diagnostic for variable `name` at `at`, in node `holder`, not among `given`.
    fn unknown_variable(
        &mut self,
        holder: usize,
        name: &str,
        at: At,
        given: &[&str],
        context: &Context,
        vocabulary: &Vocabulary,
    ) {
        let holder_name = self.nodes[holder].name();
        let span = (self.locate)(at.piece, at.range);
        let mut diagnostic = Diagnostic::error(
            Code::E017,
            format!("unknown variable `${name}` in `{holder_name}`"),
        );
        match context {
            Context::Root(root) => {
                let label = if *root == holder {
                    "never set for this message: shown raw".to_owned()
                } else {
                    format!(
                        "never set when `{}` is formatted: shown raw",
                        self.nodes[*root].name()
                    )
                };
                let root = &self.nodes[*root];
                diagnostic = diagnostic.at(span, label);
                let in_words = variables(vocabulary, root.id, None)
                    .is_some_and(|words| words.iter().any(|v| v.name() == name));
                if root.attribute == Some("link") && in_words {
                    diagnostic = diagnostic.help(
                        "links are given only names (the facts, `$scope`, `$event`, \
                         `$recipient`), never the instance's text",
                    );
                }
            }
            Context::Term { call, term } => {
                let term = self.nodes[*term].name();
                let call_span = (self.locate)(call.piece, call.range.clone());
                diagnostic = diagnostic
                    .at(span, format!("not passed to `{term}`: shown raw"))
                    .also(call_span, "referenced here")
                    .help(format!(
                        "a term sees only the arguments its reference passes, \
                         `{{ {term}({name}: \"…\") }}`, not the message's variables"
                    ));
            }
        }
        if self.suggestions < MAX_SUGGESTIONS && given.len() <= MAX_CANDIDATES {
            self.suggestions += 1;
            diagnostic = diagnostic.with_help(did_you_mean(name, given.iter().copied()));
        }
        self.found.push(diagnostic);
    }
}

/// The sets of variables formattings are given, each under a number.
#[derive(Default)]
struct Envs<'r> {
    /// each set sorted, without repeats
    names: Vec<Vec<&'r str>>,
    ids: HashMap<Vec<&'r str>, usize>,
}

impl<'r> Envs<'r> {
    /// The number of the set of `names`.
    fn id(&mut self, mut names: Vec<&'r str>) -> usize {
        names.sort_unstable();
        names.dedup();
        if let Some(id) = self.ids.get(&names) {
            return *id;
        }
        self.ids.insert(names.clone(), self.names.len());
        self.names.push(names);
        self.names.len() - 1
    }
}

/// The id a message or term is defined by (a term's without its `-`).
fn entry_id<'r>(entry: &'r ast::Entry<&'r str>) -> Option<&'r str> {
    match entry {
        ast::Entry::Message(m) => Some(m.id.name),
        ast::Entry::Term(t) => Some(t.id.name),
        _ => None,
    }
}
