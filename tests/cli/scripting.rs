//! The write verbs without prompts, prospect resolution, batches and exit codes.

use crate::Env;

#[test]
fn answer_checks_values_and_leaves_the_file_untouched_on_error() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[]);
    let before = env.read("pipe/prospects/acme-corp.yaml");
    let r = env.run(&["answer", &id, "lead-source", "radio"]).code(2);
    assert!(
        r.stderr
            .contains("\"radio\" is not an option of lead-source"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(
        "hint: lead-source takes one of referral, inbound, event, outbound, partner, content, other"
    ));
    // Bad values and unknown items are usage errors (issue 12 #11).
    env.run(&["answer", &id, "company-size", "many"]).code(2);
    env.run(&["answer", &id, "company-size", "2,5"]).code(2);
    env.run(&["answer", &id, "website-reviewed", "perhaps"])
        .code(2);
    let r = env
        .run(&["answer", &id, "introduce/first-contact", "12/03/2026"])
        .code(2);
    assert!(
        r.stderr.contains("could be 12 March 2026 (2026-03-12, day first) or December 3, 2026 (2026-12-03, month first)"),
        "{}",
        r.stderr
    );
    env.run(&["answer", &id, "nope", "x"]).code(2);
    env.run(&["answer", &id, "research/industry"]).code(1);
    assert_eq!(env.read("pipe/prospects/acme-corp.yaml"), before);
}

#[test]
fn answer_takes_step_slash_item_and_lists() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[]);
    env.run(&[
        "answer",
        &id,
        "introduce/stated-needs",
        "faster quotes, fewer errors",
        "EU expansion",
    ])
    .ok();
    env.run(&["answer", &id, "introduce/first-contact", "2026-11-20"])
        .ok();
    env.run(&["answer", &id, "website-reviewed", "no"]).ok();
    let text = env.read("pipe/prospects/acme-corp.yaml");
    assert!(text.contains("  research:\n    website-reviewed: false\n  introduce:\n    first-contact: \"2026-11-20\"\n    stated-needs:\n    - faster quotes, fewer errors\n    - EU expansion\n"), "{text}");
}

#[test]
fn decide_refuses_yes_with_missing_required_items_and_names_them() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[("industry", "Retail")]);
    let r = env.run(&["decide", &id, "yes"]).code(1);
    assert!(
        r.stderr
            .contains("required items of research are unanswered: website-reviewed"),
        "{}",
        r.stderr
    );
    let r = env.run(&["decide", &id, "later"]).code(1);
    assert!(r.stderr.contains("a `later` needs a why"), "{}", r.stderr);
    env.run(&[
        "decide",
        &id,
        "later",
        "--why",
        "fiscal year",
        "--revisit",
        "+2w",
    ])
    .ok();
    let text = env.read("pipe/prospects/acme-corp.yaml");
    // A later at Research keeps it at Research (Learn was never walked).
    assert!(text.contains("stage: research\nstatus: nurturing\nfollow_up:\n  date: \"2026-12-11\"\n  action: \"Revisit: fiscal year\"\n"), "{text}");
}

