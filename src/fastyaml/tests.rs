use super::{parse_for_summary, parse_record, parse_value};
use crate::process::Audience;
use crate::prospect::{Contact, Event, Extra, FollowUp, Insight, Outcome, Record, Status};
use crate::summary::Summary;
use crate::yaml;
use serde_json::{Value, json};

const BASE: &str = "name: Acme\nstage: research\nstatus: open\n";

fn demo_texts() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/demo/prospects");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The one rule: a `Some` equals what the full parser gives. For a
/// summary: the record without its history, and the facts of that history.
fn agrees(text: &str) -> bool {
    let fast = parse_record(text);
    if let Some(fast) = &fast {
        assert_eq!(
            yaml::from_str::<Record>(text).as_ref(),
            Ok(fast),
            "{text:?}"
        );
    }
    let summary = parse_for_summary(text);
    assert_eq!(fast.is_some(), summary.is_some(), "{text:?}");
    if let (Some(full), Some((record, facts, lean))) = (fast, summary) {
        assert_eq!(facts, crate::history::Facts::of(&full), "{text:?}");
        // Answers read in place are the record's answers, built on demand.
        let answers = if lean.taken() {
            assert_eq!(lean.to_answers(), full.answers, "{text:?}");
            Default::default()
        } else {
            full.answers.clone()
        };
        assert_eq!(
            record,
            Record {
                history: Vec::new(),
                answers,
                ..full.clone()
            },
            "{text:?}"
        );
        // And the summary made from them is the one made from the record.
        let p = crate::process::Process::builtin();
        assert_eq!(
            Summary::of_facts("x", &record, facts, Some(&lean), &p),
            Summary::of("x", &full, &p),
            "{text:?}"
        );
    }
    if let Some(fast) = parse_value(text) {
        assert_eq!(
            yaml::from_str::<Value>(text).as_ref(),
            Ok(&fast),
            "{text:?}"
        );
        return true;
    }
    false
}

#[test]
fn demo_records_are_read_fast_and_exactly() {
    let texts = demo_texts();
    assert!(texts.len() >= 10);
    for (path, text) in texts {
        let full: Record = yaml::from_str(&text).unwrap();
        assert_eq!(parse_record(&text), Some(full), "{path}");
        assert!(agrees(&text), "{path}");
    }
}

#[test]
fn writer_forms_are_read() {
    let cases = [
        "x: |2-\n    lead\n  b\n",
        "x: |+\n  a\n  b\n\n",
        "x: |+\n\n\n",
        "x: |-\n\n  lead nl\n",
        "x: |-\n  a\n    \n  b\n",
        "x: |-\n  a\tb\n  \tc\n",
        "x:\n- |2\n    x\n  y\n- a: |2-\n      x\n    y\n",
        "x:\n- - 1\n  - -2\n- - - |-\n      a\n      b\n- []\n- {}\n",
        "x: '-'\ny: 'it''s'\n",
        "x: \"\\x01\\t\\N\\L\\uFEFF\\\\\\\"\\0\\U0001F600\"\n",
        "x:\n  \"yes\": 1\n  \"\": 2\n  a b: 3\n  -x: 4\n  a#b: 5\n",
        "x: a:b\ny: x]\nz: é ünï 日本\nw: \u{a0}x\nv: -abc\n",
        "x: 18446744073709551615\ny: -9223372036854775808\nz: 0\nt: true\nf: false\nn: null\n",
        "x:\n  - a\n  - b\ny:\n  k: v\n",
        "owner: null\nx:\n",
        "y: 'it''s'\nno: yes\nn: \"x\"\non: Off\nx: 0🃑\nz: 24/7 support\nw: +1 555\nv: .net x\n<<x: 1\n\"<<\": 2\n",
    ];
    for case in cases {
        let text = format!("{BASE}{case}");
        assert!(agrees(&text), "fell back on {text:?}");
        assert!(parse_record(&text).is_some(), "{text:?}");
    }
}

