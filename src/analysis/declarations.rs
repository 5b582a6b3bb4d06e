//! Where a program declares things: the spans of declarations, rule names, `occurs in` scopes and
//! the root file's `use` lines, read from the AST so findings can point at the text they concern.

use crate::load::{Loaded, Program};
use crate::source::{FileId, Span};
use crate::syntax::ast::{EventOption, Item};
use std::collections::HashMap;

/// The kinds of declarations a rule set's vocabulary has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Scope,
    Event,
    Class,
    Fact,
    Template,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Scope => "scope",
            Kind::Event => "event",
            Kind::Class => "recipient class",
            Kind::Fact => "fact",
            Kind::Template => "template",
        }
    }
}

/// One declaration as written.
#[derive(Debug, Clone)]
pub struct Declared {
    pub kind: Kind,
    pub name: String,
    /// the whole item (where an `allow` comment attaches)
    pub item: Span,
    pub name_span: Span,
    /// for an event: each scope of its `occurs in`, with where it is written
    pub occurs_in: Vec<(String, Span)>,
}

/// The declarations of one program, each name once (the declaration in force).
pub struct Declarations {
    pub root: FileId,
    /// in program order: used files first, then the root
    declared: Vec<Declared>,
    index: HashMap<(Kind, String), usize>,
    /// rule name → where the name is written
    rule_names: HashMap<String, Span>,
    /// the `use` items of the root file
    pub root_uses: Vec<Span>,
}

impl Declarations {
    pub fn of(loaded: &Loaded, program: &Program) -> Declarations {
        let mut declarations = Declarations {
            root: program.root,
            declared: Vec::new(),
            index: HashMap::new(),
            rule_names: HashMap::new(),
            root_uses: Vec::new(),
        };
        for (file, module) in loaded.modules_of(program) {
            for item in &module.items {
                let (kind, name, occurs_in) = match &item.node {
                    Item::Scope(d) => (Kind::Scope, &d.name, Vec::new()),
                    Item::Recipient(d) => (Kind::Class, &d.name, Vec::new()),
                    Item::Fact(d) => (Kind::Fact, &d.name, Vec::new()),
                    Item::Template(d) => (Kind::Template, &d.name, Vec::new()),
                    Item::Event(d) => {
                        let occurs = d
                            .options
                            .iter()
                            .filter_map(|o| match &o.node {
                                EventOption::OccursIn(scopes) => Some(scopes),
                                _ => None,
                            })
                            .flatten()
                            .map(|s| (s.node.clone(), s.span))
                            .collect();
                        (Kind::Event, &d.name, occurs)
                    }
                    Item::Rule(d) => {
                        declarations
                            .rule_names
                            .entry(d.name.node.clone())
                            .or_insert(d.name.span);
                        continue;
                    }
                    Item::Use(_) if file == program.root => {
                        declarations.root_uses.push(item.span);
                        continue;
                    }
                    _ => continue,
                };
                let key = (kind, name.node.clone());
                if declarations.index.contains_key(&key) {
                    continue;
                }
                declarations.index.insert(key, declarations.declared.len());
                declarations.declared.push(Declared {
                    kind,
                    name: name.node.clone(),
                    item: item.span,
                    name_span: name.span,
                    occurs_in,
                });
            }
        }
        declarations
    }

    pub fn get(&self, kind: Kind, name: &str) -> Option<&Declared> {
        self.index
            .get(&(kind, name.to_owned()))
            .and_then(|i| self.declared.get(*i))
    }

    /// The declarations written in the root file, in order.
    pub fn in_root(&self) -> impl Iterator<Item = &Declared> {
        self.declared.iter().filter(|d| d.item.file == self.root)
    }

    /// The span of a rule's name, if the rule is written in this program.
    pub fn rule_name(&self, name: &str) -> Option<Span> {
        self.rule_names.get(name).copied()
    }
}
