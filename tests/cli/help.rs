//! `--help` of every command, snapshotted so every CLI change is reviewed.

use crate::Env;

const COMMANDS: &[&str] = &[
    "init",
    "add",
    "next",
    "show",
    "list",
    "answer",
    "decide",
    "follow-up",
    "insight",
    "log",
    "edit",
    "pipeline",
    "forecast",
    "report",
    "process",
    "personas",
    "insights",
    "checklist",
    "validate",
    "fmt",
    "merge-file",
    "import",
    "export",
    "set",
    "assign",
    "completions",
    "schema",
    "man",
];

#[test]
fn help_of_every_command() {
    let env = Env::new();
    let mut all = env.run(&["--help"]).ok().stdout;
    for c in COMMANDS {
        let out = env.run(&[c, "--help"]).ok().stdout;
        all.push_str(&format!("\n=== salesproc {c} --help\n{out}"));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn every_subcommand_is_covered() {
    let env = Env::new();
    let help = env.run(&["--help"]).ok().stdout;
    let listed: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| *w != "help")
        .collect();
    assert_eq!(listed, COMMANDS);
}
