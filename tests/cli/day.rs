//! Issue 12 features: `today`, `next` over the agenda, `done`, `undo`,
//! `reopen`, `search`, `list --sort --limit`, `version`.

use crate::pty::{exit_code, spawn};
use crate::{Env, git};
use expectrl::Expect;

/// Older (overdue), Today (due), Week (in 5 days), Later (nurturing, revisit
/// passed), Dusty (no activity since September).
fn day(env: &Env) {
    env.at("2026-09-01T10:00:00Z");
    env.run(&["add", "Dusty"]).ok();
    env.at(crate::NOW);
    for (name, date, action) in [
        ("Older", "2026-11-20", "Send the security questionnaire"),
        ("Today", "2026-11-27", "Call Jane"),
        ("Week", "2026-12-02", "Demo"),
    ] {
        let id = env.run(&["add", name]).ok().stdout.trim().to_string();
        env.run(&["follow-up", &id, date, action]).ok();
    }
    env.run(&["add", "Later"]).ok();
    env.run(&[
        "decide",
        "later",
        "later",
        "--why",
        "budget",
        "--revisit",
        "2026-11-25",
    ])
    .ok();
}

#[test]
fn today_lists_overdue_due_stale_then_revisits() {
    let env = Env::new();
    day(&env);
    let r = env.run(&["today", "--format", "ids"]).ok();
    assert_eq!(r.stdout, "older\ntoday\ndusty\nlater\n");
    let r = env.run(&["agenda", "--week", "--format", "ids"]).ok();
    assert_eq!(r.stdout, "older\ntoday\nweek\ndusty\nlater\n");
    let r = env.run(&["today"]).ok();
    let lines: Vec<&str> = r.stdout.lines().map(str::trim_start).collect();
    assert!(lines[0].starts_with("WHEN"), "{}", r.stdout);
    assert!(
        lines[1].starts_with("7 days overdue")
            && lines[1].contains("Send the security questionnaire"),
        "{}",
        r.stdout
    );
    assert!(lines[2].starts_with("today"), "{}", r.stdout);
    assert!(lines[3].starts_with("stale 87 days"), "{}", r.stdout);
    assert!(lines[4].starts_with("revisit, 2 days ago"), "{}", r.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&env.run(&["today", "--format", "json"]).ok().stdout).unwrap();
    assert_eq!(json[0]["why"], "overdue");
    assert_eq!(json[0]["days"], -7);
}

#[test]
fn next_with_no_prospect_walks_the_agenda_asking_before_each() {
    let env = Env::new();
    day(&env);
    let mut s = spawn(&env, &["next"]);
    s.expect(
        "Next (1/4): Older, Research, Send the security questionnaire (7 days overdue). Walk it?",
    )
    .unwrap();
    s.send("s").unwrap(); // skip
    s.send("\r").unwrap();
    s.expect("Next (2/4): Today, Research, Call Jane (today). Walk it?")
        .unwrap();
    s.send("\r").unwrap(); // yes
    s.expect("Lead Qualification · 1/8 Research").unwrap();
    s.expect("What industry").unwrap();
    s.send("\x03").unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert!(exit_code(&mut s).contains("130"));

    // Without a terminal: the agenda, and how to walk one.
    let r = env.run(&["next", "--format", "ids"]).ok();
    assert_eq!(r.stdout, "older\ntoday\ndusty\nlater\n");
}

#[test]
fn done_records_the_follow_up_and_takes_the_next_one() {
    let env = Env::new();
    day(&env);
    let r = env
        .run(&[
            "done",
            "older",
            "--note",
            "Sent; Jane reads it this week",
            "--next",
            "2026-12-04",
            "Call",
            "Jane",
        ])
        .ok();
    assert!(
        r.stderr
            .contains("older: done: Send the security questionnaire; next step 2026-12-04"),
        "{}",
        r.stderr
    );
    let text = env.read("pipe/prospects/older.yaml");
    assert!(
        text.contains("follow_up:\n  date: \"2026-12-04\"\n  action: Call Jane\n"),
        "{text}"
    );
    assert!(
        text.contains("  event: done\n  step: research\n  date: \"2026-11-20\"\n  action: Send the security questionnaire\n  note: Sent; Jane reads it this week\n"),
        "{text}"
    );
    env.run(&["validate"]).ok();
    let log = env.run(&["log", "older"]).ok().stdout;
    assert!(log.contains("note: Sent; Jane reads it this week"), "{log}");
    // Done without a next step clears it.
    env.run(&["done", "today"]).ok();
    assert!(!env.read("pipe/prospects/today.yaml").contains("follow_up:"));
    env.run(&["validate"]).ok();
    let r = env.run(&["done", "today"]).code(2);
    assert!(r.stderr.contains("no agreed next step"), "{}", r.stderr);
    assert_eq!(
        env.run(&["today", "--format", "ids"]).ok().stdout,
        "dusty\nlater\n"
    );
}

