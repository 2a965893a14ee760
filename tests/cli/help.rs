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
        assert!(!global.contains("--format <FORMAT>"), "{path:?}: {out}");
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

/// The commands that print data and the formats each prints, its default
/// first (issue 12 #20). Every other command has no `--format`.
const DATA: &[(&str, &str)] = &[
    ("next", "table, json, yaml, csv, tsv, ids, markdown"),
    ("show", "table, json, yaml, csv, tsv, ids, markdown"),
    ("list", "table, json, yaml, csv, tsv, ids, markdown"),
    ("log", "table, json, yaml, csv, tsv, ids, markdown"),
    ("pipeline", "table, json, yaml, csv, tsv, ids"),
    ("forecast", "table, json, yaml, csv, tsv, ids"),
    ("process list", "table, json, yaml, csv, tsv, ids, markdown"),
    ("personas", "table, json, yaml, csv, tsv"),
    ("insights", "table, json, yaml, csv, tsv, markdown"),
    ("checklist", "markdown, table, json, yaml, csv, tsv, ids"),
    ("validate", "table, json, yaml, csv, tsv, ids"),
    ("import", "table, json, yaml, csv, tsv, ids, markdown"),
    ("export", "csv"),
    ("today", "table, json, yaml, csv, tsv, ids, markdown"),
    ("search", "table, json, yaml, csv, tsv, ids, markdown"),
    ("schema", "json"),
];

#[test]
fn format_is_an_option_of_the_commands_that_print_data_only() {
    let env = Env::new();
    let paths = every_command();
    for (c, _) in DATA {
        assert!(
            paths.iter().any(|p| p.join(" ") == *c),
            "{c} is not a command"
        );
    }
    for path in paths {
        let name = path.join(" ");
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        let help = {
            let mut a = args.clone();
            a.push("--help");
            env.run(&a).ok().stdout
        };
        if let Some((_, formats)) = DATA.iter().find(|(c, _)| *c == name) {
            let own = help.split("\nGlobal options:\n").next().unwrap();
            assert!(own.contains("-f, --format <FORMAT>"), "{name}: {help}");
            let default = formats.split(", ").next().unwrap();
            assert!(
                own.contains(&format!("[default: {default}]")),
                "{name}: {help}"
            );
            // A format the command cannot print is clap's usage error, listing
            // the ones it can.
            args.extend(["--format", "nope"]);
            let r = env.run(&args).code(2);
            assert!(r.stdout.is_empty(), "{name}: {}", r.stdout);
            assert!(
                r.stderr
                    .contains("invalid value 'nope' for '--format <FORMAT>'")
                    && r.stderr
                        .contains(&format!("[possible values: {formats}]\n")),
                "{name}: {}",
                r.stderr
            );
        } else {
            // (Its examples may pipe `list --format ids` into it.)
            assert!(!help.contains("--format <FORMAT>"), "{name}: {help}");
            args.extend(["--format", "json"]);
            let r = env.run(&args).code(2);
            assert!(r.stdout.is_empty(), "{name}: {}", r.stdout);
            assert!(
                r.stderr
                    .starts_with("error: unexpected argument '--format' found\n")
                    && r.stderr.contains(&format!("Usage: salesproc {name} "))
                    && r.stderr.contains("For more information, try '--help'."),
                "{name}: {}",
                r.stderr
            );
        }
    }
}

/// `--format` before the command still works for a command that prints
/// data in that format (scripts written for earlier versions put it there),
/// and is a usage error for any other, as it is after the command.
#[test]
fn format_before_the_command_counts_only_where_it_would_after() {
    let env = Env::new();
    env.run(&["--no-commit", "add", "Acme Corp"]).ok();
    let before = env.run(&["--format", "json", "list"]).ok();
    let after = env.run(&["list", "--format", "json"]).ok();
    assert_eq!(before.stdout, after.stdout);
    assert!(before.stdout.contains("\"acme-corp\""), "{}", before.stdout);
    // The command's own, after it, wins.
    let r = env.run(&["-f", "json", "list", "-f", "ids"]).ok();
    assert_eq!(r.stdout, "acme-corp\n");
    let r = env.run(&["--format", "markdown", "pipeline"]).code(2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains("invalid value 'markdown' for '--format <FORMAT>'")
            && r.stderr.contains("possible values: table, json"),
        "{}",
        r.stderr
    );
    let r = env
        .run(&["answer", "acme", "industry", "--format", "json"])
        .code(2);
    assert!(
        r.stderr.contains("unexpected argument '--format' found"),
        "{}",
        r.stderr
    );
    let r = env.run(&["-f", "json", "init", "other"]).code(2);
    assert!(
        r.stderr
            .contains("`salesproc init` prints no data, so it takes no '--format'"),
        "{}",
        r.stderr
    );
    assert!(!env.path().join("other").exists());
}
