//! pimrules, Cedar and Rego (Regorus's VM) side by side on the shipped `entra-pim` rules: the same
//! 100 000 generated questions, first checked for identical recipients and rule attribution, then timed.
//!
//! Each engine answers "who is emailed for EVENT in SCOPE with FACTS, and by which rule": pimrules
//! with one `Evaluator::decide`, Cedar with one request per recipient class (the permitting
//! policies' `@id`s name the rules), Rego with one evaluation of `data.pim.sends`, a set of
//! `[rule, class]` pairs. A class is attributed to the first rule, in rule order, that sends it.
//! The hand-written `match` of benches/by_hand answers the class set only. Run with
//! `cargo run --release` (`PEERS_QUESTIONS=N` for fewer questions).

#[path = "../../by_hand/mod.rs"]
mod by_hand;

use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request};
use pimrules::eval::Evaluator;
use pimrules::ruleset::{EventId, FactValues, ScopeId, Vocabulary};
use regorus::rvm::vm::RegoVM;
use std::collections::HashMap;
use std::hint::black_box;
use std::str::FromStr;
use std::time::Instant;

const CEDAR_POLICIES: &str = include_str!("../policies/entra-pim.cedar");
const REGO_MODULE: &str = include_str!("../policies/entra-pim.rego");
const REGO_QUERY: &str = "data.pim.sends";

/// One question, drawn uniformly from the vocabulary's scopes, events and fact values.
struct Question {
    scope: ScopeId,
    event: EventId,
    facts: FactValues,
}

/// An answer every engine gives: for each class (by index), the index of its rule, or `NONE`.
type Answer = [u16; 16];
const NONE: u16 = u16::MAX;

fn questions(v: &Vocabulary, count: usize) -> Vec<Question> {
    // xorshift64*: deterministic, so every run asks the same questions
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut below = |n: usize| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    };
    (0..count)
        .map(|_| Question {
            scope: ScopeId(below(v.scopes.len())),
            event: EventId(below(v.events.len())),
            facts: FactValues(
                v.facts
                    .iter()
                    .map(|f| below(f.values().len()) as u8)
                    .collect(),
            ),
        })
        .collect()
}

/// The facts of a question as JSON: enumerations as strings, `bool` facts as booleans.
fn facts_json(v: &Vocabulary, facts: &FactValues) -> serde_json::Value {
    let fields = v.facts.iter().enumerate().map(|(i, fact)| {
        let value = &fact.values()[usize::from(facts.0[i])];
        let json = match value.as_str() {
            "true" if fact.domain.is_bool() => serde_json::Value::Bool(true),
            "false" if fact.domain.is_bool() => serde_json::Value::Bool(false),
            other => serde_json::Value::String(other.to_owned()),
        };
        (fact.name.clone(), json)
    });
    serde_json::Value::Object(fields.collect())
}

/// Names → indices of the rule set, to turn the peers' answers into an [`Answer`].
struct Names {
    classes: HashMap<String, usize>,
    rules: HashMap<String, usize>,
}

fn attribute(answer: &mut Answer, class: usize, rule: usize) {
    answer[class] = answer[class].min(rule as u16);
}

fn pimrules_answer(evaluator: &Evaluator, q: &Question) -> Answer {
    let outcome = evaluator.decide(q.scope, q.event, &q.facts);
    let mut answer = [NONE; 16];
    for send in &outcome.sends {
        answer[send.class.0] = send.rule.0 as u16;
    }
    answer
}

/// Cedar: a request per class; the prepared principals, actions, resources and contexts.
struct Cedar {
    policies: PolicySet,
    rule_of_policy: HashMap<cedar_policy::PolicyId, usize>,
    authorizer: Authorizer,
    entities: Entities,
    classes: Vec<EntityUid>,
    actions: Vec<EntityUid>,
    resources: Vec<EntityUid>,
}

impl Cedar {
    fn new(v: &Vocabulary, names: &Names) -> Cedar {
        let policies = PolicySet::from_str(CEDAR_POLICIES).expect("the Cedar policies parse");
        let rule_of_policy = policies
            .policies()
            .map(|p| {
                let id = p.annotation("id").expect("every policy has an @id");
                (p.id().clone(), names.rules[id])
            })
            .collect();
        let uid = |kind: &str, name: &str| {
            EntityUid::from_str(&format!("{kind}::\"{name}\"")).expect("a valid entity uid")
        };
        Cedar {
            policies,
            rule_of_policy,
            authorizer: Authorizer::new(),
            entities: Entities::empty(),
            classes: v.recipients.iter().map(|c| uid("Class", &c.name)).collect(),
            actions: v.events.iter().map(|e| uid("Action", &e.name)).collect(),
            resources: v.scopes.iter().map(|s| uid("Scope", &s.name)).collect(),
        }
    }

    fn answer(&self, q: &Question, context: &Context) -> Answer {
        let mut answer = [NONE; 16];
        for (class, principal) in self.classes.iter().enumerate() {
            let request = Request::new(
                principal.clone(),
                self.actions[q.event.0].clone(),
                self.resources[q.scope.0].clone(),
                context.clone(),
                None,
            )
            .expect("a valid request");
            let response = self
                .authorizer
                .is_authorized(&request, &self.policies, &self.entities);
            if response.decision() == Decision::Allow {
                for policy in response.diagnostics().reason() {
                    attribute(&mut answer, class, self.rule_of_policy[policy]);
                }
            }
        }
        answer
    }
}

/// Rego: the module compiled for Regorus's VM.
struct Rego {
    vm: RegoVM,
}

