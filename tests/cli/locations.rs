//! `validate` places each problem where the parser found it, whatever the
//! YAML style: block, flow, quoted keys, and not inside a block scalar that
//! happens to mention a key.

use crate::Env;

const HISTORY: &str =
    "history:\n- at: \"2026-11-27T10:02:11Z\"\n  by: sam\n  event: created\n  step: research\n";

fn problems(env: &Env, text: &str) -> Vec<String> {
    env.file("pipe/prospects/acme.yaml", text);
    let r = env.run(&["validate", "pipe/prospects/acme.yaml"]).code(1);
    r.stdout.lines().map(String::from).collect()
}

#[test]
fn positions_in_block_flow_and_quoted_styles() {
    let env = Env::new();
    // Block style, after a block scalar that mentions the key.
    let block = format!(
        "name: Acme\nstage: research\nstatus: open\nanswers:\n  research:\n    market-notes: |\n      lead-source: radio, they said\n    lead-source: radio\n{HISTORY}"
    );
    let p = problems(&env, &block);
    assert!(p[0].starts_with("pipe/prospects/acme.yaml:8:5: "), "{p:?}");

    // Flow style: the key's own column, not column 1.
    let flow = format!(
        "name: Acme\nstage: research\nstatus: open\nanswers:\n  research: {{industry: Retail, lead-source: radio}}\n{HISTORY}"
    );
    let p = problems(&env, &flow);
    assert!(p[0].starts_with("pipe/prospects/acme.yaml:5:32: "), "{p:?}");

    // Quoted keys, flow mapping over lines.
    let quoted = format!(
        "name: Acme\nstage: research\nstatus: open\n\"answers\": {{\n  'research': {{\n    \"lead-source\": radio }} }}\n{HISTORY}"
    );
    let p = problems(&env, &quoted);
    assert!(p[0].starts_with("pipe/prospects/acme.yaml:6:5: "), "{p:?}");

    // A flow sequence item in the history.
    let items = "name: Acme\nstage: research\nstatus: open\nhistory: [{at: \"2026-11-27T10:02:11Z\", event: created, step: research}, {at: \"2026-11-27T10:03:00Z\", event: exploded}]\n";
    let p = problems(&env, items);
    assert!(
        p.iter()
            .any(|l| l.starts_with("pipe/prospects/acme.yaml:4:") && l.contains("unknown event")),
        "{p:?}"
    );
    let col: u64 = p
        .iter()
        .find(|l| l.contains("unknown event"))
        .and_then(|l| l.split(':').nth(2))
        .and_then(|c| c.parse().ok())
        .unwrap();
    assert_eq!(
        &items.lines().nth(3).unwrap()[col as usize - 1..][..6],
        "event:"
    );
}
