//! The summary index never gives a wrong answer: every change to the folder
//! gives byte-identical output to a run without the index.

use crate::{Env, Run, git};
use std::path::Path;
use std::time::Duration;

const READS: &[&[&str]] = &[
    &["list", "--format", "json"],
    &["pipeline", "--format", "json"],
    // A replay at a past date (from the lean row's stage and the events).
    &["pipeline", "--as-of", "2026-09-15", "--format", "json"],
    &["personas", "--format", "json"],
    &["insights", "--format", "json"],
    // The grouped table and document (the readers group a run read whole
    // from the index), and a filter they group by.
    &["insights"],
    &["insights", "--format", "markdown"],
    &["insights", "--for", "marketing", "--since", "2026-09-15"],
    &["list", "--stale", "--format", "csv"],
    // Ids, picked out and sorted by what the lean row keeps.
    &["list", "--stale", "--sort", "name", "--format", "ids"],
    &["list", "--owner", "kim", "--due", "--format", "ids"],
    &[
        "list",
        "--phase",
        "qualification",
        "--sort",
        "follow-up",
        "--format",
        "ids",
    ],
    // The table, made of the lines the index keeps (due follow-ups
    // coloured for the day), by activity, by name and picked out.
    &["list", "--color", "always"],
    &["list", "--sort", "name", "--limit", "5"],
    &[
        "list",
        "--status",
        "open",
        "--sort",
        "follow-up",
        "--color",
        "always",
    ],
];

fn run_index(env: &Env, args: &[&str], index: bool) -> Run {
    let mut c = env.cmd();
    c.args(args).env("SALESPROC_DEBUG_INDEX", "1");
    if !index {
        c.env("SALESPROC_NO_INDEX", "1");
    }
    crate::output(c, "")
}

/// Every report gives the same bytes with and without the index; returns
/// the index's stderr line of the first one.
#[track_caller]
fn same(env: &Env, when: &str) -> String {
    let mut first = None;
    for args in READS {
        let with = run_index(env, args, true);
        let without = run_index(env, args, false);
        assert_eq!(with.stdout, without.stdout, "{when}: {args:?}");
        assert_eq!(with.code, without.code, "{when}: {args:?}");
        first.get_or_insert(with.stderr);
    }
    // The HTML report (its voice grouped by the readers too, and by the
    // same words under any question).
    let page = |index: bool| {
        let file = env.pipe().join(format!("report-{index}.html"));
        let r = run_index(env, &["report", "--html", file.to_str().unwrap()], index);
        (r.code, std::fs::read_to_string(&file).unwrap_or_default())
    };
    assert_eq!(page(true), page(false), "{when}: report --html");
    first.unwrap_or_default()
}

/// Copies the demo's records into the test pipeline.
fn demo(env: &Env, n: usize) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/prospects");
    let dst = env.pipe().join("prospects");
    std::fs::create_dir_all(&dst).unwrap();
    std::fs::write(env.pipe().join("salesproc.yaml"), "").unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&src)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    for f in files.into_iter().take(n) {
        std::fs::copy(&f, dst.join(f.file_name().unwrap())).unwrap();
    }
}

/// Lets the files age past the racy window, so index entries are trusted.
fn settle() {
    std::thread::sleep(Duration::from_millis(2100));
}

/// A test folder of `n` demo records, settled, with an index built cold.
fn indexed_demo(n: usize) -> Env {
    let env = Env::new();
    demo(&env, n);
    settle();
    same(&env, "cold");
    env
}

/// Lets the files settle and runs once more (the runs so far may all have
/// come within the racy window of the last change), then compares again.
#[track_caller]
fn settled(env: &Env, when: &str) -> String {
    settle();
    same(env, &format!("{when}, settling"));
    same(env, when)
}

/// The files in `dir`, sorted.
fn record_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}

fn mtime(p: &Path) -> std::time::SystemTime {
    std::fs::metadata(p).unwrap().modified().unwrap()
}

