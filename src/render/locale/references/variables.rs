//! The variable check: from each message the renderer formats, through what it references,
//! every variable a formatting meets but is not given, with a term seeing only its arguments.

use super::index::{At, Check};
use crate::diagnostic::{Code, Diagnostic, MAX_PER_FILE_AND_CODE, did_you_mean};
use crate::render::messages::{Variable, variables};
use crate::ruleset::Vocabulary;
use std::collections::{HashMap, HashSet};

/// Most variables and references the variable check looks at in one locale: past them the
/// check stops with an error, so that a hostile catalogue cannot make it slow.
const MAX_STEPS: usize = 1 << 22;

/// Most names a "did you mean" suggestion compares with, and most suggestions per locale.
const MAX_CANDIDATES: usize = 1000;
const MAX_SUGGESTIONS: usize = 2 * MAX_PER_FILE_AND_CODE;

/// Who a formatting that reaches a pattern is for: a message the renderer formats, or a term
/// reference (whose arguments are all the term sees).
#[derive(Clone)]
enum Context {
    Root(usize),
    Term { call: At, term: usize },
}

impl<'r> Check<'r, '_> {
    /// A diagnostic for each variable a formatting can meet but is not given: from each
    /// message the renderer formats (`roots`, with the variables it is given), through the
    /// messages it references; a term sees the arguments its reference passes.
    pub(super) fn variables(
        &mut self,
        vocabulary: &Vocabulary,
        roots: &[(usize, Vec<Variable<'r>>)],
    ) {
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
