//! Methodology packs: `init --process P`, `process add P`, the merged
//! checklist, a whole walk to `won`, and existing records left valid.

use crate::{Env, bin};
use expectrl::{Expect, Session};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const PACKS: [&str; 3] = ["bant", "meddpicc", "spin"];

/// Items of the merged process, in walk order: (step, item, type, first option).
fn items(env: &Env) -> Vec<(String, String, String, String)> {
    let r = env.run(&["checklist", "-f", "json"]).ok();
    let rows: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    rows.iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or_default().to_string();
            let first = i["options"][0].as_str().unwrap_or_default().to_string();
            (s("step"), s("item"), s("type"), first)
        })
        .collect()
}

/// An answer of the item's type, as `answer` takes it.
fn value(kind: &str, first: &str) -> String {
    match kind {
        "check" => "yes".into(),
        "choice" => first.into(),
        "date" => "2026-12-01".into(),
        "number" => "1000".into(),
        "list" => "one, two".into(),
        _ => "noted".into(),
    }
}

fn init(env: &Env, pack: &str) {
    let dir = env.pipe();
    std::fs::remove_dir_all(&dir).unwrap();
    env.run(&["init", dir.to_str().unwrap(), "--process", pack, "--no-git"])
        .ok();
    assert!(dir.join(format!("checklists/packs/{pack}.yaml")).is_file());
}

#[test]
fn each_pack_walks_to_won_with_the_scripting_verbs() {
    for pack in PACKS {
        let env = Env::new();
        init(&env, pack);
        let all = items(&env);
        let added: Vec<_> = all
            .iter()
            .filter(|i| i.1.starts_with(&format!("{pack}-")))
            .collect();
        assert!(added.len() >= 4, "{pack}: {added:?}");
        let id = env
            .run(&["add", "Acme Corp"])
            .ok()
            .stdout
            .trim()
            .to_string();
        let mut step = String::new();
        for (s, item, kind, first) in &all {
            if *s != step {
                if !step.is_empty() {
                    env.run(&["decide", &id, "yes"]).ok();
                }
                step.clone_from(s);
            }
            env.run(&["answer", &id, item, &value(kind, first)]).ok();
        }
        env.run(&["decide", &id, "yes"]).ok();
        let rec = env.read("pipe/prospects/acme-corp.yaml");
        assert!(rec.contains("stage: agree\nstatus: won\n"), "{pack}: {rec}");
        for (s, item, _, _) in &added {
            assert!(
                rec.contains(&format!("    {item}:")),
                "{pack}: {s}/{item} answered"
            );
        }
        env.run(&["validate"]).ok();
        let md = env.run(&["checklist", "--format", "markdown"]).ok().stdout;
        assert!(
            md.contains("MEDDPICC") || pack != "meddpicc" || md.contains("Economic buyer"),
            "{md}"
        );
    }
}

#[test]
fn adding_a_pack_to_the_demo_keeps_every_record_valid() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/prospects");
    for pack in PACKS {
        let env = Env::new();
        for f in std::fs::read_dir(&demo).unwrap() {
            let path = f.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let name = path.file_name().unwrap().to_str().unwrap().to_string();
                env.file(
                    &format!("pipe/prospects/{name}"),
                    &std::fs::read_to_string(&path).unwrap(),
                );
            }
        }
        env.run(&["validate"]).ok();
        let before = env.run(&["pipeline", "-f", "json"]).ok().stdout;
        let r = env.run(&["process", "add", pack]).ok();
        assert!(
            r.stderr.contains(&format!("added the {pack} pack")),
            "{}",
            r.stderr
        );
        assert!(
            env.pipe()
                .join(format!("checklists/packs/{pack}.yaml"))
                .is_file()
        );
        env.run(&["validate"]).ok();
        assert_eq!(
            env.run(&["pipeline", "-f", "json"]).ok().stdout,
            before,
            "{pack}"
        );
        let again = env.run(&["process", "add", pack]).ok();
        assert!(again.stderr.contains("already uses"), "{}", again.stderr);
        let list = env.run(&["process", "list", "-f", "csv"]).ok().stdout;
        assert!(list.contains(&format!("{pack},")), "{list}");
        assert!(items(&env).iter().any(|i| i.1.starts_with(pack)));
    }
}

#[test]
fn a_broken_pack_is_named_with_its_line() {
    let env = Env::new();
    env.file(
        "pipe/checklists/packs/mine.yaml",
        "pack: mine\ntitle: Mine\nabout: Mine.\nsteps:\n  nowhere:\n    - id: x\n      ask: X?\n      type: text\n",
    );
    let r = env.run(&["checklist"]).code(1);
    assert!(
        r.stderr
            .contains("packs/mine.yaml:5:3: the pack adds to step \"nowhere\""),
        "{}",
        r.stderr
    );
}

/// The interactive walk, through a pseudo-terminal, from research to won.
#[test]
fn each_pack_walks_to_won_in_a_terminal() {
    for pack in PACKS {
        walk_in_a_terminal(pack);
    }
}

fn walk_in_a_terminal(pack: &str) {
    let env = Env::new();
    init(&env, pack);
    let all = items(&env);
    env.run(&["add", "Acme Corp"]).ok();
    let mut c = Command::new(bin());
    env.hermetic(&mut c);
    c.env("TERM", "dumb").args(["next", "acme-corp"]);
    let mut s = Session::spawn(c).expect("spawn in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    let steps: Vec<String> = {
        let mut v: Vec<String> = all.iter().map(|i| i.0.clone()).collect();
        v.dedup();
        v
    };
    let asks: Vec<Value> =
        serde_json::from_str(&env.run(&["checklist", "-f", "json"]).ok().stdout).unwrap();
    for (n, step) in steps.iter().enumerate() {
        for (i, (st, _, kind, first)) in all.iter().enumerate() {
            if st != step {
                continue;
            }
            let ask = asks[i]["ask"].as_str().unwrap();
            let head: String = ask.chars().take(30).collect();
            s.expect(head.as_str())
                .unwrap_or_else(|e| panic!("{step}: {ask}: {e}"));
            match kind.as_str() {
                "check" | "choice" => s.send("\r").unwrap(),
                _ => s.send_line(value(kind, first)).unwrap(),
            }
        }
        s.expect("Decision on").unwrap();
        s.send("\r").unwrap();
        if n + 1 < steps.len() {
            s.expect("Next step?").unwrap();
            s.send_line("").unwrap();
            s.expect("Next step date?").unwrap();
            s.send_line("").unwrap();
            s.expect("Continue with").unwrap();
            s.send("y").unwrap();
        }
    }
    s.expect(expectrl::Eof).unwrap();
    let rec = env.read("pipe/prospects/acme-corp.yaml");
    assert!(rec.contains("stage: agree\nstatus: won\n"), "{pack}: {rec}");
    for (_, item, _, _) in all.iter().filter(|i| i.1.starts_with(pack)) {
        assert!(
            rec.contains(&format!("    {item}:")),
            "{pack}: {item} answered"
        );
    }
}