#[test]
fn the_index_follows_every_change_to_the_folder() {
    let env = Env::new();
    demo(&env, 12);
    settle();
    let s = same(&env, "cold");
    assert!(s.contains("0 fresh, 12 parsed, written: yes"), "{s}");
    let s = same(&env, "warm");
    assert!(s.contains("12 fresh, 0 parsed, written: no"), "{s}");

    // An in-place edit of the same size, with the old modification time put
    // back (as a same-second edit would leave it).
    let dir = env.pipe().join("prospects");
    let file = dir.join("coho-winery.yaml");
    let before = mtime(&file);
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen("name: Coho Winery", "name: Coho Wineri", 1);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&file, &edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(before)
        .unwrap();
    let s = same(&env, "edited in place");
    assert!(s.contains("11 fresh, 1 parsed"), "{s}");
    let list = run_index(&env, &["list", "--format", "csv"], true);
    assert!(list.stdout.contains("Coho Wineri"), "{}", list.stdout);

    // Deleted, added, touched without change.
    std::fs::remove_file(dir.join("alpine-ski-house.yaml")).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/prospects");
    std::fs::copy(
        src.join("fabrikam-freight.yaml"),
        dir.join("fabrikam-freight.yaml"),
    )
    .unwrap();
    same(&env, "deleted and added");
    std::fs::File::options()
        .write(true)
        .open(dir.join("city-power-light.yaml"))
        .unwrap()
        .set_modified(std::time::SystemTime::now())
        .unwrap();
    same(&env, "touched");

    // A corrupt or truncated index is ignored and rebuilt.
    let index = env.pipe().join(".salesproc/index");
    let bytes = std::fs::read(&index).unwrap();
    std::fs::write(&index, &bytes[..bytes.len() / 2]).unwrap();
    let s = same(&env, "truncated index");
    assert!(s.contains("0 fresh"), "{s}");
    let mut bytes = std::fs::read(&index).unwrap();
    let mid = bytes.len() / 3;
    bytes[mid] ^= 0x55;
    std::fs::write(&index, &bytes).unwrap();
    same(&env, "flipped byte");
    std::fs::write(&index, b"not an index").unwrap();
    same(&env, "foreign file");

    // A changed checklist changes what the summaries say (progress, personas).
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists/qualify.yaml"),
    )
    .unwrap();
    assert!(builtin.contains("persona: buyer-role"));
    env.file(
        "pipe/checklists/qualify.yaml",
        &builtin.replace("persona: buyer-role", "persona: the-role"),
    );
    let s = same(&env, "checklist changed");
    assert!(s.contains("0 fresh"), "{s}");
}

