//! `fmt` and `validate` on named files and on stdin, as a pre-commit hook or
//! an editor's format-on-save calls them; `insight … -` reads its text from
//! stdin.

use crate::Env;

fn messy(env: &Env) -> (String, String) {
    let id = env.prospect("Acme Corp", &[("industry", "Logistics")]);
    let path = format!("pipe/prospects/{id}.yaml");
    let canonical = env.read(&path);
    // Same record, keys out of order: valid, not canonical.
    let mut lines: Vec<&str> = canonical.lines().collect();
    let status = lines.iter().position(|l| l.starts_with("status:")).unwrap();
    let status = lines.remove(status);
    lines.insert(0, status);
    env.file(&path, &(lines.join("\n") + "\n"));
    (id, canonical)
}

#[test]
fn fmt_takes_files_and_stdin() {
    let env = Env::new();
    let (id, canonical) = messy(&env);
    env.prospect("Other Inc", &[]);
    let other = env.read("pipe/prospects/other-inc.yaml");
    env.file("pipe/prospects/other-inc.yaml", &format!("{other}\n\n"));
    let path = env.pipe().join(format!("prospects/{id}.yaml"));
    let path = path.to_str().unwrap();

    // --check on one file names only that file.
    let r = env.run(&["fmt", "--check", path]).code(1);
    assert_eq!(r.stdout, format!("pipe/prospects/{id}.yaml\n"));

    // stdin → canonical text on stdout; the file is untouched.
    let messy_text = env.read(&format!("pipe/prospects/{id}.yaml"));
    let r = env.run_with(&["fmt", "-"], &messy_text).ok();
    assert_eq!(r.stdout, canonical);
    assert_eq!(env.read(&format!("pipe/prospects/{id}.yaml")), messy_text);
    env.run_with(&["fmt", "--check", "-"], &canonical).ok();
    assert_eq!(
        env.run_with(&["fmt", "--check", "-"], &messy_text)
            .code(1)
            .stdout,
        "-\n"
    );

    // One file is rewritten; the other record is left as it was.
    env.run(&["fmt", path]).ok();
    assert_eq!(env.read(&format!("pipe/prospects/{id}.yaml")), canonical);
    assert_eq!(
        env.read("pipe/prospects/other-inc.yaml"),
        format!("{other}\n\n")
    );

    // Without $SALESPROC_DIR, the folder is found from the file.
    let r = env.cmd_with(|c| {
        c.env_remove("SALESPROC_DIR")
            .current_dir("/")
            .args(["fmt", "--check", path]);
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn validate_takes_files_and_stdin() {
    let env = Env::new();
    let good = env.prospect("Good Co", &[]);
    let good_path = env.pipe().join(format!("prospects/{good}.yaml"));
    env.file(
        "pipe/prospects/bad.yaml",
        "name: Bad\nstage: qualfy\nstatus: open\n",
    );
    let good_path = good_path.to_str().unwrap();

    let r = env.run(&["validate", good_path]).ok();
    assert!(r.stderr.contains("ok: 1 file(s) valid"), "{}", r.stderr);

    let r = env.run(&["validate", "pipe/prospects/bad.yaml"]).code(1);
    assert!(
        r.stdout.starts_with("pipe/prospects/bad.yaml:2:"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("unknown stage"), "{}", r.stdout);

    let bad = env.read("pipe/prospects/bad.yaml");
    let r = env.run_with(&["validate", "-"], &bad).code(1);
    assert!(r.stdout.starts_with("-:2:"), "{}", r.stdout);
    let r = env
        .run_with(&["validate", "-", "--format", "json"], &bad)
        .code(1);
    assert!(r.stdout.contains("\"path\": \"-\""), "{}", r.stdout);
    let text = env.read(&format!("pipe/prospects/{good}.yaml"));
    env.run_with(&["validate", "-"], &text).ok();
}

#[test]
fn insight_text_from_stdin() {
    let env = Env::new();
    let id = env.prospect("Acme Corp", &[]);
    env.run_with(
        &["insight", &id, "--for", "product", "-"],
        "Needs SSO with Okta\nbefore any pilot\n",
    )
    .ok();
    let rec = env.read(&format!("pipe/prospects/{id}.yaml"));
    assert!(rec.contains("Needs SSO with Okta\n"), "{rec}");
    assert!(rec.contains("before any pilot"), "{rec}");
    let r = env
        .run_with(&["insight", &id, "--for", "product", "-"], "  \n")
        .code(2);
    assert!(r.stderr.contains("no text on stdin"), "{}", r.stderr);
    env.run_with(&["insight", "-", "--for", "product", "-"], "acme-corp\n")
        .code(2);
}