#[test]
fn unsure_or_invalid_text_falls_back() {
    let cases = [
        "x: 1.5\n",
        "x: 0o17\n",
        "x: 0x1F\n",
        "x: 1e3\n",
        "x: 007\n",
        "x: -0\n",
        "x: 1_000\n",
        "x: +1\n",
        "x: 99999999999999999999\n",
        "x: .inf\n",
        "x: inf\n",
        "x: [a]\n",
        "x: {a: 1}\n",
        "x: &a 1\ny: *a\n",
        "x: !!str 1\n",
        "x: a # note\n",
        "# note\nx: a\n",
        "x: a\nx: b\n",
        "name: B\n",
        "x: \"a\"\n\"x\": b\n",
        "x:\ta\n",
        "x: a\n  b\n",
        "x:  a\n",
        "x: a \n",
        "---\nx: a\n",
        "x: >\n  a\n",
        "x: \"a\n  b\"\n",
        "? x\n: 1\n",
        "~: 1\n",
        "1: a\n",
        "<<: a\n",
        "x: |\n   \n  a\n",
        "x: |\n  a\n \n",
        "x: \"\\q\"\n",
        "x: \"\\uD800\"\n",
        "x:\n- a\n y: 1\n",
        "x: a\n\ny: b\n",
    ];
    for case in cases {
        let text = format!("{BASE}{case}");
        agrees(&text);
        assert_eq!(parse_record(&text), None, "{text:?}");
    }
    assert_eq!(parse_record("name: Acme\nstage: s\nstatus: open"), None);
    assert_eq!(parse_record(""), None);
    assert_eq!(
        parse_record("\u{feff}name: Acme\nstage: s\nstatus: open\n"),
        None
    );
}

/// Answers are read in place for a summary (`answers.rs`) when a block map
/// follows `answers:`; anything else is read by the generic path, or refused
/// as before. Each case is checked by `agrees`: the answers built on demand
/// equal the record's, and so does the summary made from them.
#[test]
fn answers_in_place_generic_or_refused() {
    let base = "name: Acme\nstage: research\nstatus: open\n";
    let taken = [
        // Every scalar kind; a blank answer on the current step (no progress);
        // persona and insight items; a number where text belongs.
        "answers:\n  research:\n    industry: Energy\n    company-size: 455\n    market-notes: \"   \"\n    lead-source: referral\n    website-reviewed: true\n",
        "answers:\n  research:\n    industry: \"\"\n    company-size: -3\n    lead-source: ~\n    website-reviewed: false\n    x: []\n    y: {}\n",
        // Lists and literal blocks (read whole), quoted keys, an empty step.
        "answers:\n  research:\n    industry:\n    - Energy\n    - \"  \"\n    market-notes: |-\n      two\n      lines\n    \"lead-source\": \"event\"\n    \"a\\tb\": 1\n  qualify: {}\n  propose:\n    offer-value: \"12,000\"\n",
        "answers:\n  qualify:\n    decision-makers:\n    - CFO\n    - cfo\n    - \" Head of Ops \"\n    role-in-decision: champion\n  research:\n    company-size: 18446744073709551615\n",
        "answers:\n  propose:\n    offer-value: 5000\n  unknown-step:\n    z: 1\n",
    ];
    for case in taken {
        let text = format!("{base}{case}");
        assert!(agrees(&text), "fell back on {text:?}");
        let (record, _, lean) = parse_for_summary(&text).expect("read");
        assert!(lean.taken(), "{text:?}");
        assert!(record.answers.is_empty(), "{text:?}");
    }
    // The generic path: read as before, not in place.
    for case in ["answers: {}\n", "answers:\n  research: {}\n"] {
        let text = format!("{base}{case}");
        assert!(agrees(&text), "fell back on {text:?}");
        let (_, _, lean) = parse_for_summary(&text).expect("read");
        assert_eq!(lean.taken(), case != "answers: {}\n", "{text:?}");
    }
    let refused = [
        // A repeated step or item, a null or scalar step, a step that is a
        // list, a null answers, bad indentation, a float.
        "answers:\n  research:\n    industry: a\n  research:\n    industry: b\n",
        "answers:\n  research:\n    industry: a\n    industry: b\n",
        "answers:\n  research:\n",
        "answers:\n  research: x\n",
        "answers:\n  research: ~\n",
        "answers:\n  research: []\n",
        "answers:\n  research:\n  - a\n",
        "answers:\n",
        "answers:\n  research:\n    industry: a\n     market-notes: b\n",
        "answers:\n  research:\n    company-size: 1.5\n",
    ];
    for case in refused {
        let text = format!("{base}{case}");
        agrees(&text);
        assert_eq!(parse_for_summary(&text).map(|_| ()), None, "{text:?}");
        assert_eq!(parse_record(&text), None, "{text:?}");
    }
}

