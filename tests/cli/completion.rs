//! Dynamic completion in a real bash: the registration `salesproc completions
//! bash` prints is sourced, and bash's completion function is called as bash
//! calls it at `<TAB>` (`COMP_WORDS`, `COMP_CWORD`), so the whole round trip
//! (bash → `COMPLETE=bash salesproc -- …` → candidates → `COMPREPLY`) runs.

use crate::Env;
use std::process::Command;

/// What bash offers for the command line `words`, the last word being the
/// one under the cursor.
fn complete(env: &Env, words: &[&str]) -> Vec<String> {
    let script = env.run(&["completions", "bash"]).ok().stdout;
    env.file("reg.bash", &script);
    let quoted: Vec<String> = words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
        .collect();
    let program = format!(
        r#"source ./reg.bash
complete -p salesproc >/dev/null || exit 3
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
COMP_TYPE=9
_clap_complete_salesproc salesproc "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}"
"#,
        words = quoted.join(" ")
    );
    let mut c = Command::new("bash");
    env.hermetic(&mut c);
    c.args(["--norc", "--noprofile", "-i", "-c", &program]);
    let r = crate::output(c, "");
    assert_eq!(r.code, 0, "bash failed: {}", r.stderr);
    r.stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn folder() -> Env {
    let env = Env::new();
    env.run(&["add", "Contoso Ltd", "--owner", "alex"]).ok();
    env.run(&["add", "Northwind Traders", "--owner", "sam"])
        .ok();
    env.run(&["add", "Fabrikam", "--owner", "sam"]).ok();
    env
}

#[test]
fn bash_completes_prospect_ids_and_names() {
    let env = folder();
    assert_eq!(
        complete(&env, &["salesproc", "next", "con"]),
        ["contoso-ltd"]
    );
    // A name (or a word of it) completes to the id.
    assert_eq!(
        complete(&env, &["salesproc", "show", "Trad"]),
        ["northwind-traders"]
    );
    // Every PROSPECT argument, flags before it or not.
    for cmd in [
        "show",
        "log",
        "decide",
        "follow-up",
        "insight",
        "edit",
        "answer",
    ] {
        assert_eq!(
            complete(&env, &["salesproc", "--color", "never", cmd, "fab"]),
            ["fabrikam"],
            "{cmd}"
        );
    }
    assert!(complete(&env, &["salesproc", "next", "zzz"]).is_empty());
    // Ids first: "Contour Fabrik" has a word starting "fab", but the id fabrikam wins.
    env.run(&["add", "Contour Fabrik", "--id", "contour"]).ok();
    assert_eq!(complete(&env, &["salesproc", "next", "fab"]), ["fabrikam"]);
    assert_eq!(
        complete(&env, &["salesproc", "next", "Fabrik"]),
        ["fabrikam"]
    );
    assert_eq!(
        complete(&env, &["salesproc", "next", "con"]),
        ["contoso-ltd", "contour"]
    );
}

#[test]
fn bash_completes_steps_owners_items_and_options() {
    let env = folder();
    assert_eq!(
        complete(&env, &["salesproc", "list", "--stage", "pr"]),
        ["present", "propose"]
    );
    assert_eq!(
        complete(&env, &["salesproc", "list", "--owner", ""]),
        ["alex", "sam"]
    );
    assert_eq!(
        complete(&env, &["salesproc", "answer", "contoso-ltd", "lead"]),
        ["lead-source"]
    );
    let items = complete(&env, &["salesproc", "answer", "Contoso Ltd", ""]);
    assert!(
        items.starts_with(&["industry".to_string(), "company-size".to_string()]),
        "{items:?}"
    );
    assert_eq!(
        complete(
            &env,
            &["salesproc", "answer", "contoso-ltd", "qualify/role"]
        ),
        ["qualify/role-in-decision"]
    );
    assert_eq!(
        complete(
            &env,
            &["salesproc", "answer", "contoso-ltd", "lead-source", "p"]
        ),
        ["partner"]
    );
    assert_eq!(
        complete(
            &env,
            &["salesproc", "answer", "contoso-ltd", "website-reviewed", ""]
        )[..2],
        ["yes", "no"]
    );
    // `--dir` on the line wins over $SALESPROC_DIR.
    env.run(&["init", "other", "--no-git"]).ok();
    let other = env.path().join("other");
    let other = other.to_str().unwrap();
    env.run(&["--dir", other, "add", "Contour Inc"]).ok();
    assert_eq!(
        complete(&env, &["salesproc", "--dir", other, "next", "con"]),
        ["contour-inc"]
    );
}
