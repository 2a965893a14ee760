//! Values a YAML 1.1 tool writes unquoted (`yq -y` turns `"0o17"` into
//! `0o17`): `validate` says the type does not fit the item, and `fmt` puts
//! the text as written back, quoted.

use crate::Env;

const AFTER_YQ: &str = "name: Yq Corp\nstage: research\nstatus: open\nanswers:\n  research:\n    industry: 0o17\n    market-notes: 1e3\n    company-size: \"250\"\n    website-reviewed: true\nhistory:\n- at: \"2026-11-27T10:02:11Z\"\n  by: sam\n  event: created\n  step: research\n";

#[test]
fn validate_flags_and_fmt_restores_unquoted_yaml_11_values() {
    let env = Env::new();
    env.file("pipe/prospects/yq-corp.yaml", AFTER_YQ);
    let r = env.run(&["validate"]).code(1);
    let lines: Vec<&str> = r.stdout.lines().filter(|l| !l.starts_with("  ")).collect();
    assert_eq!(
        lines,
        [
            "pipe/prospects/yq-corp.yaml:6:5: industry is a text item, but `0o17` is read as the number 15",
            "pipe/prospects/yq-corp.yaml:7:5: market-notes is a text item, but `1e3` is read as the number 1000.0",
            "pipe/prospects/yq-corp.yaml:8:5: answer to company-size must be a number (e.g. 250 or 12.5), not \"250\"",
        ],
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("hint: quote it (\"0o17\")"),
        "{}",
        r.stdout
    );

    assert_eq!(
        env.run(&["fmt", "--check"]).code(1).stdout,
        "pipe/prospects/yq-corp.yaml\n"
    );
    let r = env.run(&["fmt"]).ok();
    assert!(
        r.stderr.contains("research/industry: 15 → \"0o17\""),
        "{}",
        r.stderr
    );
    let text = env.read("pipe/prospects/yq-corp.yaml");
    assert!(text.contains("    industry: \"0o17\"\n"), "{text}");
    assert!(text.contains("    market-notes: \"1e3\"\n"), "{text}");
    assert!(text.contains("    company-size: 250\n"), "{text}");
    assert!(text.contains("    website-reviewed: true\n"), "{text}");
    env.run(&["validate"]).ok();
    // Another run changes nothing.
    env.run(&["fmt", "--check"]).ok();
}