/// History entries are read by their own fast path (`events.rs`); an entry
/// it does not take is read by the generic path, or refused as before.
#[test]
fn history_entries_fast_generic_or_refused() {
    let ok = [
        // The forms salesproc writes, unknown keys of every scalar kind kept in order.
        "history:\n- at: \"2026-01-02T03:04:05Z\"\n  by: ana\n  event: done\n  note: \"x: y\"\n  value: 12000\n  n: -3\n  t: true\n  z: null\n  e: []\n  m: {}\n",
        "history:\n- at: \"2026-01-02T03:04:05Z\"\n  event: decided\n  step: qualify\n  outcome: \"no\"\n  why: |-\n    two\n    lines\n  revisit: \"2026-05-01\"\n  to: ~\n  status: lost\n",
        // A nested value: the generic path (for that entry only); quoted keys.
        "history:\n- at: x\n  event: set\n  value:\n    a: 1\n    b: two\n",
        "history:\n- at: x\n  event: set\n  list:\n  - 1\n  - 2\n- at: y\n  event: z\n",
        "history:\n- \"at\": x\n  event: z\n",
        "history:\n- at: x\n  event: z\n  \"by\": q\n",
        "history: []\n",
    ];
    // How many entries of each case the fast path takes itself.
    let fast = [1, 1, 0, 1, 1, 1, 0];
    for (case, fast) in ok.iter().zip(fast) {
        let text = format!("{BASE}{case}");
        assert!(agrees(&text), "fell back on {text:?}");
        let before = super::events::FAST.with(|n| n.get());
        assert!(parse_record(&text).is_some(), "{text:?}");
        let after = super::events::FAST.with(|n| n.get());
        assert_eq!(after - before, fast, "{text:?}");
    }
    let refused = [
        // Wrong types, a repeated key, a missing field, bad indentation, a
        // null history, an entry that is not a map.
        "history:\n- - a\n  - b\n- at: y\n  event: z\n",
        "history:\n- at: x\n  event: z\n  outcome: maybe\n",
        "history:\n- at: x\n  event: z\n  status: Open\n",
        "history:\n- at: x\n  event: z\n  by: 12\n",
        "history:\n- at: ~\n  event: z\n",
        "history:\n- at: x\n  event: z\n  by: a\n  by: b\n",
        "history:\n- at: x\n  event: z\n  note: a\n  note: b\n",
        "history:\n- at: x\n  by: a\n",
        "history:\n- at: x\n   event: z\n",
        "history:\n- at: x\n  event: z\n\n- at: y\n  event: z\n",
        "history:\n",
        "history: a\n",
    ];
    for case in refused {
        let text = format!("{BASE}{case}");
        agrees(&text);
        assert_eq!(parse_record(&text), None, "{text:?}");
    }
}

