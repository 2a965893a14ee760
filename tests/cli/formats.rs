//! Every format parses back; pipes and colour behave.

use crate::Env;

fn three(env: &Env) {
    let a = env.at("2026-11-20T10:00:00Z").prospect(
        "Acme Corp",
        &[("industry", "Logistics"), ("website-reviewed", "yes")],
    );
    env.at("2026-11-21T10:00:00Z")
        .run(&["decide", &a, "yes"])
        .ok();
    env.at("2026-11-22T10:00:00Z")
        .prospect("Beta, \"The\" GmbH", &[]);
    let c = env.at("2026-11-25T10:00:00Z").prospect("Gamma", &[]);
    env.run(&["follow-up", &c, "2026-11-26", "Call"]).ok();
    env.at(crate::NOW);
}

#[test]
fn list_json_is_sorted_by_last_activity() {
    let env = Env::new();
    three(&env);
    let v: serde_json::Value =
        serde_json::from_str(&env.run(&["list", "--format", "json"]).ok().stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["gamma", "beta-the-gmbh", "acme-corp"]);
    let a = &v[2];
    assert_eq!(a["stage"], "introduce");
    assert_eq!(a["phase"], "qualification");
    assert_eq!(a["progress"], "0/5");
    assert_eq!(a["last_activity"], "2026-11-21T10:00:00Z");
    assert_eq!(v[0]["follow_up"], "2026-11-26");
}

#[test]
fn list_yaml_csv_tsv_ids_parse_back() {
    let env = Env::new();
    three(&env);
    let y = env.run(&["list", "--format", "yaml"]).ok().stdout;
    let rows: Vec<std::collections::BTreeMap<String, serde_json::Value>> =
        serde_saphyr::from_str(&y).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["name"], "Beta, \"The\" GmbH");
    let c = env.run(&["list", "--format", "csv"]).ok().stdout;
    let mut rd = csv::Reader::from_reader(c.as_bytes());
    assert_eq!(
        rd.headers().unwrap().iter().take(3).collect::<Vec<_>>(),
        ["id", "name", "owner"]
    );
    let recs: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(&recs[1][1], "Beta, \"The\" GmbH");
    let t = env.run(&["list", "--format", "tsv"]).ok().stdout;
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_reader(t.as_bytes());
    assert_eq!(rd.records().count(), 3);
    assert_eq!(
        env.run(&["list", "--format", "ids", "--due"]).ok().stdout,
        "gamma\n"
    );
}

#[test]
fn empty_results_are_valid() {
    let env = Env::new();
    assert_eq!(env.run(&["list", "--format", "json"]).ok().stdout, "[]\n");
    assert_eq!(env.run(&["list", "--format", "yaml"]).ok().stdout, "[]\n");
    assert_eq!(
        env.run(&["list", "--format", "csv"])
            .ok()
            .stdout
            .lines()
            .count(),
        1,
        "a header row"
    );
    assert_eq!(env.run(&["list", "--format", "ids"]).ok().stdout, "");
}

#[test]
fn filters() {
    let env = Env::new();
    three(&env);
    let ids = |args: &[&str]| {
        let mut a = vec!["list", "--format", "ids"];
        a.extend_from_slice(args);
        env.run(&a).ok().stdout
    };
    assert_eq!(ids(&["--stage", "introduce"]), "acme-corp\n");
    assert_eq!(ids(&["--phase", "pipeline"]), "");
    assert_eq!(ids(&["--status", "open"]).lines().count(), 3);
    assert_eq!(ids(&["--owner", "nobody"]), "");
    env.run(&["list", "--stage", "nowhere"]).code(2);
    // stale: research allows 14 days; nothing is that old on 2026-11-27 ...
    assert_eq!(ids(&["--stale"]), "");
    // ... but on 2026-12-07 acme (last activity 11-21) and beta (11-22) are;
    // gamma (11-25) is not yet.
    env.at("2026-12-07T10:00:00Z");
    assert_eq!(ids(&["--stale"]), "beta-the-gmbh\nacme-corp\n");
    // On 2026-12-05 acme is exactly 14 days quiet: not yet stale.
    env.at("2026-12-05T10:00:00Z");
    assert_eq!(ids(&["--stale"]), "");
}

#[test]
fn a_closed_pipe_is_a_quiet_exit() {
    let env = Env::new();
    for i in 0..40 {
        env.prospect(&format!("Prospect {i}"), &[]);
    }
    let mut c = std::process::Command::new("sh");
    env.hermetic(&mut c);
    c.arg("-c").arg(format!(
        "'{}' list | head -1; exit ${{PIPESTATUS:-0}}",
        crate::bin().display()
    ));
    let r = crate::output(c, "").ok();
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout.lines().count(), 1);
    let mut c = std::process::Command::new("bash");
    env.hermetic(&mut c);
    c.arg("-c").arg(format!(
        "'{}' list --format csv | head -1; exit ${{PIPESTATUS[0]}}",
        crate::bin().display()
    ));
    let r = crate::output(c, "").ok();
    assert_eq!(r.stderr, "");
}