#[test]
fn undo_with_git_reverts_the_last_change_in_a_commit_of_its_own() {
    let env = Env::new();
    env.run(&["init", "deals"]).ok();
    let d = env.path().join("deals");
    let dir = d.to_str().unwrap();
    env.run(&["--dir", dir, "add", "Acme"]).ok();
    env.run(&["--dir", dir, "add", "Beta"]).ok();
    env.run(&["--dir", dir, "answer", "acme", "industry", "Retail"])
        .ok();
    env.run(&["--dir", dir, "answer", "beta", "industry", "Media"])
        .ok();
    // The last change to acme, not beta's later one.
    let r = env.run(&["--dir", dir, "undo", "acme"]).ok();
    assert!(
        r.stderr.contains("undone: acme: answer research/industry"),
        "{}",
        r.stderr
    );
    assert!(!env.read("deals/prospects/acme.yaml").contains("industry"));
    assert!(
        env.read("deals/prospects/beta.yaml")
            .contains("industry: Media")
    );
    let log = git(&env, &d, &["log", "-2", "--format=%s"]);
    assert_eq!(
        log,
        "undo: acme: answer research/industry\nbeta: answer research/industry\n"
    );
    // The last change of all is that undo: undo again redoes it.
    env.run(&["--dir", dir, "undo"]).ok();
    assert!(
        env.read("deals/prospects/acme.yaml")
            .contains("industry: Retail")
    );
    assert_eq!(git(&env, &d, &["status", "--porcelain"]), "");
    env.run(&["--dir", dir, "validate"]).ok();
}

#[test]
fn undo_without_git_uses_the_folders_journal() {
    let env = Env::new();
    env.run(&["add", "Acme"]).ok();
    let created = env.read("pipe/prospects/acme.yaml");
    env.run(&["answer", "acme", "industry", "Retail"]).ok();
    env.run(&["undo"]).ok();
    assert_eq!(env.read("pipe/prospects/acme.yaml"), created);
    let r = env.run(&["undo", "acme"]).ok();
    assert!(r.stderr.contains("removed acme"), "{}", r.stderr);
    assert!(!env.pipe().join("prospects/acme.yaml").exists());
    let r = env.run(&["undo"]).code(2);
    assert!(r.stderr.contains("nothing to undo"), "{}", r.stderr);
}

#[test]
fn a_lost_deal_is_reopened_with_a_why() {
    let env = Env::new();
    env.run(&["add", "Acme"]).ok();
    env.run(&["decide", "acme", "no", "--why", "no budget"])
        .ok();
    let r = env
        .run(&["reopen", "acme", "--why", "new budget approved"])
        .ok();
    assert!(
        r.stderr.contains("acme: reopened at research, status open"),
        "{}",
        r.stderr
    );
    let text = env.read("pipe/prospects/acme.yaml");
    assert!(text.contains("stage: research\nstatus: open\n"), "{text}");
    assert!(
        text.contains(
            "  event: reopened\n  step: research\n  why: new budget approved\n  status: open\n"
        ),
        "{text}"
    );
    env.run(&["validate"]).ok();
    let r = env
        .run(&["list", "--status", "open", "--format", "ids"])
        .ok();
    assert_eq!(r.stdout, "acme\n");
    let r = env.run(&["reopen", "acme", "--why", "again"]).code(2);
    assert!(
        r.stderr.contains("only won or lost deals are reopened"),
        "{}",
        r.stderr
    );
}

#[test]
fn search_finds_names_contacts_answers_insights_and_whys() {
    let env = Env::new();
    env.run(&["add", "Acme", "--contact", "Jane Okta-Doe"]).ok();
    env.run(&["add", "Beta"]).ok();
    env.run(&["answer", "beta", "market-notes", "Moving to Okta SSO"])
        .ok();
    env.run(&["insight", "beta", "--for", "product", "Needs SSO with OKTA"])
        .ok();
    env.run(&["add", "Gamma"]).ok();
    env.run(&["decide", "gamma", "no", "--why", "Okta is missing"])
        .ok();
    let r = env.run(&["search", "okta", "--format", "tsv"]).ok();
    assert_eq!(
        r.stdout,
        "id\tname\tfield\ttext\n\
         acme\tAcme\tcontact.name\tJane Okta-Doe\n\
         beta\tBeta\tanswers.research/market-notes\tMoving to Okta SSO\n\
         beta\tBeta\tinsight\tNeeds SSO with OKTA\n\
         gamma\tGamma\twhy (decided)\tOkta is missing\n"
    );
    let r = env.run(&["search", "okta", "sso", "--format", "ids"]).ok();
    assert_eq!(r.stdout, "beta\n");
    let r = env.run(&["search", "nothing-like-it"]).ok();
    assert!(r.stderr.contains("nothing matches"));
}