#[test]
#[ignore = "timing; run with --release -- --ignored --nocapture"]
fn speed_against_the_full_parser() {
    use std::time::Instant;
    let texts: Vec<String> = demo_texts().into_iter().map(|(_, t)| t).collect();
    let kb = texts.iter().map(String::len).sum::<usize>() as f64 / 1024.0;
    let time = |f: &dyn Fn(&str) -> bool, rounds: usize| {
        let start = Instant::now();
        for _ in 0..rounds {
            for t in &texts {
                assert!(f(t));
            }
        }
        start.elapsed().as_secs_f64() * 1e6 / (kb * rounds as f64)
    };
    let full = time(&|t| yaml::from_str::<Record>(t).is_ok(), 20);
    let fast = time(&|t| parse_record(t).is_some(), 400);
    eprintln!(
        "{} records, {kb:.1} KB: full {full:.1} µs/KB, fast {fast:.2} µs/KB, {:.0}x",
        texts.len(),
        full / fast
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const TRICKY: &[&str] = &[
        "00123",
        "1e3",
        "0o17",
        "no",
        "yes",
        "~",
        "null",
        "Null",
        "2026-01-01",
        "-",
        "- a",
        "a: b",
        "a:",
        "#x",
        "a #b",
        " lead",
        "tail ",
        "\n",
        "\n\n",
        "a\n",
        "  x\ny\n",
        "\nx",
        "\n  x",
        "true",
        "False",
        ".inf",
        "-.5",
        "+1",
        "0x1F",
        "1_000",
        "inf",
        "NaN",
        "-abc",
        "-5",
        "<<",
        "? x",
        "|",
        "> x",
        "[a]",
        "{a}",
        "*a",
        "&a",
        "!t",
        "%x",
        "@x",
        "`x",
        "x]",
        "",
        "123456789012345678901234567890",
        "https://example.com/a?b=c#d",
    ];
    const KNOWN: &[&str] = &[
        "name",
        "contact",
        "owner",
        "stage",
        "status",
        "follow_up",
        "answers",
        "insights",
        "history",
        "title",
        "email",
        "phone",
        "date",
        "action",
        "at",
        "for",
        "text",
        "by",
        "event",
        "step",
        "item",
        "outcome",
        "why",
        "revisit",
        "to",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[A-Za-z][A-Za-z0-9 ,.'/()&-]{0,30}",
            2 => "\\PC{0,20}",
            2 => "( |\n|\t|\r|#|: |\"|'|-|\\\\|a|b|é|日|\u{85}|\u{1}|\u{7f}|\u{a0}|\u{2028}|\u{feff}|\u{80}){0,24}",
            1 => prop::sample::select(TRICKY).prop_map(String::from),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![3 => "[a-z][a-z0-9-]{0,12}", 1 => text()]
    }

    /// A step of the built-in process (so summaries find its answers), or any key.
    fn step_id() -> impl Strategy<Value = String> {
        let steps: Vec<String> = crate::process::Process::builtin()
            .steps
            .iter()
            .map(|s| s.id.clone())
            .collect();
        prop_oneof![1 => prop::sample::select(steps), 1 => key()]
    }

    /// An item of the built-in process (persona, insight and plain ones), or any key.
    fn item_id() -> impl Strategy<Value = String> {
        let items: Vec<String> = crate::process::Process::builtin()
            .steps
            .iter()
            .flat_map(|s| s.checklist.items.iter().map(|i| i.id.clone()))
            .collect();
        prop_oneof![2 => prop::sample::select(items), 1 => key()]
    }

    fn unknown_key() -> impl Strategy<Value = String> {
        key().prop_map(|k| {
            if KNOWN.contains(&k.as_str()) {
                format!("{k}-x")
            } else {
                k
            }
        })
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            4 => text().prop_map(Value::String),
            1 => any::<i64>().prop_map(Value::from),
            1 => any::<u64>().prop_map(Value::from),
            1 => (0i64..100_000).prop_map(Value::from),
            1 => any::<bool>().prop_map(Value::Bool),
            1 => Just(Value::Null),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    fn extra() -> impl Strategy<Value = Extra> {
        prop::collection::vec((unknown_key(), value()), 0..3)
            .prop_map(|kv| kv.into_iter().collect())
    }

    fn opt() -> impl Strategy<Value = Option<String>> {
        prop::option::of(text())
    }

    fn event() -> impl Strategy<Value = Event> {
        let outcome = prop::sample::select(vec![Outcome::Yes, Outcome::No, Outcome::Later]);
        (
            (text(), opt(), text(), opt(), opt()),
            (
                prop::option::of(outcome),
                opt(),
                opt(),
                opt(),
                prop::option::of(status()),
            ),
            (opt(), opt(), extra()),
        )
            .prop_map(
                |(
                    (at, by, event, step, item),
                    (outcome, why, revisit, to, status),
                    (date, action, extra),
                )| {
                    let t = |o: Option<String>| o.map(Into::into);
                    Event {
                        at: at.into(),
                        by: t(by),
                        event: event.into(),
                        step: t(step),
                        item: t(item),
                        outcome,
                        why: t(why),
                        revisit: t(revisit),
                        to: t(to),
                        status,
                        date: t(date),
                        action: t(action),
                        extra,
                    }
                },
            )
    }

    fn status() -> impl Strategy<Value = Status> {
        prop::sample::select(vec![
            Status::Open,
            Status::Nurturing,
            Status::Won,
            Status::Lost,
        ])
    }

    fn insight() -> impl Strategy<Value = Insight> {
        let audience = prop::sample::select(vec![
            Audience::Product,
            Audience::Marketing,
            Audience::Sales,
        ]);
        (text(), audience, text(), opt(), extra()).prop_map(|(at, audience, text, by, extra)| {
            Insight {
                at,
                audience,
                text,
                by,
                extra,
            }
        })
    }

    prop_compose! {
        fn record()(
            (name, owner, stage, status) in (text(), opt(), step_id(), status()),
            contact in (opt(), opt(), opt(), opt(), extra()),
            follow_up in prop::option::of((opt(), opt(), extra())),
            answers in prop::collection::vec(
                (step_id(), prop::collection::vec((item_id(), value()), 0..5)), 0..5),
            insights in prop::collection::vec(insight(), 0..3),
            history in prop::collection::vec(event(), 0..6),
            extra in extra(),
            value in prop::option::of(any::<u32>()),
            close_date in opt(),
        ) -> Record {
            let (cname, title, email, phone, cextra) = contact;
            Record {
                name, owner, stage, status,
                contact: Contact { name: cname, title, email, phone, extra: cextra },
                follow_up: follow_up.map(|(date, action, extra)| FollowUp { date, action, extra }),
                value: value.map(serde_json::Number::from),
                close_date,
                answers: answers.into_iter().map(|(k, v)| (k, v.into_iter().collect())).collect(),
                insights, history, extra,
            }
        }
    }

    /// One edit of canonical text, as a hand or a bad merge might make it.
    fn mutate(text: &str, kind: u8, a: usize, b: usize, piece: &str) -> String {
        let mut lines: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
        let n = lines.len().max(1);
        let (la, lb) = (a % n, b % n);
        let boundary = |s: &str, at: usize| {
            let mut i = at % (s.len() + 1);
            while !s.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        match kind % 8 {
            0 => {
                let i = boundary(text, a);
                let j = boundary(text, i + 1 + b % 4);
                return format!("{}{}", &text[..i], &text[j.max(i)..]);
            }
            1 => {
                let i = boundary(text, a);
                return format!("{}{piece}{}", &text[..i], &text[i..]);
            }
            2 => {
                let i = boundary(text, a);
                let j = boundary(text, i + 1);
                return format!("{}{piece}{}", &text[..i], &text[j.max(i)..]);
            }
            3 if !lines.is_empty() => {
                let l = lines[la].clone();
                lines.insert(lb, l);
            }
            4 if !lines.is_empty() => lines.swap(la, lb),
            5 if !lines.is_empty() => lines[la].insert_str(0, &" ".repeat(1 + b % 3)),
            6 if !lines.is_empty() => {
                let l = &mut lines[la];
                let cut = l.len() - l.trim_start_matches(' ').len();
                l.drain(..cut.min(1 + b % 2));
            }
            7 if !lines.is_empty() => {
                let l = &mut lines[la];
                let i = boundary(l, b);
                let tail = l[i..].to_string();
                l.truncate(i);
                l.push_str(piece);
                l.push_str(&tail);
            }
            _ => {}
        }
        lines.concat()
    }

    const PIECES: &[&str] = &[
        "#",
        " #c",
        "&a ",
        "*a",
        "!tag ",
        "!!str ",
        "\t",
        " ",
        "-",
        "- ",
        ":",
        ": ",
        "\"",
        "'",
        "|",
        "|2",
        "|-",
        ">",
        "\n",
        "\n\n",
        "  ",
        "? ",
        "[",
        "{",
        "]",
        "}",
        "[]",
        "{}",
        "~",
        "0",
        "1.5",
        "\\",
        "\\x",
        "x",
        "é",
        "---\n",
        "...\n",
        "%YAML 1.2\n",
        "null",
        "yes",
        "1e3",
        "0o17",
        "00",
        "\r",
        "\u{85}",
        "\u{feff}",
        "<<: ",
        ",",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// Whatever the tool writes, the fast reader reads back exactly, or falls back.
        #[test]
        fn canonical_text_is_read_fast_and_exactly(r0 in record()) {
            let text = yaml::to_string(&r0).unwrap();
            prop_assert_eq!(yaml::from_str::<Record>(&text), Ok(r0.clone()), "{}", text);
            // Deliberate refusals (`---…`, digit-led words such as `0b`)
            // fall back; every answer it gives equals the full parser's.
            // That ordinary records never fall back is the demo test's job.
            if let Some(fast) = parse_record(&text) {
                prop_assert_eq!(fast, r0.clone(), "{}", text);
            }
            agrees(&text);
        }

        /// Edited text: whenever the fast reader answers, the full parser agrees.
        #[test]
        fn mutated_text_never_gives_a_wrong_answer(
            r0 in record(),
            demo in any::<prop::sample::Index>(),
            use_demo in any::<bool>(),
            edits in prop::collection::vec(
                (any::<u8>(), any::<usize>(), any::<usize>(), prop::sample::select(PIECES)), 1..4),
        ) {
            let mut text = if use_demo {
                let texts = demo_texts();
                texts[demo.index(texts.len())].1.clone()
            } else {
                yaml::to_string(&r0).unwrap()
            };
            for (kind, a, b, piece) in edits {
                text = mutate(&text, kind, a, b, piece);
            }
            agrees(&text);
        }

        /// Floats and other untyped scalars: never a wrong answer, fallback allowed.
        #[test]
        fn any_scalar_in_unknown_keys_is_exact_or_falls_back(
            v in prop_oneof![
                any::<f64>().prop_map(|f| json!(f)),
                "[0-9a-fA-FxXoObB+.eE_:-]{1,12}".prop_map(|s| json!(s)),
                value(),
            ],
            plain in "[ -~]{1,16}",
        ) {
            let r0: Record = yaml::from_str(BASE).unwrap();
            let mut r = r0.clone();
            r.extra.insert("v".into(), v);
            agrees(&yaml::to_string(&r).unwrap());
            agrees(&format!("{BASE}v: {plain}\n"));
            agrees(&format!("{BASE}v:\n- {plain}\n"));
            agrees(&format!("{BASE}{plain}: 1\n"));
        }
    }
}

/// For a summary, an entry in the form salesproc writes goes straight into
/// the facts (`events::lean_entry`); one with anything else (an unknown key,
/// a literal block, a null) is read as for a record, with the same facts.
#[test]
fn summary_entries_lean_or_as_for_a_record() {
    let cases = [
        // Entries in the written form; a quoted text with an escape is not lean.
        (
            "history:\n- at: \"2026-01-02T03:04:05Z\"\n  by: ana\n  event: created\n  step: research\n- at: \"2026-01-03T03:04:05Z\"\n  event: decided\n  step: research\n  outcome: \"yes\"\n  why: \"Fits: a good \\\"one\\\"\"\n  to: qualify\n",
            1,
        ),
        (
            "history:\n- at: \"2026-01-02T03:04:05Z\"\n  event: created\n  step: research\n- at: \"2026-01-03T03:04:05Z\"\n  event: decided\n  outcome: later\n  revisit: \"2026-05-01\"\n  status: nurturing\n",
            2,
        ),
        // An unknown key, a literal block, a null: not lean.
        (
            "history:\n- at: \"2026-01-02T03:04:05Z\"\n  event: set\n  note: x\n",
            0,
        ),
        (
            "history:\n- at: x\n  event: decided\n  why: |-\n    two\n    lines\n",
            0,
        ),
        ("history:\n- at: x\n  event: z\n  to: ~\n", 0),
        // A line indented more than the entry's keys, or a blank line after it.
        ("history:\n- at: x\n  event: z\n   step: y\n", 0),
        ("history:\n- at: x\n  event: z\n\n- at: y\n  event: z\n", 0),
    ];
    for (case, lean) in cases {
        let text = format!("{BASE}{case}");
        agrees(&text);
        let before = super::events::LEAN.with(|n| n.get());
        // (The last two are refused as a whole, as for a record.)
        let _ = parse_for_summary(&text);
        let after = super::events::LEAN.with(|n| n.get());
        assert_eq!(after - before, lean, "{text:?}");
    }
}
