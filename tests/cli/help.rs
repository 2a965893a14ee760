//! `--help` of every command, snapshotted so every CLI change is reviewed.

use crate::Env;
use clap::CommandFactory;

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
    for path in every_command() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = env.run(&args).ok().stdout;
        all.push_str(&format!("\n=== salesproc {} --help\n{out}", path.join(" ")));
    }
    insta::assert_snapshot!(all);
}

/// Every command, nested ones too (`process add`), as its words on the
/// command line, read from the clap definition; clap's own `help` is left
/// out.
fn every_command() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.to_vec();
            p.push(sub.get_name().to_string());
            out.push(p.clone());
            walk(sub, &p, out);
        }
    }
    let mut out = Vec::new();
    walk(&salesproc::cli::Cli::command(), &[], &mut out);
    out
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

/// Issue 12 #20: global options are listed apart from a command's own.
#[test]
fn help_lists_global_options_apart() {
    let env = Env::new();
    for path in every_command() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = env.run(&args).ok().stdout;
        let (own, global) = out
            .split_once("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{path:?}: no global options heading:\n{out}"));
        assert!(own.contains("\nOptions:\n"), "{path:?}: {out}");
        // (`init` has no `--dir`: its folder is its argument.)
        for flag in ["--no-input", "--color", "--quiet", "--no-commit"] {
            assert!(
                global.contains(flag),
                "{path:?}: {flag} is not global:\n{out}"
            );
            assert!(
                !own.contains(flag),
                "{path:?}: {flag} among its own:\n{out}"
            );
        }
    }
}

/// Issue 12 #20: every command's `--help` (nested ones and `salesproc
/// --help` too) ends with two or three examples.
#[test]
fn every_help_ends_with_two_or_three_examples() {
    let env = Env::new();
    let mut paths = every_command();
    assert!(paths.iter().any(|p| p == &["process", "add"]), "{paths:?}");
    paths.insert(0, Vec::new());
    for path in paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = env.run(&args).ok().stdout;
        let (_, examples) = out
            .rsplit_once("\nExamples:\n")
            .unwrap_or_else(|| panic!("{path:?}: no examples:\n{out}"));
        let lines: Vec<&str> = examples.lines().collect();
        assert!(
            (2..=3).contains(&lines.len())
                && lines.iter().all(|l| l.starts_with("  ")
                    && ["salesproc", "git", "EDITOR"]
                        .iter()
                        .any(|w| l.trim_start().starts_with(w))),
            "{path:?}: help should end with 2-3 example lines:\n{examples}"
        );
    }
}
