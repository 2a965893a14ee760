//! Records that other tools or people wrote, in the documented shape, give
//! the same results as records salesproc wrote itself.

use crate::Env;

/// Walks three prospects through decisions with salesproc itself.
fn written_by_salesproc(env: &Env) {
    env.run(&["add", "Acme Corp"]).ok();
    env.run(&["add", "Beta GmbH"]).ok();
    env.run(&["add", "Gamma Ltd"]).ok();
    for id in ["acme-corp", "beta-gmbh", "gamma-ltd"] {
        env.run(&["answer", id, "industry", "Retail"]).ok();
        env.run(&["answer", id, "website-reviewed", "yes"]).ok();
    }
    env.at("2026-11-28T10:00:00Z");
    env.run(&["decide", "acme-corp", "yes"]).ok();
    env.run(&["answer", "acme-corp", "first-contact", "2026-11-20"])
        .ok();
    env.run(&["answer", "acme-corp", "stated-needs", "speed"])
        .ok();
    env.at("2026-11-29T10:00:00Z");
    env.run(&["decide", "acme-corp", "yes"]).ok();
    env.run(&["decide", "beta-gmbh", "no", "--why", "no budget"])
        .ok();
    env.run(&[
        "decide",
        "gamma-ltd",
        "later",
        "--why",
        "fiscal year",
        "--revisit",
        "2027-01-15",
    ])
    .ok();
    env.run(&["follow-up", "acme-corp", "2026-12-03", "Call", "Jane"])
        .ok();
}

/// Rewrites each record the way DESIGN.md documents it: decided events with
/// only `step` and `outcome` (and why), no follow-up events.
fn as_documented(text: &str) -> String {
    let mut out = Vec::new();
    let lines = text.lines();
    let mut in_follow_up_event = false;
    let mut event: Vec<&str> = Vec::new();
    let flush = |event: &mut Vec<&str>, out: &mut Vec<String>, skip: bool| {
        if !skip {
            out.extend(event.iter().map(|l| l.to_string()));
        }
        event.clear();
    };
    let mut in_history = false;
    for l in lines {
        if l == "history:" {
            in_history = true;
            out.push(l.to_string());
            continue;
        }
        if !in_history {
            out.push(l.to_string());
            continue;
        }
        if l.starts_with("- ") {
            flush(&mut event, &mut out, in_follow_up_event);
            in_follow_up_event = false;
        }
        if l == "  event: follow-up" {
            in_follow_up_event = true;
        }
        if l.starts_with("  to: ") || l.starts_with("  status: ") {
            continue;
        }
        event.push(l);
    }
    flush(&mut event, &mut out, in_follow_up_event);
    out.join("\n") + "\n"
}

#[test]
fn the_documented_record_format_reads_as_documented() {
    let mine = Env::new();
    written_by_salesproc(&mine);
    let theirs = Env::new();
    std::fs::create_dir_all(theirs.pipe().join("prospects")).unwrap();
    std::fs::write(theirs.pipe().join("salesproc.yaml"), "").unwrap();
    for id in ["acme-corp", "beta-gmbh", "gamma-ltd"] {
        let text = mine.read(&format!("pipe/prospects/{id}.yaml"));
        let documented = as_documented(&text);
        assert!(!documented.contains("  to: "), "{documented}");
        assert!(!documented.contains("event: follow-up"), "{documented}");
        theirs.file(&format!("pipe/prospects/{id}.yaml"), &documented);
    }
    for env in [&mine, &theirs] {
        env.at("2026-12-05T10:00:00Z");
    }
    let v = theirs.run(&["validate"]);
    assert_eq!(v.code, 0, "{}{}", v.stdout, v.stderr);
    for args in [
        &["pipeline", "--format", "json"][..],
        &["pipeline", "--as-of", "2026-11-28", "--format", "json"],
        &["pipeline", "--as-of", "2026-11-29", "--format", "json"],
        &["list", "--format", "csv"],
        &["show", "gamma-ltd", "--format", "json"],
    ] {
        let a = mine.run(args).ok().stdout;
        let b = theirs.run(args).ok().stdout;
        assert_eq!(a, b, "{args:?}");
    }
    // The records' own follow_up stands where no event set one.
    let p = theirs.run(&["pipeline", "--format", "json"]).ok().stdout;
    assert!(p.contains("\"due\": 1"), "{p}");
}

#[test]
fn a_later_before_learn_keeps_the_step_and_walks_no_step_it_skipped() {
    let env = Env::new();
    env.run(&["add", "Acme Corp"]).ok();
    env.run(&["decide", "acme-corp", "later", "--why", "not now"])
        .ok();
    let text = env.read("pipe/prospects/acme-corp.yaml");
    assert!(
        text.contains("stage: research\nstatus: nurturing\n"),
        "{text}"
    );
    let p = env.run(&["pipeline", "--format", "json"]).ok().stdout;
    let v: serde_json::Value = serde_json::from_str(&p).unwrap();
    let reached: Vec<u64> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_u64().unwrap())
        .collect();
    assert_eq!(reached, [1, 0, 0, 0, 0, 0, 0, 0], "{p}");
    let show = env
        .run(&["show", "acme-corp", "--format", "json"])
        .ok()
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(v["steps"][0]["state"], "current");
    assert_eq!(v["steps"][3]["state"], "ahead");
}

