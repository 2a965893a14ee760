//! `salesproc man`: a page per command, each with the sections a reader
//! looks for, and every page the main one refers to exists.

use crate::Env;

#[test]
fn man_out_dir_writes_a_page_per_command() {
    let env = Env::new();
    let r = env.run(&["man", "--out-dir", "out"]).ok();
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let out = env.path().join("out");
    let main = env.read("out/salesproc.1");
    // `man` alone prints the main page, byte for byte.
    assert_eq!(env.run(&["man"]).ok().stdout, main);

    let help = env.run(&["--help"]).ok().stdout;
    let commands: Vec<&str> = help
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
    assert!(commands.len() >= 20, "{commands:?}");
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut want: Vec<String> = commands
        .iter()
        .map(|c| format!("salesproc-{c}.1"))
        .chain(["salesproc.1".to_string()])
        .collect();
    want.sort();
    assert_eq!(files, want);

    // Every page the main page names exists.
    for c in &commands {
        assert!(
            main.contains(&format!("salesproc\\-{}(1)", c.replace('-', "\\-"))),
            "{c}"
        );
    }
    for f in &files {
        let page = env.read(&format!("out/{f}"));
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH \"SEE ALSO\"",
        ] {
            assert!(page.contains(section), "{f} lacks {section}");
        }
        for var in [
            "SALESPROC_DIR",
            "SALESPROC_NO_INDEX",
            "SALESPROC_LOCK_TIMEOUT",
            "NO_COLOR",
            "EDITOR",
            "PAGER",
        ] {
            assert!(page.contains(var), "{f} lacks {var}");
        }
    }
    for f in [
        "salesproc.1",
        "salesproc-answer.1",
        "salesproc-validate.1",
        "salesproc-next.1",
    ] {
        assert!(
            env.read(&format!("out/{f}")).contains(".SH EXAMPLES"),
            "{f}"
        );
    }
    let answer = env.read("out/salesproc-answer.1");
    assert!(
        answer.contains("\n.TH SALESPROC-ANSWER 1 "),
        "{}",
        &answer[..100]
    );
}