impl Rego {
    fn new() -> Rego {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("entra-pim.rego".to_owned(), REGO_MODULE.to_owned())
            .expect("the Rego module parses");
        let compiled = engine
            .compile_with_entrypoint(&REGO_QUERY.into())
            .expect("the Rego module compiles");
        let program = regorus::languages::rego::compiler::Compiler::compile_from_policy(
            &compiled,
            &[REGO_QUERY],
        )
        .expect("the Rego module compiles for the VM");
        let mut vm = RegoVM::new();
        vm.load_program(program);
        Rego { vm }
    }

    fn answer(&mut self, input: &regorus::Value, names: &Names) -> Answer {
        self.vm.set_input(input.clone());
        let result = self.vm.execute().expect("the Rego query runs");
        let mut answer = [NONE; 16];
        if let Ok(pairs) = result.as_set() {
            for pair in pairs {
                let pair = pair.as_array().expect("a [rule, class] pair");
                let rule = pair[0].as_string().expect("a rule name");
                let class = pair[1].as_string().expect("a class name");
                attribute(
                    &mut answer,
                    names.classes[class.as_ref()],
                    names.rules[rule.as_ref()],
                );
            }
        }
        answer
    }
}

/// Nanoseconds per question of `answer` over every question, `passes` times, best of 3 rounds.
fn time(questions: usize, passes: usize, mut answer: impl FnMut(usize)) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        for _ in 0..passes {
            for i in 0..questions {
                answer(black_box(i));
            }
        }
        let per = start.elapsed().as_nanos() as f64 / (questions * passes) as f64;
        best = best.min(per);
    }
    best
}

fn main() {
    let count = std::env::var("PEERS_QUESTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let build = pimrules::pipeline::build(&[]).expect("the shipped rule set loads");
    assert!(!build.has_errors(), "{:?}", build.diagnostics);
    let table = &build.compiled[0].table;
    let v = &table.vocabulary;
    assert_eq!(v.header.name, "entra-pim");
    assert!(v.recipients.len() <= 16);
    by_hand::assert_ids(table);
    let names = Names {
        classes: (v.recipients.iter().enumerate())
            .map(|(i, c)| (c.name.clone(), i))
            .collect(),
        rules: (table.rules.iter().enumerate())
            .map(|(i, r)| (r.name.clone(), i))
            .collect(),
    };
    let evaluator = Evaluator::new(table);
    let cedar = Cedar::new(v, &names);
    let mut rego = Rego::new();
    let questions = questions(v, count);
    let contexts: Vec<Context> = questions
        .iter()
        .map(|q| Context::from_json_value(facts_json(v, &q.facts), None).expect("a context"))
        .collect();
    let inputs: Vec<regorus::Value> = questions
        .iter()
        .map(|q| {
            let input = serde_json::json!({
                "scope": v.scope_name(q.scope),
                "event": v.event_name(q.event),
                "facts": facts_json(v, &q.facts),
            });
            regorus::Value::from_json_str(&input.to_string()).expect("a Rego input")
        })
        .collect();

    // 1. agreement: the same classes, attributed to the same rules, on every question
    let mut notified = 0;
    for (i, q) in questions.iter().enumerate() {
        let ours = pimrules_answer(&evaluator, q);
        let describe = || {
            format!(
                "{} in {} with {:?}",
                v.event_name(q.event),
                v.scope_name(q.scope),
                facts_json(v, &q.facts)
            )
        };
        assert_eq!(cedar.answer(q, &contexts[i]), ours, "Cedar: {}", describe());
        assert_eq!(
            rego.answer(&inputs[i], &names),
            ours,
            "Rego: {}",
            describe()
        );
        let classes = ours
            .iter()
            .enumerate()
            .filter(|(_, rule)| **rule != NONE)
            .fold(0u128, |set, (class, _)| set | 1 << class);
        let by_hand = by_hand::entra_pim_by_hand(q.scope.0, q.event.0, &q.facts.0);
        assert_eq!(by_hand, classes, "match: {}", describe());
        notified += usize::from(classes != 0);
    }
    println!(
        "agreement: pimrules, Cedar, Rego and the hand-written match give the same recipients \
         (and pimrules, Cedar and Rego the same rule for each) on all {count} questions; \
         {notified} notify someone"
    );

    // 2. time per question
    let n = questions.len();
    let ours = time(n, 100, |i| {
        let q = &questions[i];
        let outcome = evaluator.decide(q.scope, q.event, &q.facts);
        black_box((outcome.classes, outcome.sends.as_slice()));
    });
    let by_hand = time(n, 100, |i| {
        let q = &questions[i];
        black_box(by_hand::entra_pim_by_hand(q.scope.0, q.event.0, &q.facts.0));
    });
    let regorus = time(n, 1, |i| {
        black_box(rego.answer(&inputs[i], &names));
    });
    let cedar_ns = time(n, 1, |i| {
        black_box(cedar.answer(&questions[i], &contexts[i]));
    });
    println!();
    println!("| engine | per question | ÷ hand-written match | ÷ pimrules |");
    println!("|---|---:|---:|---:|");
    for (name, ns) in [
        ("hand-written Rust `match` (class set only)", by_hand),
        ("pimrules `Evaluator::decide`", ours),
        ("Rego (Regorus VM)", regorus),
        ("Cedar (one request per class)", cedar_ns),
    ] {
        println!(
            "| {name} | {} | {} | {} |",
            format_ns(ns),
            ratio(ns / by_hand),
            ratio(ns / ours)
        );
    }
}

fn ratio(r: f64) -> String {
    if r >= 10.0 {
        format!("{r:.0}×")
    } else {
        format!("{r:.2}×")
    }
}

fn format_ns(ns: f64) -> String {
    if ns >= 1000.0 {
        format!("{:.2} µs", ns / 1000.0)
    } else {
        format!("{ns:.1} ns")
    }
}