/// A few records changed under a warm index go in a delta beside it, and
/// the index is not written again; past the delta's limit the index is.
/// A delta beside another index, or corrupt, is not used. Every answer
/// stays the same as without the index.
#[test]
fn a_few_changed_records_go_in_a_delta_beside_the_index() {
    let env = indexed_demo(40);
    let s = same(&env, "warm");
    assert!(s.contains("40 fresh, 0 parsed, written: no"), "{s}");
    let index = env.pipe().join(".salesproc/index");
    let delta = env.pipe().join(".salesproc/index.delta");
    let written = std::fs::read(&index).unwrap();
    let dir = env.pipe().join("prospects");
    let files = record_files(&dir);
    // A new owner, in place (the folder's key does not change).
    let reown = |f: &Path, to: &str| {
        let text = std::fs::read_to_string(f).unwrap();
        let line = text.lines().find(|l| l.starts_with("owner: ")).unwrap();
        std::fs::write(f, text.replacen(line, &format!("owner: {to}"), 1)).unwrap();
    };
    reown(&files[3], "zed");
    let s = same(&env, "one edited in place");
    assert!(
        s.contains("39 fresh, 1 parsed, written: delta, listed: from the index"),
        "{s}"
    );
    assert!(delta.exists());
    assert_eq!(
        std::fs::read(&index).unwrap(),
        written,
        "the index is left as it was"
    );
    let list = run_index(&env, &["list", "--owner", "zed", "--format", "ids"], true);
    assert_eq!(
        list.stdout,
        format!("{}\n", files[3].file_stem().unwrap().to_str().unwrap())
    );
    // Once settled, the delta's entry is fresh (after one more run: the
    // runs so far may all have come within the racy window of the edit);
    // a second record joins it.
    let s = settled(&env, "settled");
    assert!(s.contains("40 fresh, 0 parsed, written: no"), "{s}");
    reown(&files[20], "zed");
    settle();
    let s = same(&env, "another edited in place");
    assert!(s.contains("39 fresh, 1 parsed, written: delta"), "{s}");
    let s = same(&env, "both in the delta");
    assert!(s.contains("40 fresh, 0 parsed, written: no"), "{s}");
    let list = run_index(&env, &["list", "--owner", "zed", "--format", "ids"], true);
    assert_eq!(list.stdout.lines().count(), 2, "{}", list.stdout);

    // Replaced whole (a new file renamed over the old one, as salesproc and
    // many editors write): the folder's key changes, its ids do not.
    let f = &files[30];
    let text = std::fs::read_to_string(f).unwrap();
    let tmp = dir.join(".replacing");
    std::fs::write(&tmp, text.replacen("stage: ", "# replaced\nstage: ", 1)).unwrap();
    std::fs::rename(&tmp, f).unwrap();
    let s = same(&env, "replaced whole");
    assert!(s.contains("written: delta, listed: from the folder"), "{s}");
    settle();
    same(&env, "replaced whole, settled");
    let s = same(&env, "replaced whole, settled, again");
    assert!(
        s.contains("40 fresh, 0 parsed, written: no, listed: from the index"),
        "{s}"
    );

    // A corrupt delta, or one beside another index, is not used.
    let mut bytes = std::fs::read(&delta).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    std::fs::write(&delta, &bytes).unwrap();
    let s = same(&env, "corrupt delta");
    assert!(s.contains("parsed, written: delta"), "{s}");
    settle();
    let kept = std::fs::read(&delta).unwrap();
    std::fs::remove_file(&index).unwrap();
    let s = same(&env, "index rebuilt");
    assert!(s.contains("0 fresh, 40 parsed, written: yes"), "{s}");
    assert!(!delta.exists(), "a new index removes the delta");
    std::fs::write(&delta, kept).unwrap();
    settle();
    let s = same(&env, "a delta of another index");
    assert!(s.contains("40 fresh, 0 parsed"), "{s}");

    // More changed records than a delta holds (32 beside a small index):
    // the index is written again, and the delta goes.
    for f in &files[..34] {
        reown(f, "yan");
    }
    let r = run_index(&env, &["list"], true);
    assert!(
        r.stderr.contains("6 fresh, 34 parsed, written: yes"),
        "{}",
        r.stderr
    );
    assert!(!delta.exists());
    same(&env, "many edited in place");
    let s = settled(&env, "many edited");
    assert!(s.contains("40 fresh, 0 parsed, written: no"), "{s}");
}

/// An entry with a corrupt part that commands reading rows never read is
/// made again from its file when the index is rewritten whole (it used to
/// abandon every rewrite, so changed records were parsed on every run).
#[test]
fn a_corrupt_part_is_made_again_when_the_index_is_rewritten() {
    let env = indexed_demo(12);
    same(&env, "warm");
    let index = env.pipe().join(".salesproc/index");
    let mut bytes = std::fs::read(&index).unwrap();
    // Coho Winery's industry: kept in its details, not its row or line.
    let needle = b"Food and beverage";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    bytes[at] ^= 0x20;
    std::fs::write(&index, &bytes).unwrap();
    let r = run_index(&env, &["list", "--format", "ids"], true);
    assert!(
        r.stderr.contains("12 fresh, 0 parsed, written: no"),
        "{}",
        r.stderr
    );
    // A record after it renamed in place: the index is rewritten whole,
    // Coho Winery's entry copied on the way (and made again).
    let file = env.pipe().join("prospects/contoso-retail.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("name: Contoso Retail", "name: Contoso Shops", 1),
    )
    .unwrap();
    let r = run_index(&env, &["list", "--format", "ids"], true);
    assert!(
        r.stderr.contains("11 fresh, 1 parsed, written: yes"),
        "{}",
        r.stderr
    );
    settle();
    same(&env, "rewritten");
    let r = run_index(&env, &["insights", "--format", "json"], true);
    assert!(
        r.stderr.contains("12 fresh, 0 parsed, written: no"),
        "{}",
        r.stderr
    );
}

