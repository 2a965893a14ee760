//! `import`, `export`, `set`, `assign` and the spreadsheet-facing output:
//! CRM exports in, the same records out and back in.

use crate::git::run_in;
use crate::{Env, git};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// A git-backed pipeline folder `deals` with `salesproc.yaml` text.
fn deals(env: &Env, config: &str) -> PathBuf {
    env.run(&["init", "deals"]).ok();
    let d = env.path().join("deals");
    std::fs::write(d.join("salesproc.yaml"), config).unwrap();
    git(env, &d, &["add", "salesproc.yaml"]);
    git(env, &d, &["commit", "-qm", "config"]);
    d
}

fn commits(env: &Env, d: &Path) -> usize {
    git(env, d, &["log", "--oneline"]).lines().count()
}

fn record(d: &Path, id: &str) -> String {
    std::fs::read_to_string(d.join("prospects").join(format!("{id}.yaml")))
        .unwrap_or_else(|e| panic!("{id}: {e}"))
}

#[test]
fn hubspot_export_imports_once_reports_bad_rows_and_is_idempotent() {
    let env = Env::new();
    let d = deals(&env, "currency: EUR\n");
    let csv = fixture("hubspot-deals.csv");
    let before = commits(&env, &d);
    let r = run_in(
        &env,
        &d,
        &["import", "--preset", "hubspot", csv.to_str().unwrap()],
    )
    .code(1);
    // The fixture has `\r\n` line ends, as HubSpot writes them: lines are the file's own.
    assert!(
        r.stderr.contains(
            "hubspot-deals.csv:19: column \"Deal Stage\": unknown stage \"Legal Review\""
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("hubspot-deals.csv:55: column \"Deal Stage\""),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("58 created, 0 updated, 0 skipped, 2 failed"),
        "{}",
        r.stderr
    );
    assert_eq!(
        commits(&env, &d),
        before + 1,
        "one commit for the whole import"
    );
    let subject = git(&env, &d, &["log", "-1", "--format=%s"]);
    assert!(
        subject.contains("58 created, 0 updated, 0 skipped, 2 failed"),
        "{subject}"
    );
    let yamls = std::fs::read_dir(d.join("prospects"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".yaml"))
        .count();
    assert_eq!(yamls, 58);
    // Non-ASCII name, quoted comma amount, a created time, an answer and the external id.
    let m = record(&d, "muller-sohne-gmbh");
    for want in [
        "name: Müller & Söhne GmbH",
        "  name: Björn Ångström",
        "stage: qualify",
        "value: 2500.5",
        "close_date: \"2027-02-02\"",
        "    industry: Retail",
        "- at: \"2026-02-02T09:01:00Z\"",
        "  event: imported\n  step: qualify",
        "hubspot_id: \"90000001\"",
    ] {
        assert!(m.contains(want), "{want:?} in\n{m}");
    }
    // A multi-line note survives as a block; a won deal is won at agree.
    let acme = record(&d, "acme-corp");
    assert!(
        acme.contains("notes: |-\n  Met at the fair.\n  Wants a pilot, \"soon\".\n  Budget: tight"),
        "{acme}"
    );
    let won = record(&d, "lodz-textiles");
    assert!(won.contains("stage: agree\nstatus: won"), "{won}");
    assert!(
        won.contains("outcome: \"yes\"\n  why: imported\n  status: won"),
        "{won}"
    );
    run_in(&env, &d, &["validate"]).ok();
    // Again: nothing changes, no commit.
    let r = run_in(
        &env,
        &d,
        &["import", "--preset", "hubspot", csv.to_str().unwrap()],
    )
    .code(1);
    assert!(
        r.stderr
            .contains("0 created, 0 updated, 58 skipped, 2 failed"),
        "{}",
        r.stderr
    );
    assert_eq!(commits(&env, &d), before + 1);
    // Change three rows: two stage moves and one amount.
    let text = std::fs::read_to_string(&csv).unwrap();
    let changed = text
        .replace(
            "90000001,Müller & Söhne GmbH,Sales Pipeline,Qualified To Buy",
            "90000001,Müller & Söhne GmbH,Sales Pipeline,Contract Sent",
        )
        .replace(
            "90000002,Zürich Logistik AG,Sales Pipeline,Presentation Scheduled",
            "90000002,Zürich Logistik AG,Sales Pipeline,Closed Lost",
        )
        .replace(
            ",Sales Pipeline,Appointment Scheduled,10000,",
            ",Sales Pipeline,Appointment Scheduled,99000,",
        );
    assert_ne!(changed, text);
    env.file("changed.csv", &changed);
    let r = run_in(
        &env,
        &d,
        &[
            "import",
            "--preset",
            "hubspot",
            env.path().join("changed.csv").to_str().unwrap(),
        ],
    )
    .code(1);
    assert!(
        r.stderr
            .contains("0 created, 3 updated, 55 skipped, 2 failed"),
        "{}",
        r.stderr
    );
    let m = record(&d, "muller-sohne-gmbh");
    assert!(m.contains("stage: agree"), "{m}");
    assert!(
        m.contains(
            "event: decided\n  step: qualify\n  outcome: \"yes\"\n  why: imported\n  to: agree"
        ),
        "{m}"
    );
    let z = record(&d, "zurich-logistik-ag");
    assert!(
        z.contains("status: lost") && z.contains("outcome: \"no\"\n  why: imported"),
        "{z}"
    );
    run_in(&env, &d, &["validate"]).ok();
}

#[test]
fn pipedrive_and_salesforce_exports_import_with_status_and_dates() {
    let env = Env::new();
    let d = deals(&env, "");
    let csv = fixture("pipedrive-deals.csv");
    let r = run_in(
        &env,
        &d,
        &["import", "--preset", "pipedrive", csv.to_str().unwrap()],
    )
    .code(1);
    assert!(
        r.stderr.contains(":column \"Deal - Stage\"")
            || r.stderr
                .contains("column \"Deal - Stage\": unknown stage \"Waiting for Godot\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("54 created"), "{}", r.stderr);
    let list = run_in(
        &env,
        &d,
        &[
            "list",
            "--format",
            "json",
            "--columns",
            "id,stage,status,value,close_date,owner",
        ],
    )
    .ok()
    .stdout;
    let rows: serde_json::Value = serde_json::from_str(&list).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 54);
    assert_eq!(rows.iter().filter(|r| r["status"] == "won").count(), 11);
    assert!(
        rows.iter()
            .filter(|r| r["status"] == "won")
            .all(|r| r["stage"] == "agree")
    );
    let e = fixture("salesforce-opportunities.csv");
    let env2 = Env::new();
    let d2 = deals(&env2, "");
    let r = run_in(
        &env2,
        &d2,
        &["import", "--preset", "salesforce", e.to_str().unwrap()],
    )
    .code(1);
    assert!(
        r.stderr.contains("unknown stage \"Pending Budget\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("50 created"), "{}", r.stderr);
    // Month-first dates: 2/2/2027 is February 2nd; amounts with cents.
    let s = record(&d2, "muller-sohne-gmbh-renewal");
    assert!(
        s.contains("close_date: \"2027-02-02\"") && s.contains("value: 6000\n"),
        "{s}"
    );
    assert!(s.contains("salesforce_id: \"006000000000000001\""), "{s}");
    run_in(&env2, &d2, &["validate"]).ok();
}

#[test]
fn pipeline_counts_a_mid_funnel_import_as_entering_at_its_step() {
    let env = Env::new();
    let d = deals(&env, "currency: EUR\n");
    env.file(
        "mid.csv",
        "name,stage,value,created\nAcme,propose,1000,2026-01-05\nBeta,propose,2500,2026-02-01\nGamma,research,,2026-03-01\n",
    );
    run_in(
        &env,
        &d,
        &["import", env.path().join("mid.csv").to_str().unwrap()],
    )
    .ok();
    let json = run_in(&env, &d, &["pipeline", "--format", "json"])
        .ok()
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let step = |id: &str| {
        v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(step("research")["reached"], 1);
    assert_eq!(
        step("present")["reached"],
        0,
        "an import at propose never passed present"
    );
    assert_eq!(step("propose")["reached"], 2);
    assert_eq!(step("propose")["open"], 2);
    assert_eq!(step("propose")["open_value"], 3500.0);
    let text = run_in(&env, &d, &["pipeline"]).ok().stdout;
    assert!(
        text.contains("open value 3500 EUR (propose 3500)"),
        "{text}"
    );
    let acme = record(&d, "acme");
    assert!(
        acme.contains(
            "- at: \"2026-01-05T00:00:00Z\"\n  by: sam\n  event: imported\n  step: propose"
        ),
        "{acme}"
    );
}

#[test]
fn a_rules_file_beside_the_csv_maps_columns_stages_and_answers() {
    let env = Env::new();
    let d = deals(&env, "");
    env.file(
        "sheet.csv",
        "Company;Who;Phase;Deal size;Expected;Sector;Ref\n\
         Acme;Jane Doe;Demo;48.000,00;31/03/2027;Logistics;A-1\n\
         ;Nobody;Demo;1;01/01/2027;Retail;A-2\n\
         Beta;Bob;Demo;lots;01/01/2027;Retail;A-3\n\
         Gamma;Gil;Nowhere;1;32/01/2027;Retail;A-4\n\
         Delta;Dee;Signed;=1+1;01/02/2027;Retail;A-5\n\
         Eps;Eve;Nowhere;1;01/01/2027;Retail;A-6\n",
    );
    env.file(
        "sheet.csv.rules.yaml",
        "delimiter: ';'\ndates: day-first\ndecimal: ','\nkey: sheet_ref\ncolumns:\n  name: Company\n  contact.name: Who\n  stage: Phase\n  value: Deal size\n  close_date: Expected\n  answers.research.industry: Sector\n  external_id: Ref\nstages:\n  Demo: present\n  Signed: agree:won\n",
    );
    let sheet = env.path().join("sheet.csv");
    let r = run_in(
        &env,
        &d,
        &[
            "import",
            "--dry-run",
            "--format",
            "json",
            sheet.to_str().unwrap(),
        ],
    )
    .code(1);
    assert!(
        !d.join("prospects/acme.yaml").exists(),
        "a dry run writes nothing"
    );
    let plan: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(plan[0]["action"], "created");
    assert_eq!(plan[0]["id"], "acme");
    assert_eq!(plan[0]["stage"], "present");
    for want in [
        "sheet.csv:3: column \"Company\": missing name",
        "sheet.csv:4: column \"Deal size\": \"lots\" is not an amount",
        "sheet.csv:5: column \"Expected\": \"32/01/2027\" is not a date",
        "sheet.csv:6: column \"Deal size\": \"=1+1\" is not an amount",
        "sheet.csv:7: column \"Phase\": unknown stage \"Nowhere\"",
    ] {
        assert!(r.stderr.contains(want), "{want:?}: {}", r.stderr);
    }
    let r = run_in(&env, &d, &["import", sheet.to_str().unwrap()]).code(1);
    assert!(
        r.stderr
            .contains("1 created, 0 updated, 0 skipped, 5 failed"),
        "{}",
        r.stderr
    );
    let acme = record(&d, "acme");
    for want in [
        "value: 48000\n",
        "close_date: \"2027-03-31\"",
        "industry: Logistics",
        "sheet_ref: A-1",
        "stage: present",
    ] {
        assert!(acme.contains(want), "{want:?} in {acme}");
    }
    // An unknown target in the rules is an error that names the file.
    env.file("bad.rules.yaml", "columns:\n  nmae: Company\n");
    let r = run_in(
        &env,
        &d,
        &[
            "import",
            "--rules",
            env.path().join("bad.rules.yaml").to_str().unwrap(),
            sheet.to_str().unwrap(),
        ],
    )
    .code(1);
    assert!(
        r.stderr.contains("bad.rules.yaml: unknown target \"nmae\""),
        "{}",
        r.stderr
    );
}

#[test]
fn each_export_imports_back_into_the_same_records() {
    let env = Env::new();
    let d = deals(&env, "currency: EUR\n");
    let csv = fixture("hubspot-deals.csv");
    run_in(
        &env,
        &d,
        &["import", "--preset", "hubspot", csv.to_str().unwrap()],
    )
    .code(1);
    // Salesforce requires a close date: give the deals without one theirs,
    // or its export would fill one in.
    let open = run_in(
        &env,
        &d,
        &["list", "--format", "json", "--columns", "id,close_date"],
    )
    .ok()
    .stdout;
    let open: serde_json::Value = serde_json::from_str(&open).unwrap();
    for r in open
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["close_date"].is_null())
    {
        run_in(
            &env,
            &d,
            &["set", r["id"].as_str().unwrap(), "close-date", "2027-06-30"],
        )
        .ok();
    }
    let cols = "id,name,owner,contact,stage,status,value,close_date";
    let before = run_in(&env, &d, &["list", "--format", "csv", "--columns", cols])
        .ok()
        .stdout;
    for preset in ["hubspot", "pipedrive", "salesforce", "csv"] {
        let out = run_in(&env, &d, &["export", "--preset", preset])
            .ok()
            .stdout;
        let file = env.path().join(format!("{preset}.csv"));
        std::fs::write(&file, &out).unwrap();
        // Into the same folder: nothing changes.
        let mut args = vec!["import", file.to_str().unwrap()];
        if preset != "csv" {
            args.extend(["--preset", preset]);
        }
        let r = run_in(&env, &d, &args).ok();
        assert!(
            r.stderr.contains("0 created, 0 updated, 58 skipped"),
            "{preset}: {}",
            r.stderr
        );
        // Into a new folder: the same records.
        let fresh = env.path().join(format!("fresh-{preset}"));
        env.run(&["init", fresh.to_str().unwrap()]).ok();
        run_in(&env, &fresh, &args).ok();
        let after = run_in(
            &env,
            &fresh,
            &["list", "--format", "csv", "--columns", cols],
        )
        .ok()
        .stdout;
        let sorted = |s: &str| {
            let mut l: Vec<&str> = s.lines().collect();
            l.sort();
            l.join("\n")
        };
        assert_eq!(sorted(&after), sorted(&before), "{preset}");
    }
    // The CRM's required columns and date format.
    let hs = std::fs::read_to_string(env.path().join("hubspot.csv")).unwrap();
    assert!(
        hs.starts_with("Record ID,Deal Name,Pipeline,Deal Stage,Amount,Close Date,"),
        "{hs}"
    );
    assert!(
        hs.contains(",default,Qualified To Buy,2500.5,02/02/2027,"),
        "{hs}"
    );
    let sf = std::fs::read_to_string(env.path().join("salesforce.csv")).unwrap();
    assert!(
        sf.starts_with("Opportunity ID,Opportunity Name,Stage,Amount,Close Date,"),
        "{sf}"
    );
    let wide = std::fs::read_to_string(env.path().join("csv.csv")).unwrap();
    assert!(
        wide.lines().next().unwrap().contains(",extra.hubspot_id,")
            && wide.contains("research.industry"),
        "{wide}"
    );
}

/// `set value` reads an amount as `answer` does: a suffix multiplies, and
/// what reads two ways is refused, changing nothing (it once kept `1.5` of
/// `1.5M` and read `2,5` as 2.5).
#[test]
fn set_value_reads_amounts_as_answer_does() {
    let env = Env::new();
    env.run(&["add", "Acme"]).ok();
    for (typed, stored) in [
        ("1.5M", "1500000"),
        ("48k", "48000"),
        ("48K", "48000"),
        ("€48,000", "48000"),
        ("48 000.50", "48000.5"),
    ] {
        env.run(&["set", "acme", "value", typed, "--no-commit"])
            .ok();
        let rec = env.read("pipe/prospects/acme.yaml");
        assert!(
            rec.contains(&format!("\nvalue: {stored}\n")),
            "{typed}: {rec}"
        );
    }
    for typed in ["2,5", "1.000,50", "250.000", "lots"] {
        let r = env
            .run(&["set", "acme", "value", typed, "--no-commit"])
            .code(2);
        assert!(
            r.stderr.contains("hint: write 48000"),
            "{typed}: {}",
            r.stderr
        );
        assert!(
            env.read("pipe/prospects/acme.yaml")
                .contains("\nvalue: 48000.5\n")
        );
    }
    let r = env.run(&["set", "acme", "value", "2,5"]).code(2);
    assert!(r.stderr.contains("is ambiguous"), "{}", r.stderr);
}

#[test]
fn set_assign_and_owner_default() {
    let env = Env::new();
    env.file("pipe/salesproc.yaml", "me: kim\ncurrency: EUR\n");
    env.run(&["add", "Acme"]).ok();
    assert!(env.read("pipe/prospects/acme.yaml").contains("owner: kim"));
    env.run(&["set", "acme", "value", "48,000"]).ok();
    env.run(&["set", "acme", "close-date", "2027-03-31"]).ok();
    env.run(&["set", "acme", "value", "lots"]).code(2);
    env.run(&["assign", "acme", "bob"]).ok();
    let rec = env.read("pipe/prospects/acme.yaml");
    assert!(
        rec.contains(
            "owner: bob\nstage: research\nstatus: open\nvalue: 48000\nclose_date: \"2027-03-31\"\n"
        ),
        "{rec}"
    );
    assert!(
        rec.contains("event: set\n  step: research\n  item: value\n  value: 48000"),
        "{rec}"
    );
    assert!(
        rec.contains("event: assigned\n  step: research\n  owner: bob"),
        "{rec}"
    );
    let show = env.run(&["show", "acme"]).ok().stdout;
    assert!(
        show.contains("value      48000 EUR") && show.contains("closes     2027-03-31"),
        "{show}"
    );
    let log = env.run(&["log", "acme", "--format", "csv"]).ok().stdout;
    assert!(
        log.starts_with("prospect,at,by,event,step,item,outcome,why,to,status,"),
        "{log}"
    );
    assert!(log.contains(",set,research,value,,,,,,,,48000,"), "{log}");
    // Filling: the offer's value sets the record's value.
    env.run(&["answer", "acme", "propose/offer-value", "52000"])
        .ok();
    assert!(
        env.read("pipe/prospects/acme.yaml")
            .contains("value: 52000\n")
    );
    env.run(&["validate"]).ok();
}

#[test]
fn spreadsheet_output_is_safe_and_columns_are_chosen() {
    let env = Env::new();
    env.run(&["add", "=HYPERLINK(\"x\")", "--id", "evil", "--owner", "sam"])
        .ok();
    env.run(&[
        "answer",
        "evil",
        "research/market-notes",
        "line one\tand\nline two",
    ])
    .ok();
    env.run(&[
        "answer",
        "evil",
        "introduce/stated-needs",
        "Jane Doe, VP Ops",
        "Bob Smith",
    ])
    .ok();
    let csv = env
        .run(&["list", "--format", "csv", "--columns", "id,name,owner"])
        .ok()
        .stdout;
    assert_eq!(csv, "id,name,owner\nevil,\"'=HYPERLINK(\"\"x\"\")\",sam\n");
    let raw = env
        .run(&[
            "list",
            "--format",
            "csv",
            "--columns",
            "name",
            "--no-formula-guard",
        ])
        .ok()
        .stdout;
    assert_eq!(raw, "name\n\"=HYPERLINK(\"\"x\"\")\"\n");
    let tsv = env.run(&["show", "evil", "--format", "tsv"]).ok().stdout;
    assert!(
        tsv.contains("evil\tresearch\tmarket-notes\tline one and line two\n"),
        "{tsv}"
    );
    assert!(!tsv.contains('"'), "TSV never quotes: {tsv}");
    let rec = env.read("pipe/prospects/evil.yaml");
    assert!(
        rec.contains("stated-needs:\n    - Jane Doe, VP Ops\n    - Bob Smith"),
        "{rec}"
    );
    let json = env.run(&["show", "evil", "--format", "json"]).ok().stdout;
    assert!(json.contains("\"extra\": {}"), "{json}");
    env.run(&["list", "--columns", "id,nope"]).code(2);
}

#[test]
fn an_unreadable_record_is_never_overwritten_by_an_import() {
    let env = Env::new();
    env.file("pipe/prospects/acme.yaml", "name: [broken\n");
    env.file("in.csv", "name,stage\nAcme,present\n");
    let r = env
        .run(&["import", env.path().join("in.csv").to_str().unwrap()])
        .ok();
    assert!(r.stderr.contains("skipped"), "{}", r.stderr);
    assert_eq!(env.read("pipe/prospects/acme.yaml"), "name: [broken\n");
    assert!(
        env.read("pipe/prospects/acme-2.yaml")
            .contains("stage: present")
    );
}

/// An import writes every record's temp file before it renames any; each
/// is closed once written, so more rows than the process may hold open
/// files import (100,000 rows failed with "Too many open files").
#[test]
fn an_import_of_more_rows_than_open_files_allowed_writes_them_all() {
    let env = Env::new();
    env.run(&["init", "--no-git"]).ok();
    let mut csv = String::from("name\n");
    for i in 0..300 {
        csv.push_str(&format!("Company {i:03}\n"));
    }
    let file = env.path().join("many.csv");
    std::fs::write(&file, csv).unwrap();
    let mut c = std::process::Command::new("sh");
    env.hermetic(&mut c);
    c.current_dir(env.pipe()).args([
        "-c",
        "ulimit -n 64 && exec salesproc import --no-commit \"$1\"",
        "sh",
        file.to_str().unwrap(),
    ]);
    let r = crate::output(c, "").ok();
    assert!(r.stderr.contains("300 created"), "{}", r.stderr);
    let files: Vec<String> = std::fs::read_dir(env.pipe().join("prospects"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.iter().filter(|f| f.ends_with(".yaml")).count(), 300);
    assert!(!files.iter().any(|f| f.ends_with(".tmp")), "{files:?}");
}

/// Runs salesproc in `dir` with a command line (and environment) of at
/// most 512 KiB, as 100,000 records' paths overflow the usual 2 MiB: a
/// 2 MiB stack sets that limit (a quarter of it).
fn run_with_small_args(env: &Env, dir: &Path, args: &[&str]) -> crate::Run {
    let mut c = std::process::Command::new("sh");
    env.hermetic(&mut c);
    c.env_remove("SALESPROC_DIR")
        .current_dir(dir)
        .args(["-c", "ulimit -s 2048 && exec salesproc \"$@\"", "sh"])
        .args(args);
    crate::output(c, "")
}

/// An import of more records than one command line can name (about 2 MiB
/// of paths at 100,000 records) is committed whole, as one commit: staged
/// by name, not matched path by path. Something else the user staged stays
/// staged and out of the commit.
#[test]
fn an_import_too_big_for_one_command_line_is_one_commit() {
    const N: usize = 6000;
    let env = Env::new();
    let d = deals(&env, "");
    // 6,000 records with long names: about 700 KiB of paths, more than
    // the command line holds here.
    let mut csv = String::from("Deal Name,Deal Stage\n");
    for i in 0..N {
        csv.push_str(&format!(
            "Northwind Regional Logistics and Warehousing Holdings International {i:04},appointmentscheduled\n"
        ));
    }
    let file = env.path().join("deals.csv");
    std::fs::write(&file, csv).unwrap();
    std::fs::write(d.join("notes.txt"), "mine\n").unwrap();
    git(&env, &d, &["add", "notes.txt"]);
    let before = commits(&env, &d);
    let r = run_with_small_args(
        &env,
        &d,
        &["import", "--preset", "hubspot", file.to_str().unwrap()],
    )
    .ok();
    assert!(r.stderr.contains("6000 created"), "{}", r.stderr);
    assert_eq!(commits(&env, &d), before + 1);
    let files = git(&env, &d, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.lines().count(), N, "{files}");
    assert!(files.lines().all(|f| f.starts_with("prospects/")));
    // The user's staged file is still staged, and nothing else is left.
    let status = git(&env, &d, &["status", "--porcelain"]);
    assert_eq!(status, "A  notes.txt\n");

    // Without anything else staged, the commit takes the index as it is:
    // hand edits committed by git, then `fmt` puts every record back.
    git(&env, &d, &["rm", "-q", "--cached", "notes.txt"]);
    for i in 0..N {
        let id =
            format!("northwind-regional-logistics-and-warehousing-holdings-international-{i:04}");
        let path = d.join("prospects").join(format!("{id}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("stage: introduce", "stage:   introduce"),
        )
        .unwrap();
    }
    git(&env, &d, &["commit", "-qam", "hand edits"]);
    run_with_small_args(&env, &d, &["fmt"]).ok();
    assert_eq!(commits(&env, &d), before + 3);
    assert!(git(&env, &d, &["log", "-1", "--format=%s"]).starts_with("fmt:"));
    let files = git(&env, &d, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.lines().count(), N, "{files}");
    assert_eq!(git(&env, &d, &["status", "--porcelain"]), "?? notes.txt\n");
}
