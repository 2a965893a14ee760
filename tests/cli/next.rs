//! `next` without a terminal: lists the pending items, never prompts, never hangs.

use crate::Env;

#[test]
fn next_without_a_terminal_prints_pending_items() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[("industry", "Logistics")]);
    let r = env.run_with(&["next", &id], "yes\nyes\n").ok();
    assert!(
        r.stdout
            .starts_with("Acme Corp — Lead Qualification · 1/8 Research (open, 1/5 answered)\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("website-reviewed"));
    assert!(
        !r.stdout.contains("industry"),
        "answered items are not pending"
    );
    assert!(
        r.stderr.contains("salesproc answer acme-corp ITEM VALUE"),
        "{}",
        r.stderr
    );
    assert_eq!(
        env.read("pipe/prospects/acme-corp.yaml")
            .matches("event:")
            .count(),
        2,
        "nothing written"
    );
}

#[test]
fn next_json_lists_pending_items() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[]);
    let out = env.run(&["next", &id, "--format", "json"]).ok().stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let items: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["item"].as_str().unwrap())
        .collect();
    assert_eq!(
        items,
        [
            "industry",
            "company-size",
            "market-notes",
            "lead-source",
            "website-reviewed"
        ]
    );
    assert_eq!(v[3]["type"], "choice");
    assert_eq!(v[3]["options"][0], "referral");
    assert_eq!(v[0]["required"], true);
}

#[test]
fn next_with_no_input_flag_is_the_same() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[]);
    let out = env
        .run(&["--no-input", "next", &id, "--format", "ids"])
        .ok()
        .stdout;
    assert_eq!(out.lines().next(), Some("research/industry"));
}

#[test]
fn next_on_an_unknown_prospect_without_a_terminal_is_a_usage_error() {
    let env = Env::new();
    let r = env.run(&["next", "Nobody Inc"]).code(2);
    assert!(
        r.stderr.contains("no prospect matches \"Nobody Inc\""),
        "{}",
        r.stderr
    );
    assert!(!env.pipe().join("prospects/nobody-inc.yaml").exists());
}

#[test]
fn next_on_a_won_record_says_so() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[]);
    let path = env.pipe().join("prospects/acme-corp.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("status: open", "status: won");
    std::fs::write(&path, text).unwrap();
    let r = env.run(&["next", &id, "--format", "json"]).ok();
    assert_eq!(r.stdout, "[]\n");
    assert!(r.stderr.contains("is won"));
}

#[test]
fn next_dash_lists_pending_items_of_every_id_on_stdin() {
    let env = Env::new();
    env.prospect(
        "Acme",
        &[
            ("industry", "Retail"),
            ("company-size", "10"),
            ("market-notes", "x"),
            ("lead-source", "event"),
        ],
    );
    env.prospect("Beta", &[]);
    let out = env
        .run_with(&["next", "-", "--format", "json"], "acme\nbeta\n")
        .ok()
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}:{}",
                r["prospect"].as_str().unwrap(),
                r["item"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(ids[0], "acme:website-reviewed");
    assert_eq!(ids.len(), 1 + 5);
    let r = env.run_with(&["next", "-"], "acme\nnobody\n").code(1);
    assert!(
        r.stdout.starts_with("Acme — Lead Qualification"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("nobody: no prospect matches"),
        "{}",
        r.stderr
    );
    env.run(&["edit", "-"]).code(2);
}