/// A corrupt voice in the index (a flipped letter of a thing said): the
/// report that groups runs of records from the index's bytes gives the
/// same as without the index, and the index is not trusted for it.
#[test]
fn a_corrupt_voice_in_the_index_is_read_from_the_record() {
    let env = indexed_demo(12);
    same(&env, "warm");
    let r = run_index(&env, &["insights"], true);
    assert!(r.stderr.contains("voices grouped: 1 runs"), "{}", r.stderr);
    let index = env.pipe().join(".salesproc/index");
    let mut bytes = std::fs::read(&index).unwrap();
    let needle = b"Read our guide on stock planning";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    bytes[at] ^= 0x20;
    std::fs::write(&index, &bytes).unwrap();
    let with = run_index(&env, &["insights"], true);
    let without = run_index(&env, &["insights"], false);
    assert_eq!(with.stdout, without.stdout);
    assert!(with.stdout.contains("Read our guide on stock planning"));
    assert!(with.stderr.contains("1 parsed"), "{}", with.stderr);
    assert!(
        with.stderr.contains("voices grouped: 0 runs"),
        "{}",
        with.stderr
    );
    same(&env, "after a corrupt voice");
}

#[test]
fn git_checkout_of_an_older_version_is_seen() {
    let env = Env::new();
    demo(&env, 5);
    git(&env, &env.pipe(), &["init", "-q"]);
    git(&env, &env.pipe(), &["add", "-A"]);
    git(&env, &env.pipe(), &["commit", "-qm", "base"]);
    settle();
    same(&env, "cold");
    env.run(&[
        "--no-commit",
        "answer",
        "alpine-ski-house",
        "research/industry",
        "Retail",
    ])
    .ok();
    same(&env, "after a write");
    git(&env, &env.pipe(), &["stash", "-q"]);
    same(&env, "after git stash");
    git(&env, &env.pipe(), &["stash", "pop", "-q"]);
    same(&env, "after git stash pop");
    git(
        &env,
        &env.pipe(),
        &["checkout", "HEAD", "--", "prospects/alpine-ski-house.yaml"],
    );
    same(&env, "after git checkout");
}

#[test]
fn two_processes_building_the_index_at_once_both_answer_right() {
    let env = Env::new();
    demo(&env, 40);
    let expected = run_index(&env, &["pipeline", "--format", "json"], false).stdout;
    for _ in 0..3 {
        let _ = std::fs::remove_file(env.pipe().join(".salesproc/index"));
        let spawn = || {
            let mut c = env.cmd();
            c.args(["pipeline", "--format", "json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            c.spawn().unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
        }
    }
    same(&env, "after the race");
}

#[test]
fn no_index_bypasses_it_entirely() {
    let env = Env::new();
    demo(&env, 3);
    run_index(&env, &["list"], false).ok();
    assert!(!env.pipe().join(".salesproc/index").exists());
    run_index(&env, &["list"], true).ok();
    assert!(env.pipe().join(".salesproc/index").exists());
    // The index keeps itself out of git; hooks/ may be committed.
    assert_eq!(
        env.read("pipe/.salesproc/.gitignore"),
        "# per clone: never committed, except hooks/\n/*\n!/hooks/\n"
    );
}

#[test]
fn names_and_prefixes_are_found_through_the_lookup_and_checked() {
    let env = Env::new();
    demo(&env, 12);
    let file = env.pipe().join("prospects/bellows-college.yaml");
    let rename = |from: &str, to: &str| {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from));
        std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    };
    rename("name: Bellows College", "name: Bellows University");
    settle();
    run_index(&env, &["list"], true).ok();
    let r = run_index(
        &env,
        &["show", "bellows university", "--format", "ids"],
        true,
    )
    .ok();
    assert_eq!(r.stdout, "bellows-college\n");
    assert!(r.stderr.contains("from the lookup file"), "{}", r.stderr);
    let r = run_index(&env, &["show", "bell", "--format", "ids"], true).ok();
    assert_eq!(r.stdout, "bellows-college\n");
    assert!(r.stderr.contains("from the lookup file"), "{}", r.stderr);
    let r = run_index(&env, &["show", "contoso", "--format", "ids"], true).code(2);
    assert!(
        r.stderr
            .contains("matches more than one prospect: contoso-pharmaceuticals, contoso-retail"),
        "{}",
        r.stderr
    );

    // A name changed in place (the folder's time does not move): the old
    // name is checked against the record and not trusted; the new one is
    // found by reading the folder.
    rename("name: Bellows University", "name: Bellows Academy");
    run_index(&env, &["show", "Bellows University"], true).code(2);
    let r = run_index(&env, &["show", "bellows academy", "--format", "ids"], true).ok();
    assert_eq!(r.stdout, "bellows-college\n");

    // A record added: the folder changed, so the lookup is not used.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/prospects");
    std::fs::copy(
        src.join("fabrikam-freight.yaml"),
        env.pipe().join("prospects/fabrikam-freight.yaml"),
    )
    .unwrap();
    let r = run_index(&env, &["show", "fabrik", "--format", "ids"], true).ok();
    assert_eq!(r.stdout, "fabrikam-freight\n");
    assert!(!r.stderr.contains("from the lookup file"), "{}", r.stderr);
}

