//! The shell recipes in `examples/`, run as a user would, against temp folders.

use crate::Env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn recipe(env: &Env, script: &str, args: &[&str], input: &str) -> crate::Run {
    let mut c = Command::new("bash");
    env.hermetic(&mut c);
    let path = format!(
        "{}:{}",
        crate::bin().parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    c.env("PATH", path).arg(examples().join(script)).args(args);
    crate::output(c, input)
}

fn at_propose(env: &Env, id: &str, name: &str) {
    env.file(
        &format!("pipe/prospects/{id}.yaml"),
        &format!("name: {name}\nstage: propose\nstatus: open\nhistory:\n- at: \"2026-10-01T10:00:00Z\"\n  by: sam\n  event: created\n  step: research\n- at: \"2026-10-20T10:00:00Z\"\n  by: sam\n  event: edited\n  step: propose\n  to: propose\n"),
    );
}

#[test]
fn monday_review() {
    let env = Env::new();
    crate::validate_copy(&env, "reports");
    let r = recipe(&env, "monday-review.sh", &[], "").ok();
    assert!(
        r.stdout
            .starts_with("## Funnel\nPipeline as of 2026-11-27\n"),
        "{}",
        r.stdout
    );
    let due = r
        .stdout
        .split("## Due today or overdue")
        .nth(1)
        .unwrap()
        .split("## Stale")
        .next()
        .unwrap();
    assert!(due.contains("delta") && due.contains("charlie"), "{due}");
    assert!(!due.contains("alpha"), "won deals are never due");
}

#[test]
fn bulk_nurture_everything_stuck_in_propose() {
    let env = Env::new();
    at_propose(&env, "acme", "Acme");
    at_propose(&env, "beta", "Beta");
    env.prospect("Gamma", &[]);
    let r = recipe(
        &env,
        "nurture-stuck-in-propose.sh",
        &["budget moves to the next fiscal year", "2027-01-15"],
        "",
    )
    .ok();
    assert!(
        r.stderr.contains("acme: propose → learn (later)"),
        "{}",
        r.stderr
    );
    for id in ["acme", "beta"] {
        let text = env.read(&format!("pipe/prospects/{id}.yaml"));
        assert!(
            text.contains("stage: learn\nstatus: nurturing\nfollow_up:\n  date: \"2027-01-15\"\n"),
            "{text}"
        );
        assert!(text.contains("why: budget moves to the next fiscal year"));
    }
    assert!(
        env.read("pipe/prospects/gamma.yaml")
            .contains("status: open")
    );
    let again = recipe(&env, "nurture-stuck-in-propose.sh", &["x"], "").ok();
    assert!(again.stderr.contains("nothing is open in propose"));
}

#[test]
fn csv_export_for_a_spreadsheet() {
    let env = Env::new();
    crate::validate_copy(&env, "reports");
    recipe(&env, "export-csv.sh", &["out"], "").ok();
    let prospects = env.read("out/prospects.csv");
    let mut rd = csv::Reader::from_reader(prospects.as_bytes());
    let ids: Vec<String> = rd.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(ids.len(), 5);
    assert!(ids.contains(&"alpha".to_string()));
    let answers = env.read("out/answers.csv");
    assert!(answers.starts_with("prospect,step,item,answer\n"));
    assert!(answers.contains("alpha,research,industry,Logistics\n"));
    assert_eq!(
        answers.matches("prospect,step,item,answer").count(),
        1,
        "one header row"
    );
    assert!(env.read("out/insights.csv").contains("Needs SSO with Okta"));
    assert!(env.read("out/funnel.csv").starts_with("step,phase,reached"));
}

#[test]
fn the_pre_commit_hook_blocks_invalid_records() {
    let env = Env::new();
    env.prospect("Acme", &[]);
    let hook = |env: &Env| recipe(env, "hooks/pre-commit", &[], "");
    assert_eq!(hook(&env).code, 0);
    env.file(
        "pipe/prospects/bad.yaml",
        "name: Bad\nstage: nowhere\nstatus: open\nhistory: []\n",
    );
    let r = hook(&env);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("pipe/prospects/bad.yaml:2:1: unknown stage"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_demo_pipeline_is_valid_canonical_and_reports() {
    let env = Env::new();
    let demo = examples().join("demo");
    let dir = demo.to_str().unwrap();
    env.run(&["--dir", dir, "validate"]).ok();
    assert_eq!(env.run(&["--dir", dir, "fmt", "--check"]).ok().stdout, "");
    let v: serde_json::Value = serde_json::from_str(
        &env.run(&["--dir", dir, "pipeline", "--format", "json"])
            .ok()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["steps"][0]["reached"], 40);
    assert!(v["won"].as_u64().unwrap() > 0 && v["lost"].as_u64().unwrap() > 0);
    assert!(
        v["steps"][3]["nurturing"].as_u64().unwrap() > 0,
        "nurture loops are in the demo"
    );
    let list: serde_json::Value = serde_json::from_str(
        &env.run(&["--dir", dir, "list", "--format", "json"])
            .ok()
            .stdout,
    )
    .unwrap();
    let statuses: std::collections::HashSet<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 4, "every status is present: {statuses:?}");
}

#[test]
fn the_demo_is_made_by_the_tool_itself() {
    let env = Env::new();
    let out = env.path().join("demo");
    let mut c = Command::new("bash");
    env.hermetic(&mut c);
    c.env("SALESPROC", crate::bin())
        .arg(examples().join("make-demo.sh"))
        .arg(&out);
    crate::output(c, "").ok();
    for e in std::fs::read_dir(examples().join("demo/prospects"))
        .unwrap()
        .flatten()
    {
        let made = std::fs::read_to_string(out.join("prospects").join(e.file_name())).unwrap();
        let kept = std::fs::read_to_string(e.path()).unwrap();
        assert!(
            made == kept,
            "{:?} differs from what salesproc writes now: rerun examples/make-demo.sh",
            e.file_name()
        );
    }
}

/// Issue 12 #14: the demo folder sits inside salesproc's own repository; a
/// write to it never commits there.
#[test]
fn writes_to_the_demo_never_commit_into_the_repository_around_it() {
    let env = Env::new();
    let repo = env.path().join("salesproc");
    std::fs::create_dir_all(repo.join("examples")).unwrap();
    crate::git(&env, env.path(), &["init", "-q", "salesproc"]);
    let demo = repo.join("examples/demo");
    let status = Command::new("cp")
        .arg("-r")
        .arg(examples().join("demo"))
        .arg(&demo)
        .status()
        .unwrap();
    assert!(status.success());
    crate::git(&env, &repo, &["add", "."]);
    crate::git(&env, &repo, &["commit", "-qm", "demo"]);
    let dir = demo.to_str().unwrap();
    env.run(&["--dir", dir, "add", "Globex"]).ok();
    env.run(&["--dir", dir, "answer", "globex", "industry", "Retail"])
        .ok();
    let log = crate::git(&env, &repo, &["log", "--format=%s"]);
    assert_eq!(log, "demo\n");
    assert!(demo.join("prospects/globex.yaml").exists());
}
