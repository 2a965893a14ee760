//! Hooks in `.salesproc/hooks/`: run after each write with the event and the
//! record as JSON on stdin; a failing hook warns and loses nothing.

use crate::Env;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;

fn hook(env: &Env, name: &str, script: &str) {
    let rel = format!("pipe/.salesproc/hooks/{name}");
    env.file(&rel, script);
    let p = env.path().join(rel);
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A hook that appends its stdin, one JSON document a line, to `../NAME.jsonl`.
const RECORDER: &str =
    "#!/bin/sh\n{ cat; echo; } >> \"../$SALESPROC_HOOK.jsonl\"\necho \"hook says hi\"\n";

fn seen(env: &Env, name: &str) -> Vec<Value> {
    std::fs::read_to_string(env.path().join(format!("{name}.jsonl")))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn hooks_get_the_event_and_the_record_after_each_write() {
    let env = Env::new();
    hook(&env, "on-change", RECORDER);
    hook(&env, "on-decide", RECORDER);
    let r = env.run(&["add", "Acme Corp", "--owner", "kim"]).ok();
    // The hook's output goes to stderr: stdout stays the data.
    assert_eq!(r.stdout, "acme-corp\n");
    assert!(r.stderr.contains("hook says hi"), "{}", r.stderr);
    env.run(&["answer", "acme-corp", "industry", "Logistics"])
        .ok();
    env.run(&["answer", "acme-corp", "website-reviewed", "yes"])
        .ok();
    env.run(&["decide", "acme-corp", "yes"]).ok();
    // A write that changes nothing runs no hook.
    env.run(&["answer", "acme-corp", "research/industry", "Logistics"])
        .ok();

    let changes = seen(&env, "on-change");
    let kinds: Vec<&str> = changes
        .iter()
        .map(|c| c["event"]["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "answered", "answered", "decided"]);
    let first = &changes[0];
    assert_eq!(first["hook"], "on-change");
    assert_eq!(first["id"], "acme-corp");
    assert_eq!(first["path"], "prospects/acme-corp.yaml");
    assert_eq!(first["record"]["owner"], "kim");
    assert_eq!(changes[1]["event"]["item"], "industry");
    assert_eq!(changes[1]["events"].as_array().unwrap().len(), 1);
    assert_eq!(
        changes[1]["record"]["answers"]["research"]["industry"],
        "Logistics"
    );

    let decisions = seen(&env, "on-decide");
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0]["hook"], "on-decide");
    assert_eq!(decisions[0]["event"]["outcome"], "yes");
    assert_eq!(decisions[0]["event"]["to"], "introduce");
    assert_eq!(decisions[0]["record"]["stage"], "introduce");
}

#[test]
fn a_failing_hook_warns_and_loses_nothing() {
    let env = Env::new();
    hook(
        &env,
        "on-change",
        "#!/bin/sh\necho 'chat is down' >&2\nexit 3\n",
    );
    let r = env.run(&["add", "Acme Corp"]).ok();
    assert_eq!(r.stdout, "acme-corp\n");
    assert!(r.stderr.contains("chat is down"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("hook on-change for acme-corp: failed (exit 3)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("the change is saved"), "{}", r.stderr);
    let r = env.run(&["answer", "acme-corp", "industry", "Retail"]).ok();
    assert!(r.stderr.contains("failed (exit 3)"), "{}", r.stderr);
    assert!(
        env.read("pipe/prospects/acme-corp.yaml")
            .contains("industry: Retail")
    );

    // Not executable: said so, still saved.
    let p = env.pipe().join(".salesproc/hooks/on-change");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = env
        .run(&["answer", "acme-corp", "industry", "Banking"])
        .ok();
    assert!(r.stderr.contains("not executable"), "{}", r.stderr);
    assert!(
        env.read("pipe/prospects/acme-corp.yaml")
            .contains("industry: Banking")
    );
}

#[test]
fn the_example_hook_announces_closed_deals() {
    let env = Env::new();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hooks/on-decide");
    hook(
        &env,
        "on-decide",
        &std::fs::read_to_string(example).unwrap(),
    );
    env.run(&["add", "Acme Corp"]).ok();
    let r = env
        .run(&["decide", "acme-corp", "later", "--why", "fiscal year"])
        .ok();
    assert!(!r.stderr.contains("Acme Corp is"), "{}", r.stderr);
    let r = env
        .run(&["decide", "acme-corp", "no", "--why", "budget cut"])
        .ok();
    assert!(
        r.stderr.contains("Acme Corp is lost by sam: budget cut"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}