#[test]
fn a_settled_folder_is_listed_from_the_index_and_edits_in_place_are_still_seen() {
    let env = Env::new();
    demo(&env, 12);
    settle();
    let s = same(&env, "cold");
    assert!(s.contains("listed: from the folder"), "{s}");
    let s = same(&env, "warm");
    assert!(
        s.contains("12 fresh, 0 parsed, written: no, listed: from the index"),
        "{s}"
    );

    // An editor that rewrites the file in place (truncate and write, as VS
    // Code does) leaves the folder's time alone: each file's own key shows it.
    let dir = env.pipe().join("prospects");
    let before = mtime(&dir);
    let file = dir.join("coho-winery.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    {
        use std::io::Write;
        let mut f = std::fs::File::options()
            .write(true)
            .truncate(true)
            .open(&file)
            .unwrap();
        f.write_all(
            text.replacen("name: Coho Winery", "name: Coho Vineyard", 1)
                .as_bytes(),
        )
        .unwrap();
    }
    assert_eq!(
        mtime(&dir),
        before,
        "an edit in place moved the folder's time"
    );
    let s = same(&env, "edited in place");
    assert!(s.contains("11 fresh, 1 parsed"), "{s}");
    assert!(s.contains("listed: from the index"), "{s}");
    let list = run_index(&env, &["list", "--format", "csv"], true);
    assert!(list.stdout.contains("Coho Vineyard"), "{}", list.stdout);

    // A new file moves the folder's time: the folder is listed again.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/prospects");
    std::fs::copy(
        src.join("fabrikam-freight.yaml"),
        dir.join("fabrikam-freight.yaml"),
    )
    .unwrap();
    let s = same(&env, "added");
    assert!(s.contains("listed: from the folder"), "{s}");
    let list = run_index(&env, &["list", "--format", "ids"], true);
    assert!(list.stdout.contains("fabrikam-freight"), "{}", list.stdout);
    settle();
    same(&env, "settled again");
    let s = same(&env, "warm again");
    assert!(
        s.contains("13 fresh, 0 parsed, written: no, listed: from the index"),
        "{s}"
    );

    // A file that is skipped with a warning keeps the folder listed every
    // time, so the warning is never lost.
    std::fs::write(dir.join("Bad Name.yaml"), "name: x\n").unwrap();
    settle();
    for when in ["skipped file", "skipped file, warm"] {
        let s = same(&env, when);
        assert!(s.contains("listed: from the folder"), "{when}: {s}");
        assert!(s.contains("Bad Name.yaml"), "{when}: {s}");
    }
}

