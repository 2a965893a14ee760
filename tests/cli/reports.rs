//! `pipeline`, `personas`, `insights`, `checklist` on a fixture whose figures
//! were worked out by hand (see the comments).

use crate::Env;
use serde_json::{Value, json};

fn fixture(env: &Env) {
    crate::validate_copy(env, "reports");
}

fn run_json(env: &Env, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&env.run(&a).ok().stdout).unwrap()
}

#[allow(clippy::too_many_arguments)]
fn step(
    s: &str,
    phase: &str,
    reached: u64,
    advanced: u64,
    conversion: Value,
    open: u64,
    nurturing: u64,
    median: Value,
) -> Value {
    json!({"step": s, "phase": phase, "reached": reached, "advanced": advanced, "conversion": conversion, "open": open, "nurturing": nurturing, "median_days": median, "open_value": 0.0, "weighted_value": 0.0})
}

// Visits in days, from the fixture's histories:
//   alpha:   research 2, introduce 4, qualify 1, learn 10, present 2, propose 5, resolve 2, agree 4 (won, cycle 30)
//   bravo:   research 4, introduce 1, qualify 5 (lost)
//   charlie: research 2, introduce 1, qualify 2, learn 5, present 2, propose 10 (later), learn 32, present (open)
//   delta:   research (open, follow-up 2026-02-10)
//   echo:    research 1, introduce 1, qualify 1, learn 1, present 1, propose 2, resolve 1, agree 2 (won, cycle 10)
#[test]
fn pipeline_today() {
    let env = Env::new();
    fixture(&env);
    let (q, p) = ("qualification", "pipeline");
    let want = json!({
        "as_of": "2026-11-27",
        "steps": [
            step("research", q, 5, 4, json!(0.8), 1, 0, json!(2.0)),   // median of 1,2,2,4
            step("introduce", q, 4, 4, json!(1.0), 0, 0, json!(1.0)),  // 1,1,1,4
            step("qualify", q, 4, 3, json!(0.75), 0, 0, json!(1.5)),   // 1,1,2,5
            step("learn", q, 3, 3, json!(1.0), 0, 0, json!(7.5)),      // 1,5,10,32
            step("present", p, 3, 3, json!(1.0), 1, 0, json!(2.0)),   // 1,2,2 (charlie's 2nd visit is open)
            step("propose", p, 3, 2, json!(0.67), 0, 0, json!(5.0)),  // 2,5,10
            step("resolve", p, 2, 2, json!(1.0), 0, 0, json!(1.5)),   // 1,2
            step("agree", p, 2, 2, json!(1.0), 0, 0, json!(3.0)),     // 2,4
        ],
        "won": 2, "lost": 1, "win_rate": 0.67, "median_cycle_days": 20.0,
        "stale": 2,  // charlie (quiet since 03-05) and delta (since 02-01)
        "due": 2,    // charlie (2026-03-01) and delta (2026-02-10)
    });
    assert_eq!(run_json(&env, &["pipeline"]), want);
}

#[test]
fn pipeline_as_of_the_middle_of_a_nurture_loop() {
    let env = Env::new();
    fixture(&env);
    let (q, p) = ("qualification", "pipeline");
    let want = json!({
        "as_of": "2026-02-15",
        "steps": [
            step("research", q, 5, 4, json!(0.8), 1, 0, json!(2.0)),
            step("introduce", q, 4, 4, json!(1.0), 0, 0, json!(1.0)),
            step("qualify", q, 4, 3, json!(0.75), 0, 0, json!(1.5)),
            step("learn", q, 3, 3, json!(1.0), 0, 1, json!(5.0)),     // charlie nurturing; visits 1,5,10
            step("present", p, 3, 3, json!(1.0), 0, 0, json!(2.0)),
            step("propose", p, 3, 2, json!(0.67), 0, 0, json!(5.0)),
            step("resolve", p, 2, 2, json!(1.0), 0, 0, json!(1.5)),
            step("agree", p, 2, 2, json!(1.0), 0, 0, json!(3.0)),
        ],
        "won": 2, "lost": 1, "win_rate": 0.67, "median_cycle_days": 20.0,
        "stale": 1,  // delta: quiet since 02-01 12:00, 14.5 days before the end of 02-15
        "due": 1,    // delta's 02-10; charlie's revisit is 03-01
    });
    assert_eq!(run_json(&env, &["pipeline", "--as-of", "2026-02-15"]), want);
}

