//! `add`

use crate::Env;

#[test]
fn add_writes_a_record_at_research() {
    let env = Env::new();
    let r = env
        .run(&[
            "add",
            "Müller & Söhne GmbH",
            "--contact",
            "Jane Doe",
            "--title",
            "VP Operations",
            "--email",
            "jane@acme.example",
            "--owner",
            "kim",
        ])
        .ok();
    assert_eq!(r.stdout, "muller-sohne-gmbh\n");
    assert!(r.stderr.contains("added muller-sohne-gmbh"));
    assert_eq!(
        env.read("pipe/prospects/muller-sohne-gmbh.yaml"),
        "name: Müller & Söhne GmbH\ncontact:\n  name: Jane Doe\n  title: VP Operations\n  email: jane@acme.example\nowner: kim\nstage: research\nstatus: open\nhistory:\n- at: \"2026-11-27T10:00:00Z\"\n  by: sam\n  event: created\n  step: research\n"
    );
}

/// Issue 12 #1: a second `add` of the same company is refused, naming the
/// record that exists; `--id` adds another on purpose.
#[test]
fn adding_an_existing_name_is_refused_unless_an_id_is_given() {
    let env = Env::new();
    assert_eq!(env.run(&["add", "Acme Corp"]).ok().stdout, "acme-corp\n");
    for again in ["Acme Corp", "ACME CORP", "acme corp!"] {
        let r = env.run(&["add", again]).code(1);
        assert!(
            r.stderr.contains("already exists as acme-corp") && r.stderr.contains("--id"),
            "{}",
            r.stderr
        );
        assert_eq!(r.stdout, "");
    }
    assert_eq!(
        env.run(&["add", "Acme Corp", "--id", "acme-corp-berlin"])
            .ok()
            .stdout,
        "acme-corp-berlin\n"
    );
    let entries = std::fs::read_dir(env.pipe().join("prospects"))
        .unwrap()
        .count();
    assert_eq!(entries, 2);
}

#[test]
fn no_name_or_id_writes_outside_prospects() {
    let env = Env::new();
    assert_eq!(
        env.run(&["add", "../../etc/passwd"]).ok().stdout,
        "etc-passwd\n"
    );
    let r = env.run(&["add", "X", "--id", "../evil"]).code(2);
    assert!(r.stderr.contains("not a valid id"), "{}", r.stderr);
    let r = env.run(&["add", "!!!"]).code(2);
    assert!(r.stderr.contains("--id"), "{}", r.stderr);
    let entries: Vec<_> = std::fs::read_dir(env.pipe().join("prospects"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert!(!env.path().join("evil.yaml").exists());
}

#[test]
fn an_explicit_id_is_used_or_refused_when_taken() {
    let env = Env::new();
    assert_eq!(
        env.run(&["add", "Acme Corporation", "--id", "acme"])
            .ok()
            .stdout,
        "acme\n"
    );
    env.run(&["add", "Other", "--id", "acme"]).code(2);
}

/// Eight `add`s of one name at once make one record: the others are
/// refused, as a second `add` later would be (the check is made again under
/// the writers' lock; it once gave the racers `-2`, `-3`…).
#[test]
fn adds_of_one_name_at_once_make_one_record() {
    let env = Env::new();
    let children: Vec<_> = (0..8)
        .map(|_| {
            let mut c = env.cmd();
            c.args(["add", "Racer Inc", "--no-commit"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    let mut ok = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            ok += 1;
        } else {
            assert!(
                err.contains("\"Racer Inc\" already exists as racer-inc"),
                "{err}"
            );
        }
    }
    assert_eq!(ok, 1);
    let files: Vec<_> = std::fs::read_dir(env.pipe().join("prospects"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files, ["racer-inc.yaml"]);
}

/// An `--id` too long for a file name is refused before anything is written.
#[test]
fn a_too_long_id_is_refused() {
    let env = Env::new();
    let long = "a".repeat(300);
    let r = env.run(&["add", "Acme", "--id", &long]).code(2);
    assert!(
        r.stderr
            .contains("--id is 300 characters long; an id has at most 120"),
        "{}",
        r.stderr
    );
    assert!(
        !env.pipe().join("prospects").exists()
            || std::fs::read_dir(env.pipe().join("prospects"))
                .unwrap()
                .next()
                .is_none()
    );
    env.run(&["add", "Acme", "--id", &"a".repeat(120)]).ok();
}
