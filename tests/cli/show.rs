//! `show` and `log`

use crate::Env;

#[test]
fn show_lists_all_eight_steps_with_answers_decisions_and_insights() {
    let env = Env::new();
    let id = env.prospect(
        "Acme Corp",
        &[("industry", "Logistics"), ("website-reviewed", "yes")],
    );
    env.run(&["decide", &id, "yes"]).ok();
    env.run(&["follow-up", &id, "2026-12-03", "Send", "the", "deck"])
        .ok();
    env.run(&["insight", &id, "--for", "product", "Needs SSO with Okta"])
        .ok();
    let out = env.run(&["show", "acme"]).ok().stdout;
    for want in [
        "Acme Corp (acme-corp) — contact, open",
        "next step  2026-12-03 Send the deck",
        "Lead Qualification",
        "✓ 1. Research   2/5",
        "    industry: Logistics",
        "    website-reviewed: yes",
        "    → yes on 2026-11-27",
        "▶ 2. Introduce  0/5",
        "○ When did the first conversation take place? (required)",
        "Deal Pipeline",
        "· 8. Agree      0/4",
        "2026-11-27 product   Needs SSO with Okta",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
}

#[test]
fn show_json_has_every_step() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[("industry", "Logistics")]);
    let out = env.run(&["show", &id, "--format", "json"]).ok().stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["id"], "acme-corp");
    assert_eq!(v["status"], "open");
    assert_eq!(v["steps"].as_array().unwrap().len(), 8);
    assert_eq!(v["steps"][0]["state"], "current");
    assert_eq!(v["steps"][0]["answered"], 1);
    assert_eq!(v["steps"][0]["items"][0]["answer"], "Logistics");
    assert_eq!(v["steps"][1]["state"], "ahead");
}

#[test]
fn show_markdown_is_a_checklist_document() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[("industry", "Logistics")]);
    let out = env.run(&["show", &id, "--format", "markdown"]).ok().stdout;
    assert!(out.starts_with("# Acme Corp (acme-corp)\n"), "{out}");
    assert!(out.contains("- [x] What industry is the company in?: Logistics\n"));
    assert!(out.contains("- [ ] How many employees does the company have?\n"));
}

#[test]
fn log_prints_history_oldest_first() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[]);
    env.at("2026-11-28T09:00:00Z")
        .run(&["answer", &id, "industry", "Retail"])
        .ok();
    env.at("2026-11-29T09:00:00Z")
        .run(&["decide", &id, "no", "--why", "no budget this year"])
        .ok();
    let out = env.run(&["log", &id, "--format", "tsv"]).ok().stdout;
    assert_eq!(
        out,
        "prospect\tat\tby\tevent\tstep\titem\toutcome\twhy\tto\tstatus\trevisit\tdate\taction\tvalue\towner\n\
         acme-corp\t2026-11-27T10:00:00Z\tsam\tcreated\tresearch\t\t\t\t\t\t\t\t\t\t\n\
         acme-corp\t2026-11-28T09:00:00Z\tsam\tanswered\tresearch\tindustry\t\t\t\t\t\t\t\t\t\n\
         acme-corp\t2026-11-29T09:00:00Z\tsam\tdecided\tresearch\t\tno\tno budget this year\t\tlost\t\t\t\t\t\n"
    );
}