#[test]
fn prospects_resolve_by_id_prefix_or_name() {
    let env = Env::new();
    env.prospect("Acme Corp", &[]);
    env.prospect("Acme Logistics", &[]);
    env.prospect("Beta GmbH", &[]);
    env.run(&["show", "beta"]).ok();
    env.run(&["show", "ACME CORP"]).ok();
    env.run(&["show", "acme-l"]).ok();
    let r = env.run(&["show", "acme"]).code(2);
    assert!(
        r.stderr
            .contains("matches more than one prospect: acme-corp, acme-logistics"),
        "{}",
        r.stderr
    );
    let r = env.run(&["show", "acne corp"]).code(2);
    assert!(
        r.stderr.contains("no prospect matches \"acne corp\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
}

/// An empty prospect (an unset shell variable) never picks the record
/// whose name is empty.
#[test]
fn an_empty_prospect_is_a_usage_error_even_beside_a_nameless_record() {
    let env = Env::new();
    env.prospect("Acme", &[]);
    let acme = env.read("pipe/prospects/acme.yaml");
    let nameless = acme.replacen("name: Acme", "name: ''", 1);
    assert_ne!(acme, nameless);
    env.file("pipe/prospects/nameless.yaml", &nameless);
    for args in [
        &["show", ""][..],
        &["show", "  "],
        &["set", "", "value", "100", "--no-commit"],
    ] {
        let r = env.run(args).code(2);
        assert!(
            r.stderr.contains("no prospect given"),
            "{args:?}: {}",
            r.stderr
        );
    }
    assert_eq!(
        env.read("pipe/prospects/nameless.yaml"),
        nameless,
        "nothing written"
    );
}

#[test]
fn a_stdin_batch_goes_past_a_bad_id_and_exits_1() {
    let env = Env::new();
    for n in ["Acme", "Beta", "Gamma"] {
        env.prospect(n, &[]);
    }
    let r = env
        .run_with(
            &["decide", "-", "later", "--why", "fiscal year"],
            "acme\nnobody\ngamma\n",
        )
        .code(1);
    assert!(
        r.stderr.contains("nobody: no prospect matches"),
        "{}",
        r.stderr
    );
    assert!(
        env.read("pipe/prospects/acme.yaml")
            .contains("status: nurturing")
    );
    assert!(
        env.read("pipe/prospects/gamma.yaml")
            .contains("status: nurturing")
    );
    assert!(
        env.read("pipe/prospects/beta.yaml")
            .contains("status: open")
    );
}

#[test]
fn list_ids_pipe_into_decide() {
    let env = Env::new();
    for n in ["Acme", "Beta"] {
        env.prospect(n, &[]);
    }
    let ids = env
        .run(&["list", "--stage", "research", "--format", "ids"])
        .ok()
        .stdout;
    env.run_with(&["decide", "-", "later", "--why", "fiscal year"], &ids)
        .ok();
    assert_eq!(
        env.run(&["list", "--status", "nurturing", "--format", "ids"])
            .ok()
            .stdout,
        "acme\nbeta\n"
    );
}

#[test]
fn follow_up_and_insight() {
    let env = Env::new();
    let id = env.prospect("Acme", &[]);
    env.run(&["follow-up", &id, "2026-12-03", "Send", "pricing"])
        .ok();
    env.run(&["follow-up", &id, "someday", "x"]).code(2);
    env.run(&[
        "insight",
        &id,
        "--for",
        "marketing",
        "Found us via the podcast",
    ])
    .ok();
    env.run(&["insight", &id, "--for", "legal", "x"]).code(2);
    let text = env.read("pipe/prospects/acme.yaml");
    assert!(
        text.contains("follow_up:\n  date: \"2026-12-03\"\n  action: Send pricing\n"),
        "{text}"
    );
    assert!(text.contains("insights:\n- at: \"2026-11-27T10:00:00Z\"\n  for: marketing\n  text: Found us via the podcast\n  by: sam\n"), "{text}");
}

#[test]
fn exit_codes() {
    let env = Env::new();
    env.run(&["list"]).code(0);
    env.run(&["list", "--bogus"]).code(2);
    env.run(&["decide"]).code(2);
    env.run(&["show", "nobody"]).code(2);
    env.file("pipe/prospects/broken.yaml", "name: [\n");
    let r = env.run(&["list", "--format", "json"]).code(1);
    assert_eq!(r.stdout, "[]\n");
    assert!(r.stderr.contains("broken.yaml:1:7"), "{}", r.stderr);
}

#[test]
fn an_unparsable_record_is_never_rewritten() {
    let env = Env::new();
    env.file(
        "pipe/prospects/broken.yaml",
        "name: Broken\nstage: research\nstatus: opne\nhistory: []\n",
    );
    let before = env.read("pipe/prospects/broken.yaml");
    let r = env.run(&["answer", "broken", "industry", "Retail"]).code(1);
    assert!(
        r.stderr
            .contains("could not parse pipe/prospects/broken.yaml:3:9"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("hint: fix it with `salesproc edit broken`"),
        "{}",
        r.stderr
    );
    env.run(&["fmt"]).code(1);
    assert_eq!(env.read("pipe/prospects/broken.yaml"), before);
}

#[test]
fn concurrent_writers_to_one_record_lose_nothing() {
    let env = Env::new();
    let id = env.prospect("Acme", &[]);
    let items = [
        ("research/industry", "Retail"),
        ("research/company-size", "250"),
        ("research/market-notes", "Busy"),
        ("research/lead-source", "event"),
        ("research/website-reviewed", "yes"),
        ("introduce/drivers", "cost"),
        ("introduce/channel", "call"),
        ("qualify/budget-holder", "CFO"),
    ];
    let children: Vec<_> = items
        .iter()
        .map(|(item, value)| {
            let mut c = env.cmd();
            c.args(["answer", &id, item, value])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null());
            c.spawn().unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let text = env.read("pipe/prospects/acme.yaml");
    for (item, _) in items {
        let (_, id) = item.split_once('/').unwrap();
        assert!(
            text.contains(&format!("item: {id}\n")),
            "{item} lost:\n{text}"
        );
    }
    assert_eq!(text.matches("event: answered").count(), items.len());
    env.run(&["validate"]).ok();
}

#[test]
fn show_log_and_next_in_every_format() {
    let env = Env::new();
    let id = env.prospect("Acme, Inc.", &[("industry", "Retail")]);
    let y: serde_json::Value =
        serde_saphyr::from_str(&env.run(&["show", &id, "--format", "yaml"]).ok().stdout).unwrap();
    assert_eq!(y["name"], "Acme, Inc.");
    assert_eq!(y["steps"][0]["items"][0]["answer"], "Retail");
    let csv_text = env.run(&["show", &id, "--format", "csv"]).ok().stdout;
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(&rows[0][3], "Retail");
    assert_eq!(
        rows.len(),
        38,
        "one row per item of the eight steps (5+5+5+6+5+4+4+4)"
    );
    assert_eq!(
        env.run(&["show", &id, "--format", "ids"]).ok().stdout,
        "acme-inc\n"
    );
    let log: serde_json::Value =
        serde_json::from_str(&env.run(&["log", &id, "--format", "json"]).ok().stdout).unwrap();
    assert_eq!(log[1]["event"], "answered");
    assert_eq!(log[1]["item"], "industry");
    let log_y: Vec<serde_json::Value> =
        serde_saphyr::from_str(&env.run(&["log", &id, "--format", "yaml"]).ok().stdout).unwrap();
    assert_eq!(log_y.len(), 2);
    let log_csv = env.run(&["log", &id, "--format", "csv"]).ok().stdout;
    assert_eq!(
        csv::Reader::from_reader(log_csv.as_bytes())
            .records()
            .count(),
        2
    );
    assert_eq!(
        env.run(&["log", &id, "--format", "ids"]).ok().stdout,
        "acme-inc\nacme-inc\n"
    );
    let next_y: Vec<serde_json::Value> =
        serde_saphyr::from_str(&env.run(&["next", &id, "--format", "yaml"]).ok().stdout).unwrap();
    assert_eq!(next_y.len(), 4);
    let next_tsv = env.run(&["next", &id, "--format", "tsv"]).ok().stdout;
    assert!(next_tsv.starts_with("prospect\tstep\titem\ttype\trequired\task\toptions\n"));
    let next_csv = env.run(&["next", &id, "--format", "csv"]).ok().stdout;
    assert_eq!(
        csv::Reader::from_reader(next_csv.as_bytes())
            .records()
            .count(),
        4
    );
}