#[test]
fn pipeline_as_of_ignores_records_created_later() {
    let env = Env::new();
    fixture(&env);
    let (q, p) = ("qualification", "pipeline");
    let none = json!(null);
    let want = json!({
        "as_of": "2026-01-16",
        "steps": [
            step("research", q, 3, 3, json!(1.0), 0, 0, json!(2.0)),  // alpha 2, bravo 4, charlie 2
            step("introduce", q, 3, 3, json!(1.0), 0, 0, json!(1.0)), // 4,1,1
            step("qualify", q, 3, 2, json!(0.67), 0, 0, json!(2.0)),  // 1,5,2
            step("learn", q, 2, 0, json!(0.0), 2, 0, none.clone()),    // alpha and charlie still there
            step("present", p, 0, 0, none.clone(), 0, 0, none.clone()),
            step("propose", p, 0, 0, none.clone(), 0, 0, none.clone()),
            step("resolve", p, 0, 0, none.clone(), 0, 0, none.clone()),
            step("agree", p, 0, 0, none.clone(), 0, 0, none.clone()),
        ],
        "won": 0, "lost": 1, "win_rate": 0.0, "median_cycle_days": null,
        "stale": 0, "due": 0,
    });
    assert_eq!(run_json(&env, &["pipeline", "--as-of", "2026-01-16"]), want);
}