#[test]
fn an_unreadable_record_does_not_make_every_command_write_the_index() {
    let env = Env::new();
    demo(&env, 6);
    settle();
    same(&env, "cold");
    let file = env.pipe().join("prospects/adatum-insurance.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("name:", "name: [", 1)).unwrap();
    settle();
    same(&env, "broken");
    for when in ["broken, again", "broken, a third time"] {
        let s = same(&env, when);
        assert!(s.contains("5 fresh, 1 parsed, written: no"), "{when}: {s}");
        assert!(s.contains("adatum-insurance.yaml"), "{when}: {s}");
    }
    std::fs::write(&file, text).unwrap();
    let s = same(&env, "fixed");
    // Its entry goes beside the index, in the delta.
    assert!(s.contains("5 fresh, 1 parsed, written: delta"), "{s}");

    // A record that was never readable has no entry: the folder is listed
    // every time, so it is reported every time, and the index stays.
    std::fs::write(env.pipe().join("prospects/broken.yaml"), "name: [\n").unwrap();
    settle();
    same(&env, "new and broken");
    for when in ["new and broken, again", "new and broken, a third time"] {
        let s = same(&env, when);
        assert!(
            s.contains("6 fresh, 1 parsed, written: no, listed: from the folder"),
            "{when}: {s}"
        );
        assert!(s.contains("broken.yaml"), "{when}: {s}");
    }
}

/// `show` gives the same answer with and without the index and lookup.
#[track_caller]
fn same_show(env: &Env, spec: &str, when: &str) -> Run {
    let args = ["show", spec, "--format", "ids"];
    let with = run_index(env, &args, true);
    let without = run_index(env, &args, false);
    assert_eq!(with.stdout, without.stdout, "{when}: show {spec}");
    assert_eq!(
        with.code, without.code,
        "{when}: show {spec}: {}",
        with.stderr
    );
    with
}

/// A record edited in place while the index and the lookup are whole: the
/// scan that finds it writes both again, and the new lookup still names
/// every record (those read before the edit was found, and after).
#[test]
fn a_lookup_written_again_after_an_edit_in_place_names_every_record() {
    let env = Env::new();
    demo(&env, 12);
    let dir = env.pipe().join("prospects");
    let files = record_files(&dir);
    let name_of = |p: &Path| {
        let text = std::fs::read_to_string(p).unwrap();
        let line = text.lines().find(|l| l.starts_with("name: ")).unwrap();
        line["name: ".len()..].trim_matches('"').to_string()
    };
    // Names that are not their ids' words, so `show` looks them up.
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let name = name_of(f);
        std::fs::write(
            f,
            text.replacen(&format!("name: {name}"), &format!("name: The {name}"), 1),
        )
        .unwrap();
    }
    settle();
    run_index(&env, &["list"], true).ok();
    let r = run_index(&env, &["list"], true).ok();
    assert!(r.stderr.contains("12 fresh"), "{}", r.stderr);
    // The third record by id, so entries come both before and after it.
    let edited = &files[2];
    let old = name_of(edited);
    let text = std::fs::read_to_string(edited).unwrap();
    std::fs::write(
        edited,
        text.replacen(&format!("name: {old}"), "name: Zz Renamed", 1),
    )
    .unwrap();
    let r = run_index(&env, &["list"], true).ok();
    assert!(r.stderr.contains("1 parsed, written: yes"), "{}", r.stderr);
    for f in &files {
        let id = f.file_stem().unwrap().to_str().unwrap();
        let name = name_of(f);
        let r = run_index(&env, &["show", &name, "--format", "ids"], true).ok();
        assert_eq!(r.stdout, format!("{id}\n"), "{name}");
        assert!(
            r.stderr.contains("by name from the lookup file"),
            "{name}: {}",
            r.stderr
        );
    }
}

#[test]
fn prefixes_and_names_never_miss_a_record_the_folder_has() {
    let env = Env::new();
    demo(&env, 12);
    settle();
    run_index(&env, &["list"], true).ok();
    let dir = env.pipe().join("prospects");

    // A name given in place to a second record (the folder does not change):
    // the name is now ambiguous, as reading every record says.
    let rename = |file: &str, from: &str, to: &str| {
        let p = dir.join(file);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{file}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    };
    rename("coho-winery.yaml", "name: Coho Winery", "name: Zed Co");
    settle();
    run_index(&env, &["list"], true).ok();
    same_show(&env, "Zed Co", "one Zed Co");
    rename(
        "bellows-college.yaml",
        "name: Bellows College",
        "name: Zed Co",
    );
    // A read may take the name from the lookup while the record it names
    // there still has it: the one renamed in place is not seen yet...
    let r = run_index(&env, &["show", "Zed Co", "--format", "ids"], true).ok();
    assert_eq!(r.stdout, "coho-winery\n");
    assert!(
        r.stderr.contains("by name from the lookup file"),
        "{}",
        r.stderr
    );
    // ...while a write reads every record for a name, and refuses the
    // ambiguity; reading every record also writes the lookup again.
    for write in [
        &["follow-up", "Zed Co", "2027-01-04", "call", "--no-commit"][..],
        &[
            "decide",
            "Zed Co",
            "later",
            "--why",
            "budget",
            "--no-commit",
        ],
    ] {
        let r = run_index(&env, write, true).code(2);
        assert!(
            r.stderr.contains("matches more than one prospect"),
            "{write:?}: {}",
            r.stderr
        );
    }
    let r = same_show(&env, "Zed Co", "two Zed Cos");
    assert_eq!(r.code, 2, "{}", r.stderr);

    // A record that cannot be read still shares its id's prefix.
    std::fs::write(dir.join("coho-broken.yaml"), "name: [\n").unwrap();
    settle();
    run_index(&env, &["list"], true).code(1);
    let r = same_show(&env, "coho", "an unreadable coho");
    assert_eq!(r.code, 2, "{}", r.stderr);
    // Mended in place to a name another record has: the lookup had no name
    // for it, so names are read from every record.
    std::fs::write(
        dir.join("coho-broken.yaml"),
        std::fs::read_to_string(dir.join("coho-winery.yaml")).unwrap(),
    )
    .unwrap();
    let r = same_show(&env, "Zed Co", "mended in place");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        !r.stderr.contains("by name from the lookup"),
        "{}",
        r.stderr
    );
    std::fs::remove_file(dir.join("coho-broken.yaml")).unwrap();

    // A file added, then the folder's time put back (as `cp -a` or
    // `touch -d` do): its change time still moved, so the lookup is not used.
    settle();
    run_index(&env, &["list"], true).ok();
    let before = mtime(&dir);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/prospects");
    std::fs::copy(
        src.join("coho-winery.yaml"),
        dir.join("coho-vineyards.yaml"),
    )
    .unwrap();
    std::fs::File::open(&dir)
        .unwrap()
        .set_modified(before)
        .unwrap();
    assert_eq!(mtime(&dir), before);
    let r = same_show(&env, "coho", "added with the folder's time put back");
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn a_symlinked_record_whose_target_goes_away_is_named_as_without_the_index() {
    let env = Env::new();
    demo(&env, 4);
    let ext = env.pipe().join("ext");
    std::fs::create_dir_all(&ext).unwrap();
    let dir = env.pipe().join("prospects");
    std::fs::rename(dir.join("adatum-insurance.yaml"), ext.join("real.yaml")).unwrap();
    std::os::unix::fs::symlink("real.yaml", ext.join("link")).unwrap();
    std::os::unix::fs::symlink("../ext/link", dir.join("adatum-insurance.yaml")).unwrap();
    settle();
    same(&env, "cold");
    let s = same(&env, "warm");
    assert!(s.contains("listed: from the index"), "{s}");
    // The middle link now leads nowhere; `prospects/` did not change.
    std::fs::remove_file(ext.join("link")).unwrap();
    std::os::unix::fs::symlink("nothere", ext.join("link")).unwrap();
    let warnings = |index: bool| -> String {
        let r = run_index(&env, &["list", "--format", "ids"], index);
        r.stderr
            .lines()
            .filter(|l| !l.starts_with("index:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let with = warnings(true);
    assert_eq!(with, warnings(false));
    assert!(with.contains("adatum-insurance.yaml"), "{with}");
    // Or to a folder.
    std::fs::remove_file(ext.join("link")).unwrap();
    std::os::unix::fs::symlink(".", ext.join("link")).unwrap();
    let with = warnings(true);
    assert_eq!(with, warnings(false));
    assert!(with.contains("not a regular file"), "{with}");
}