#[test]
fn a_closed_stderr_loses_messages_but_never_panics() {
    let env = Env::new();
    env.prospect("Acme Corp", &[]);
    env.prospect("Acme Industries", &[]);
    for args in [
        &["show", "acme"][..],
        &["add", "Globex"],
        &["show", "nobody-at-all"],
    ] {
        let mut c = env.cmd();
        c.args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        // The read end goes before the program writes: its messages meet EPIPE.
        drop(child.stderr.take());
        let code = child.wait().unwrap().code();
        assert!(matches!(code, Some(0..=2)), "{args:?}: {code:?}");
    }
}

#[test]
fn no_escape_codes_when_piped_or_under_no_color() {
    let env = Env::new();
    three(&env);
    for args in [
        vec!["list"],
        vec!["show", "acme"],
        vec!["pipeline"],
        vec!["personas"],
    ] {
        let r = env.run(&args).ok();
        assert!(
            !r.stdout.contains('\x1b') && !r.stderr.contains('\x1b'),
            "{args:?}"
        );
    }
    let mut c = env.cmd();
    c.env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .arg("list");
    assert!(!crate::output(c, "").ok().stdout.contains('\x1b'));
    let r = env.run(&["list", "--color", "always"]).ok();
    assert!(
        r.stdout.contains('\x1b'),
        "--color always colours even when piped"
    );
    let r = env.run(&["list", "--color", "never"]).ok();
    assert!(!r.stdout.contains('\x1b'));
}

#[test]
fn quiet_silences_status() {
    let env = Env::new();
    let r = env.run(&["-q", "add", "Acme"]).ok();
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("acme\n", ""));
    let r = env
        .run(&["answer", "acme", "industry", "Retail", "--quiet"])
        .ok();
    assert_eq!(r.stderr, "");
}

#[test]
fn completions_and_man() {
    let env = Env::new();
    for sh in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = env.run(&["completions", sh]).ok().stdout;
        assert!(out.contains("salesproc"), "{sh}");
    }
    let man = env.run(&["man"]).ok().stdout;
    assert!(
        man.starts_with(".ie") || man.contains(".TH salesproc"),
        "{}",
        &man[..200.min(man.len())]
    );
}

/// A format a command cannot print is clap's usage error (exit 2) listing
/// the formats it can, never a silent fallback to its table (issue 12 #20:
/// each command's `--format` takes only what it prints).
#[test]
fn unsupported_formats_are_usage_errors() {
    let env = Env::new();
    let figures = "table, json, yaml, csv, tsv, ids";
    for (args, can) in [
        (&["pipeline", "--format", "markdown"][..], figures),
        (&["forecast", "--format", "markdown"][..], figures),
        (&["validate", "--format", "markdown"][..], figures),
        (
            &["personas", "--format", "ids"][..],
            "table, json, yaml, csv, tsv",
        ),
        (
            &["insights", "-f", "ids"][..],
            "table, json, yaml, csv, tsv, markdown",
        ),
        (&["schema", "record", "--format", "yaml"][..], "json"),
        (&["export", "--format", "json"][..], "csv"),
    ] {
        let r = env.run(args).code(2);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
        let bad = args.last().unwrap();
        assert!(
            r.stderr.starts_with(&format!(
                "error: invalid value '{bad}' for '--format <FORMAT>'\n  [possible values: {can}]\n"
            )),
            "{args:?}: {}",
            r.stderr
        );
    }
    for args in [
        &["pipeline", "--format", "csv"][..],
        &["insights", "--format", "markdown"][..],
        &["personas", "--format", "yaml"][..],
        &["list", "--format", "markdown"][..],
        &["schema", "config", "--format", "json"][..],
        &["export", "--format", "csv"][..],
    ] {
        env.run(args).ok();
    }
}

/// A command's default format is the first it lists: leaving `--format` out
/// prints what naming it prints; `-f` and `--format=` are the same flag.
#[test]
fn the_default_format_is_the_first_listed() {
    let env = Env::new();
    three(&env);
    for (args, default) in [
        (&["list"][..], "table"),
        (&["pipeline"][..], "table"),
        (&["today"][..], "table"),
        (&["checklist", "qualify"][..], "markdown"),
        (&["export"][..], "csv"),
        (&["schema", "config"][..], "json"),
    ] {
        let plain = env.run(args).ok().stdout;
        assert!(!plain.is_empty(), "{args:?}");
        let inline = format!("--format={default}");
        for flag in [
            &["--format", default][..],
            &["-f", default],
            &[inline.as_str()],
        ] {
            let mut a = args.to_vec();
            a.extend(flag);
            assert_eq!(env.run(&a).ok().stdout, plain, "{a:?}");
        }
    }
}
