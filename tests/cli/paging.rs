//! Colour and paging decisions, on a real pseudo-terminal and on pipes.

use crate::Env;
use expectrl::{Eof, Expect, Session};
use std::process::Command;
use std::time::Duration;

/// Everything a command printed on a pseudo-terminal, with `env` set.
fn on_tty(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> String {
    let mut c = Command::new(crate::bin());
    env.hermetic(&mut c);
    c.args(args);
    for (k, v) in vars {
        c.env(k, v);
    }
    let mut s = Session::spawn(c).expect("spawn in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    let out = s.expect(Eof).expect("the command ends");
    String::from_utf8_lossy(out.get(0).unwrap_or_default()).into_owned()
}

const PAGER: &str = "sed 's/^/PAGED: /'";

#[test]
fn show_log_and_insights_go_through_the_pager_on_a_terminal_only() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[("industry", "Logistics")]);
    env.run(&["insight", &id, "--for", "product", "Needs SSO"])
        .ok();
    for args in [&["show", id.as_str()][..], &["log", &id], &["insights"]] {
        let paged = on_tty(&env, args, &[("PAGER", PAGER), ("TERM", "dumb")]);
        assert!(paged.contains("PAGED: "), "{args:?}: {paged}");
        let direct = on_tty(
            &env,
            &[args, &["--no-pager"]].concat(),
            &[("PAGER", PAGER), ("TERM", "dumb")],
        );
        assert!(!direct.contains("PAGED"), "{args:?} --no-pager: {direct}");
        assert!(
            direct.contains("Acme Corp")
                || direct.contains("Needs SSO")
                || direct.contains("created"),
            "{direct}"
        );
        // Not a terminal: never paged.
        let piped = env.cmd_with(|c| {
            c.env("PAGER", PAGER).args(args);
        });
        assert_eq!(piped.code, 0);
        assert!(
            !piped.stdout.contains("PAGED"),
            "{args:?} piped: {}",
            piped.stdout
        );
    }
    // JSON is data, never paged; PAGER=cat or empty prints directly.
    let json = on_tty(
        &env,
        &["show", &id, "--format", "json"],
        &[("PAGER", PAGER)],
    );
    assert!(!json.contains("PAGED"), "{json}");
    for pager in ["cat", ""] {
        let out = on_tty(&env, &["show", &id], &[("PAGER", pager), ("TERM", "dumb")]);
        assert!(out.contains("Acme Corp") && !out.contains("PAGED"), "{out}");
    }
    // The default pager is less -FRX: a short text is shown and less quits.
    let out = on_tty(&env, &["log", &id], &[("TERM", "xterm")]);
    assert!(out.contains("created"), "{out}");
}

#[test]
fn colour_follows_term_clicolor_and_no_color() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[]);
    let show = |vars: &[(&str, &str)]| on_tty(&env, &["show", &id, "--no-pager"], vars);
    assert!(
        show(&[("TERM", "xterm-256color")]).contains('\x1b'),
        "a colour terminal gets colour"
    );
    for off in [
        &[("TERM", "dumb")][..],
        &[("TERM", "xterm-256color"), ("CLICOLOR", "0")],
        &[("TERM", "xterm-256color"), ("NO_COLOR", "1")],
    ] {
        assert!(!show(off).contains('\x1b'), "{off:?}");
    }
    assert!(
        on_tty(
            &env,
            &["show", &id, "--no-pager", "--color", "always"],
            &[("TERM", "dumb")]
        )
        .contains('\x1b')
    );
    // On a pipe: none, unless forced.
    let piped = |vars: &[(&str, &str)]| {
        env.cmd_with(|c| {
            c.args(["show", &id]);
            for (k, v) in vars {
                c.env(k, v);
            }
        })
        .stdout
    };
    assert!(!piped(&[]).contains('\x1b'));
    assert!(piped(&[("CLICOLOR_FORCE", "1")]).contains('\x1b'));
    assert!(!piped(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\x1b'));
}