#[test]
fn list_sorts_and_limits() {
    let env = Env::new();
    day(&env);
    let ids = |args: &[&str]| {
        let mut a = vec!["list", "--format", "ids"];
        a.extend_from_slice(args);
        env.run(&a).ok().stdout
    };
    assert_eq!(
        ids(&["--sort", "name"]),
        "dusty\nlater\nolder\ntoday\nweek\n"
    );
    assert_eq!(
        ids(&["--sort", "follow-up", "--limit", "3"]),
        "older\nlater\ntoday\n"
    );
    assert_eq!(
        ids(&["--sort", "activity", "--limit", "1"]).lines().count(),
        1
    );
}

/// The table shows the records `--format ids` gives, in the same order,
/// and the value and close date columns only when a row shown has one.
#[test]
fn list_table_rows_are_the_ids_rows_and_money_shows_only_when_shown() {
    let env = Env::new();
    day(&env);
    env.run(&["set", "dusty", "value", "48k", "--no-commit"])
        .ok();
    let table_ids = |args: &[&str]| {
        let mut a = vec!["list"];
        a.extend_from_slice(args);
        let out = env.run(&a).ok().stdout;
        let head = out.lines().next().unwrap_or_default().to_string();
        let ids: Vec<String> = out
            .lines()
            .skip(1)
            .map(|l| l.split_whitespace().next().unwrap_or_default().to_string())
            .collect();
        (head, ids.join("\n") + "\n")
    };
    let ids = |args: &[&str]| {
        let mut a = vec!["list", "--format", "ids"];
        a.extend_from_slice(args);
        env.run(&a).ok().stdout
    };
    for args in [
        &["--sort", "name"][..],
        &["--sort", "follow-up"],
        &["--sort", "activity"],
        &[],
        &["--sort", "follow-up", "--limit", "3"],
        &["--sort", "name", "--limit", "1"],
    ] {
        let (head, shown) = table_ids(args);
        assert_eq!(shown, ids(args), "{args:?}");
        let dusty = shown.lines().any(|id| id == "dusty");
        assert_eq!(head.contains("VALUE"), dusty, "{args:?}: {head}");
        assert_eq!(head.contains("CLOSE DATE"), dusty, "{args:?}: {head}");
    }
}

#[test]
fn version_works_like_the_flag() {
    let env = Env::new();
    let a = env.run(&["version"]).ok().stdout;
    let b = env.run(&["--version"]).ok().stdout;
    assert_eq!(a, b);
    assert!(a.starts_with("salesproc "));
}

/// Issue 12 #15: later whys roll up under the right theme, and a folder
/// adds its own themes in salesproc.yaml.
#[test]
fn later_themes_match_better_and_are_configurable() {
    let env = Env::new();
    env.file(
        "pipe/salesproc.yaml",
        "themes:\n  - theme: Security review\n    words: [security, soc2, pen test]\n",
    );
    for (name, why) in [
        ("Acme", "Waiting for German UI"),
        ("Beta", "Existing contract with incumbent"),
        ("Gamma", "Their security team must sign off"),
    ] {
        let id = env.run(&["add", name]).ok().stdout.trim().to_string();
        env.run(&["decide", &id, "later", "--why", why]).ok();
    }
    let r = env.run(&["insights", "--format", "json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let themes: Vec<(String, String)> = v["later_themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["theme"].as_str().unwrap().to_string(),
                t["whys"][0].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        themes.contains(&(
            "Product roadmap (a feature or integration we lack)".into(),
            "Waiting for German UI".into()
        )),
        "{themes:?}"
    );
    assert!(
        themes.contains(&(
            "Existing contract or competitor".into(),
            "Existing contract with incumbent".into()
        )),
        "{themes:?}"
    );
    assert!(
        themes.contains(&(
            "Security review".into(),
            "Their security team must sign off".into()
        )),
        "{themes:?}"
    );
    // An unknown key in a theme is still refused.
    env.file(
        "pipe/salesproc.yaml",
        "themes:\n  - theme: X\n    word: [y]\n",
    );
    env.run(&["insights"]).code(1);
}

#[test]
fn done_in_a_terminal_asks_for_the_next_step() {
    let env = Env::new();
    day(&env);
    let mut s = spawn(&env, &["done", "older", "--note", "sent"]);
    s.expect("older: done: Send the security questionnaire")
        .unwrap();
    s.expect("Next step?").unwrap();
    s.send_line("Call Jane").unwrap();
    s.expect("Next step date? (YYYY-MM-DD, today").unwrap();
    s.send_line("friday").unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert!(exit_code(&mut s).contains(", 0)"));
    let text = env.read("pipe/prospects/older.yaml");
    assert!(
        text.contains("follow_up:\n  date: \"2026-12-04\"\n  action: Call Jane\n"),
        "{text}"
    );
}
