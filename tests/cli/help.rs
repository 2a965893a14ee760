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
    "today",
    "done",
    "undo",
    "reopen",
    "search",
    "version",
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

/// Issue 12 #20: global options apart from a command's own, and examples
/// at the end of every command's help.
#[test]
fn help_separates_global_options_and_ends_with_examples() {
    let env = Env::new();
    for c in COMMANDS {
        let out = env.run(&[c, "--help"]).ok().stdout;
        assert!(out.contains("\nGlobal options:\n"), "{c}: {out}");
        let examples = out.rsplit("Examples:\n").next().unwrap();
        assert!(
            out.contains("Examples:\n")
                && examples.lines().all(|l| l.starts_with("  salesproc")
                    || l.starts_with("  git")
                    || l.starts_with("  EDITOR")
                    || l.is_empty()),
            "{c}: {out}"
        );
    }
}
