//! `init`

use crate::{Env, git};

#[test]
fn init_makes_a_git_pipeline_folder_with_a_first_commit() {
    let env = Env::new();
    env.run(&["init", "deals"]).ok();
    let d = env.path().join("deals");
    for f in [
        "salesproc.yaml",
        ".gitattributes",
        ".gitignore",
        "checklists/process.yaml",
        "checklists/agree.yaml",
        "prospects/.gitkeep",
    ] {
        assert!(d.join(f).is_file(), "{f} missing");
    }
    assert_eq!(
        env.read("deals/.gitattributes"),
        "prospects/*.yaml merge=salesproc\n"
    );
    assert!(env.read("deals/.gitignore").contains(".salesproc.lock"));
    assert_eq!(git(&env, &d, &["log", "--format=%s"]), "salesproc init\n");
    assert_eq!(git(&env, &d, &["status", "--porcelain"]), "");
    let driver = git(&env, &d, &["config", "merge.salesproc.driver"]);
    assert!(driver.trim().ends_with("merge-file %O %A %B"), "{driver}");
}

#[test]
fn init_in_an_existing_clone_only_wires_git_config() {
    let env = Env::new();
    env.run(&["init", "deals"]).ok();
    let d = env.path().join("deals");
    git(&env, env.path(), &["clone", "-q", "deals", "clone"]);
    let c = env.path().join("clone");
    env.run(&["init", "clone"]).ok();
    assert!(git(&env, &c, &["config", "merge.salesproc.driver"]).contains("merge-file"));
    assert_eq!(
        git(&env, &c, &["status", "--porcelain"]),
        "",
        "no tracked file changes"
    );
    assert_eq!(
        git(&env, &c, &["log", "--format=%s"]),
        "salesproc init\n",
        "no new commit"
    );
    let _ = d;
}

#[test]
fn init_without_git() {
    let env = Env::new();
    let r = env.run(&["init", "plain", "--no-git"]).ok();
    assert!(r.stderr.contains("no git"), "{}", r.stderr);
    assert!(env.path().join("plain/salesproc.yaml").is_file());
    assert!(!env.path().join("plain/.git").exists());
}

#[test]
fn the_default_folder_is_created_on_first_write() {
    let env = Env::new();
    let mut c = env.cmd();
    c.env_remove("SALESPROC_DIR").args(["add", "Acme Corp"]);
    let r = crate::output(c, "").ok();
    assert_eq!(r.stdout, "acme-corp\n");
    let p = env
        .path()
        .join("home/.local/share/salesproc/prospects/acme-corp.yaml");
    assert!(p.is_file());
    assert!(
        env.path()
            .join("home/.local/share/salesproc/salesproc.yaml")
            .is_file()
    );
}

#[test]
fn the_nearest_ancestor_with_salesproc_yaml_is_found() {
    let env = Env::new();
    env.run(&["init", "deals", "--no-git"]).ok();
    std::fs::create_dir_all(env.path().join("deals/prospects/sub")).unwrap();
    let mut c = env.cmd();
    c.env_remove("SALESPROC_DIR")
        .current_dir(env.path().join("deals/prospects/sub"))
        .args(["add", "Nested Co"]);
    crate::output(c, "").ok();
    assert!(env.path().join("deals/prospects/nested-co.yaml").is_file());
}

#[test]
fn init_a_new_pipeline_inside_an_existing_repo_commits_only_its_files() {
    let env = Env::new();
    let repo = env.path().join("mono");
    std::fs::create_dir_all(&repo).unwrap();
    git(&env, &repo, &["init", "-q"]);
    std::fs::write(repo.join("README"), "hello\n").unwrap();
    git(&env, &repo, &["add", "README"]);
    git(&env, &repo, &["commit", "-qm", "first"]);
    std::fs::write(repo.join("scratch.txt"), "not ours\n").unwrap();
    env.run(&["init", "mono/sales"]).ok();
    assert_eq!(
        git(&env, &repo, &["log", "--format=%s"]),
        "salesproc init\nfirst\n"
    );
    let files = git(&env, &repo, &["show", "--name-only", "--format=", "HEAD"]);
    assert!(files.lines().all(|f| f.starts_with("sales/")), "{files}");
    assert_eq!(
        git(&env, &repo, &["status", "--porcelain"]),
        "?? scratch.txt\n"
    );
}
