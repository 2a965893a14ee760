//! Shared folders: file modes and folders that are not set up.

use crate::Env;
use crate::git::run_in;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Runs salesproc under `umask`.
fn with_umask(env: &Env, umask: &str, dir: &Path, args: &[&str]) -> crate::Run {
    let mut c = std::process::Command::new("sh");
    env.hermetic(&mut c);
    c.env_remove("SALESPROC_DIR")
        .current_dir(dir)
        .args(["-c", &format!("umask {umask}; exec salesproc \"$@\""), "sh"])
        .args(args);
    crate::output(c, "")
}

#[test]
fn new_files_follow_the_umask_and_rewrites_keep_the_mode() {
    let env = Env::new();
    with_umask(&env, "022", env.path(), &["init", "deals"]).ok();
    let d = env.path().join("deals");
    assert_eq!(mode(&d.join("salesproc.yaml")), 0o644);
    assert_eq!(mode(&d.join("checklists/qualify.yaml")), 0o644);
    with_umask(&env, "022", &d, &["add", "Acme"]).ok();
    let rec = d.join("prospects/acme.yaml");
    assert_eq!(mode(&rec), 0o644);
    std::fs::set_permissions(&rec, std::fs::Permissions::from_mode(0o664)).unwrap();
    with_umask(&env, "077", &d, &["answer", "acme", "industry", "Retail"]).ok();
    assert_eq!(mode(&rec), 0o664, "a rewrite keeps the mode");
    with_umask(&env, "002", &d, &["add", "Beta"]).ok();
    assert_eq!(mode(&d.join("prospects/beta.yaml")), 0o664);
    with_umask(&env, "002", env.path(), &["init", "team"]).ok();
    assert_eq!(mode(&env.path().join("team/salesproc.yaml")), 0o664);
}

#[test]
fn a_folder_with_prospects_but_no_salesproc_yaml_is_reported() {
    let env = Env::new();
    env.run(&["init", "deals", "--no-git"]).ok();
    let d = env.path().join("deals");
    run_in(&env, &d, &["add", "Acme"]).ok();
    std::fs::remove_file(d.join("salesproc.yaml")).unwrap();
    for args in [&["list"][..], &["add", "Beta"]] {
        let r = run_in(&env, &d.join("prospects"), args).code(2);
        assert!(
            r.stderr.contains("has prospects/ but no salesproc.yaml"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("salesproc init"), "{}", r.stderr);
    }
    assert!(!env.path().join("home/.local/share/salesproc").exists());
    run_in(&env, &d, &["init"]).ok();
    assert_eq!(
        run_in(&env, &d, &["list", "--format", "ids"]).ok().stdout,
        "acme\n"
    );
}