#[test]
fn pipeline_table_draws_the_funnel() {
    let env = Env::new();
    fixture(&env);
    let out = env.run(&["pipeline"]).ok().stdout;
    // 5 reached is the full 24-cell bar; 2 of 5 is 9.6 cells: 9 full and a 5/8 block.
    assert!(
        out.contains("   Research          5        ████████████████████████  4         80%"),
        "{out}"
    );
    assert!(
        out.contains("   Agree             2        █████████▋                2"),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn empty_and_single_record_folders() {
    let env = Env::new();
    let v = run_json(&env, &["pipeline"]);
    assert_eq!(v["win_rate"], json!(null));
    assert_eq!(v["steps"][0]["conversion"], json!(null));
    assert_eq!(v["steps"][0]["median_days"], json!(null));
    assert_eq!(run_json(&env, &["personas"])[0]["answers"], json!([]));
    assert_eq!(
        run_json(&env, &["insights"]),
        json!({"insights": [], "reasons": [], "later_themes": []})
    );
    env.prospect("Solo", &[("industry", "Retail")]);
    let v = run_json(&env, &["pipeline"]);
    assert_eq!(v["steps"][0]["reached"], 1);
    assert_eq!(v["steps"][0]["open"], 1);
    assert_eq!(v["steps"][0]["advanced"], 0);
    assert_eq!(v["steps"][0]["conversion"], json!(0.0));
}

#[test]
fn a_record_without_history_is_a_warning() {
    let env = Env::new();
    env.file(
        "pipe/prospects/bare.yaml",
        "name: Bare\nstage: research\nstatus: open\n",
    );
    let r = env.run(&["pipeline", "--format", "json"]).ok();
    assert!(r.stderr.contains("bare has no history"), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["steps"][0]["reached"], 0);
}

#[test]
fn personas_spread_answers_over_outcomes() {
    let env = Env::new();
    fixture(&env);
    let v = run_json(&env, &["personas"]);
    let industry = &v[0];
    assert_eq!(
        (
            industry["step"].as_str(),
            industry["item"].as_str(),
            industry["persona"].as_str()
        ),
        (Some("research"), Some("industry"), Some("industry"))
    );
    assert_eq!(
        industry["answers"],
        json!([
            {"value": "Logistics", "won": 1, "lost": 0, "open": 1, "nurturing": 0, "win_rate": 1.0},
            {"value": "Retail", "won": 0, "lost": 1, "open": 1, "nurturing": 0, "win_rate": 0.0},
            {"value": "Energy", "won": 1, "lost": 0, "open": 0, "nurturing": 0, "win_rate": 1.0},
        ])
    );
    let size = &v[1];
    assert_eq!(size["item"], "company-size");
    let bands: Vec<&str> = size["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["value"].as_str().unwrap())
        .collect();
    // Number bands in numeric order, not by count.
    assert_eq!(bands, ["10-49", "250-999", "1000-4999"]);
    let role = &v[2];
    assert_eq!(
        role["answers"][0],
        json!({"value": "decision-maker", "won": 2, "lost": 0, "open": 0, "nurturing": 0, "win_rate": 1.0})
    );
    assert_eq!(
        role["answers"][1]["win_rate"],
        json!(null),
        "champion: only open records"
    );
}

#[test]
fn insights_gather_the_voice_of_the_customer() {
    let env = Env::new();
    fixture(&env);
    let v = run_json(&env, &["insights"]);
    assert_eq!(
        v["insights"],
        json!([
            {"prospect": "alpha", "at": "2026-01-01T00:00:00Z", "for": "marketing", "text": "referral", "source": "research/lead-source"},
            {"prospect": "alpha", "at": "2026-01-20T00:00:00Z", "for": "product", "text": "Needs SSO with Okta", "source": "captured"},
            {"prospect": "charlie", "at": "2026-02-01T00:00:00Z", "for": "marketing", "text": "Heard of us at a webinar", "source": "captured"},
        ])
    );
    assert_eq!(
        v["reasons"],
        json!([
            {"prospect": "bravo", "at": "2026-01-15T00:00:00Z", "step": "qualify", "outcome": "no", "why": "no budget"},
            {"prospect": "charlie", "at": "2026-02-01T00:00:00Z", "step": "propose", "outcome": "later", "why": "fiscal year"},
        ])
    );
    assert_eq!(v["later_themes"][0]["count"], 1);
    let f = run_json(
        &env,
        &["insights", "--for", "product", "--since", "2026-01-15"],
    );
    assert_eq!(f["insights"].as_array().unwrap().len(), 1);
    assert_eq!(f["reasons"].as_array().unwrap().len(), 2);
}

/// The table groups what was said: one row per distinct text per team,
/// with how often, by how many, when last and who last.
#[test]
fn insights_table_groups_what_was_said() {
    let env = Env::new();
    fixture(&env);
    // The same words in another case are the same thing said.
    for (p, text) in [
        ("bravo", "Needs SSO with Okta"),
        ("delta", "needs SSO with okta"),
        ("delta", "Needs SSO with Okta"),
    ] {
        env.run(&["insight", p, "--for", "product", text, "--no-commit"])
            .ok();
    }
    // A list answer is one thing said per element.
    for p in ["bravo", "delta"] {
        env.run(&[
            "answer",
            p,
            "introduce/stated-needs",
            "faster quotes, audit trail",
            "--no-commit",
        ])
        .ok();
    }
    env.run(&[
        "answer",
        "echo",
        "introduce/stated-needs",
        "faster quotes",
        "--no-commit",
    ])
    .ok();
    let out = env.run(&["insights"]).ok().stdout;
    let sso: Vec<&str> = out.lines().filter(|l| l.contains("SSO")).collect();
    assert_eq!(sso.len(), 1, "{out}");
    let v = run_json(&env, &["insights"]);
    let quotes = v["insights"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["text"] == "faster quotes")
        .count();
    assert_eq!(quotes, 3, "{v}");
    insta::assert_snapshot!(out);
    // The document groups the same way, naming the first few prospects.
    let md = env.run(&["insights", "--format", "markdown"]).ok().stdout;
    assert!(
        md.contains("- **faster quotes**: 3 prospects: Bravo Retail, Delta"),
        "{md}"
    );
    assert!(
        md.contains(
            "- **Needs SSO with Okta**: 3 prospects, 4 times: Alpha Logistics, Bravo Retail, Delta"
        ),
        "{md}"
    );
}

#[test]
fn insights_markdown_snapshot() {
    let env = Env::new();
    fixture(&env);
    insta::assert_snapshot!(env.run(&["insights", "--format", "markdown"]).ok().stdout);
}

#[test]
fn checklist_markdown_snapshot() {
    let env = Env::new();
    insta::assert_snapshot!(env.run(&["checklist"]).ok().stdout);
}

#[test]
fn checklist_json_and_one_step() {
    let env = Env::new();
    let v = run_json(&env, &["checklist", "qualify"]);
    assert_eq!(v[0]["item"], "role-in-decision");
    assert_eq!(v[0]["persona"], "buyer-role");
    env.run(&["checklist", "nowhere"]).code(2);
}
