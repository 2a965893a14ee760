use super::*;
use crate::yaml;

const FULL: &str = r#"name: Acme Corp
contact:
  name: Jane Doe
  title: VP Operations
  email: jane@acme.example
  linkedin: jane-doe
owner: sam
stage: qualify
status: open
follow_up:
  date: "2026-12-03"
  action: Send the security questionnaire
answers:
  research:
    industry: Logistics
    market-notes: |
      Expanding into the EU; two competitors in place.
      Second line.
    website-reviewed: true
  qualify:
    role-in-decision: decision-maker
insights:
- at: "2026-11-28T09:15:40Z"
  for: product
  text: Needs SSO with Okta before any pilot
history:
- at: "2026-11-27T10:02:11Z"
  by: sam
  event: created
  step: research
- at: "2026-11-28T09:20:03Z"
  by: sam
  event: decided
  step: research
  outcome: "yes"
  to: introduce
  custom-note: kept
region: EMEA
tags:
- "y"
- "no"
- big
"#;

#[test]
fn round_trip_is_byte_stable_and_keeps_unknown_keys() {
    let r: Record = yaml::from_str(FULL).unwrap();
    assert_eq!(r.extra.get("region"), Some(&Value::String("EMEA".into())));
    assert_eq!(
        r.contact.extra.get("linkedin"),
        Some(&Value::String("jane-doe".into()))
    );
    assert_eq!(
        r.history[1].extra.get("custom-note"),
        Some(&Value::String("kept".into()))
    );
    let out = yaml::to_string(&r).unwrap();
    assert_eq!(out, FULL);
    let again: Record = yaml::from_str(&out).unwrap();
    assert_eq!(
        yaml::to_string(&again).unwrap(),
        out,
        "writing twice gives the same bytes"
    );
}

#[test]
fn hand_written_booleans_stay_strings_in_unknown_keys() {
    let r: Record = yaml::from_str(FULL).unwrap();
    assert_eq!(r.extra["tags"], serde_json::json!(["y", "no", "big"]));
}

#[test]
fn outcome_no_is_quoted_for_yaml_1_1_readers() {
    let mut r: Record = yaml::from_str(FULL).unwrap();
    r.history[1].outcome = Some(Outcome::No);
    r.history[1].why = Some("no budget".into());
    let out = yaml::to_string(&r).unwrap();
    assert!(out.contains("outcome: \"no\"\n"), "{out}");
    assert!(out.contains("date: \"2026-12-03\"\n"));
    assert!(out.contains("status: open\n"));
}

#[test]
fn canonical_answer_order_follows_the_process() {
    let p = crate::process::Process::builtin();
    let mut r: Record = yaml::from_str(FULL).unwrap();
    let mut swapped = crate::prospect::Answers::default();
    for (k, v) in r.answers.iter().rev() {
        swapped.insert(
            k.clone(),
            v.iter()
                .rev()
                .map(|(a, b)| (a.clone(), b.clone()))
                .collect(),
        );
    }
    r.answers = swapped;
    r.answers
        .get_mut("research")
        .unwrap()
        .insert("website-reviewed".into(), Value::String("YES".into()));
    r.canonicalize(&p);
    assert_eq!(yaml::to_string(&r).unwrap(), FULL);
}

#[test]
fn derived_values() {
    let p = crate::process::Process::builtin();
    let r: Record = yaml::from_str(FULL).unwrap();
    assert_eq!(r.progress(&p, "research"), (3, 5));
    assert_eq!(r.phase(&p), "qualification");
    assert_eq!(r.kind(&p), "contact");
    assert_eq!(r.last_activity(), Some("2026-11-28T09:20:03Z"));
    assert_eq!(r.follow_up_date(), Some("2026-12-03"));
}

#[test]
fn an_unknown_status_names_the_line() {
    let bad = FULL.replace("status: open", "status: opne");
    let e = yaml::from_str::<Record>(&bad).unwrap_err();
    assert_eq!(e.line, 9, "{e}");
    assert!(e.message.contains("opne"), "{e}");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn record(name: String, text: String, why: String, list: Vec<String>, extra: String) -> Record {
        let mut r: Record = yaml::from_str(FULL).unwrap();
        r.name = name;
        r.answers
            .get_mut("research")
            .unwrap()
            .insert("market-notes".into(), Value::String(text));
        r.answers.get_mut("qualify").unwrap().insert(
            "decision-makers".into(),
            Value::Array(list.into_iter().map(Value::String).collect()),
        );
        r.history[1].outcome = Some(Outcome::Later);
        r.history[1].why = Some(why.into());
        r.extra.insert("note".into(), Value::String(extra));
        r
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Whatever a rep types, the record reads back the same and rewrites to the same bytes.
        #[test]
        fn any_text_round_trips(
            name in "\\PC{1,40}",
            text in "(\\PC|\n|\t|\r| ){0,120}",
            why in "[ -~]{1,60}",
            list in prop::collection::vec("\\PC{0,20}", 0..4),
            extra in prop::sample::select(vec!["no", "yes", "NO", "y", "on", "null", "~", "2026-12-03", "1e3", "0x1F", "- a", "a: b", "#x", " lead", "tail ", "'q'", "\"dq\"", "@at", "`tick`", "| pipe", "> fold"]),
        ) {
            let r = record(name, text, why, list, extra.to_string());
            let out = yaml::to_string(&r).unwrap();
            let back: Record = yaml::from_str(&out).unwrap();
            prop_assert_eq!(&back, &r);
            prop_assert_eq!(yaml::to_string(&back).unwrap(), out);
        }
    }
}