#[test]
fn a_deal_that_entered_mid_funnel_shows_earlier_steps_as_skipped() {
    let env = Env::new();
    env.file("pipe/salesproc.yaml", "");
    env.file(
        "pipe/prospects/acme-corp.yaml",
        "name: Acme Corp\nstage: propose\nstatus: open\nhistory:\n- at: \"2026-11-01T10:00:00Z\"\n  event: imported\n  step: propose\n",
    );
    env.run(&["validate"]).ok();
    let show = env
        .run(&["show", "acme-corp", "--format", "json"])
        .ok()
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(v["steps"][0]["state"], "skipped");
    assert_eq!(v["steps"][5]["state"], "current");
    let p = env.run(&["pipeline", "--format", "json"]).ok().stdout;
    let v: serde_json::Value = serde_json::from_str(&p).unwrap();
    assert_eq!(v["steps"][0]["reached"], 0, "{p}");
    assert_eq!(v["steps"][5]["reached"], 1, "{p}");
}

#[test]
fn a_users_own_fields_keep_their_text_through_every_write() {
    // Before: `crm_id: 00123` came back as `123.0`, a 21-digit id lost
    // digits, `08` became `8.0`, `!ref 42` a mapping, and integer or boolean
    // keys strings.
    let env = Env::new();
    env.run(&["add", "Acme Corp"]).ok();
    let path = "pipe/prospects/acme-corp.yaml";
    let mine = "crm_id: 00123\nhubspot_id: 123456789012345678901\nzip: 08\nphone: +4930123456\nref: !ref 42\nblob: !!binary aGVsbG8=\n1: one\ntrue: yes\nnotes: |\n  kept\n  as written\n";
    let text = env.read(path) + mine;
    env.file(path, &text);
    env.run(&["answer", "acme-corp", "industry", "Retail"]).ok();
    env.run(&["decide", "acme-corp", "later", "--why", "budget"])
        .ok();
    let after = env.read(path);
    assert!(after.ends_with(mine), "{after}");
    assert!(after.contains("industry: Retail"), "{after}");
    env.run(&["fmt", "--check"]).ok();
    env.run(&["fmt"]).ok();
    assert!(env.read(path).ends_with(mine));
    let show = env.run(&["show", "acme-corp", "--format", "json"]).ok();
    assert!(
        show.stdout.contains("\"name\": \"Acme Corp\""),
        "{}",
        show.stdout
    );
}

#[test]
fn did_you_mean_uses_edit_distance() {
    let env = Env::new();
    demo_records(&env);
    for (typo, want) in [
        ("cnotoso", "contoso-"),
        ("wodgrove-bank", "woodgrove-bank"),
        ("nrothwind", "northwind-logistics"),
        ("contso", "contoso-"),
    ] {
        let r = env.run(&["show", typo]).code(2);
        let hint = r
            .stderr
            .lines()
            .find(|l| l.contains("did you mean"))
            .unwrap_or("");
        assert!(hint.contains(want), "{typo}: {}", r.stderr);
        assert!(
            !hint.contains("first-up-consultants"),
            "{typo}: {}",
            r.stderr
        );
    }
}

#[test]
fn pipeline_weights_open_value_by_the_forecasts_chance_of_a_win() {
    let env = Env::new();
    demo_records(&env);
    let pipe: serde_json::Value =
        serde_json::from_str(&env.run(&["pipeline", "--format", "json"]).ok().stdout).unwrap();
    let fc: serde_json::Value =
        serde_json::from_str(&env.run(&["forecast", "--format", "json"]).ok().stdout).unwrap();
    let mut any = false;
    for (step, rate) in pipe["steps"]
        .as_array()
        .unwrap()
        .iter()
        .zip(fc["steps"].as_array().unwrap())
    {
        assert_eq!(step["step"], rate["step"]);
        let open = step["open_value"].as_f64().unwrap();
        let want = (open * rate["p_win"].as_f64().unwrap() * 100.0).round() / 100.0;
        assert_eq!(
            step["weighted_value"].as_f64().unwrap(),
            want,
            "{}",
            step["step"]
        );
        any |= open > 0.0;
    }
    assert!(any, "the demo has open value somewhere");
}

#[test]
fn a_write_keeps_the_text_of_an_answer_a_yaml_11_tool_left_unquoted() {
    // After `yq -y`, `industry: "0o17"` comes back unquoted and YAML 1.2
    // reads it as 15; the next write used to save `industry: 15`.
    let env = Env::new();
    env.run(&["add", "Acme Corp"]).ok();
    env.run(&["answer", "acme-corp", "industry", "0o17"]).ok();
    let path = "pipe/prospects/acme-corp.yaml";
    let text = env.read(path);
    assert!(text.contains("industry: \"0o17\""), "{text}");
    env.file(path, &text.replace("industry: \"0o17\"", "industry: 0o17"));
    env.run(&["answer", "acme-corp", "company-size", "40"]).ok();
    let after = env.read(path);
    assert!(after.contains("industry: \"0o17\""), "{after}");
    assert!(after.contains("company-size: 40"), "{after}");
}

/// Copies the demo's records into the test pipeline.
fn demo_records(env: &Env) {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/prospects");
    std::fs::create_dir_all(env.pipe().join("prospects")).unwrap();
    for f in std::fs::read_dir(&demo).unwrap().flatten() {
        let p = f.path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(
                &p,
                env.pipe().join("prospects").join(p.file_name().unwrap()),
            )
            .unwrap();
        }
    }
}
