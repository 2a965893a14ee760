use super::*;

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (n, t) in files {
        std::fs::write(d.path().join(n), t).unwrap();
    }
    d
}

fn err(files: &[(&str, &str)]) -> String {
    let d = folder(files);
    let e = Process::load(Some(d.path())).unwrap_err().to_string();
    e.replace(&d.path().display().to_string(), "DIR")
}

#[test]
fn the_built_in_process_has_eight_steps_with_every_item_type() {
    let p = Process::builtin();
    let ids: Vec<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "research",
            "introduce",
            "qualify",
            "learn",
            "present",
            "propose",
            "resolve",
            "agree"
        ]
    );
    let kinds: std::collections::HashSet<&str> = p
        .steps
        .iter()
        .flat_map(|s| s.checklist.items.iter().map(|i| i.kind.name()))
        .collect();
    assert_eq!(kinds.len(), 6);
    for s in &p.steps {
        let n = s.checklist.items.len();
        assert!((3..=8).contains(&n), "{} has {n} items", s.id);
        assert!(
            s.checklist.items.iter().any(|i| i.required),
            "{} has no required item",
            s.id
        );
    }
    assert_eq!(p.later_returns_to, "learn");
}

#[test]
fn duplicate_item_ids_name_the_file_and_line() {
    let text = "step: research\ntitle: R\npurpose: p\nitems:\n  - id: a\n    ask: A?\n    type: text\n  - id: a\n    ask: B?\n    type: text\n";
    assert_eq!(
        err(&[("research.yaml", text)]),
        "DIR/research.yaml:8:5: duplicate item id \"a\""
    );
}

#[test]
fn a_choice_without_options_is_refused() {
    let text =
        "step: research\ntitle: R\npurpose: p\nitems:\n  - id: a\n    ask: A?\n    type: choice\n";
    assert!(
        err(&[("research.yaml", text)])
            .starts_with("DIR/research.yaml:5:3: choice item \"a\" has no options")
    );
}

#[test]
fn an_unknown_step_file_is_refused() {
    let text = "step: demo\ntitle: D\npurpose: p\nitems:\n  - id: a\n    ask: A?\n    type: text\n";
    assert!(err(&[("demo.yaml", text)]).starts_with("DIR/demo.yaml:1:1: unknown step \"demo\""));
}

#[test]
fn a_step_without_a_checklist_is_refused() {
    let p = "phases:\n  - id: qualification\n    title: Q\n    steps: [research, learn, scoping]\n";
    let e = err(&[("process.yaml", p)]);
    assert!(
        e.starts_with("DIR/process.yaml:1:1: step \"scoping\" has no checklist"),
        "{e}"
    );
}

#[test]
fn later_must_return_into_qualification() {
    let p = "later_returns_to: present\nphases:\n  - id: qualification\n    title: Q\n    steps: [research, learn]\n  - id: pipeline\n    title: P\n    steps: [present]\n";
    let e = err(&[("process.yaml", p)]);
    assert!(
        e.starts_with(
            "DIR/process.yaml:1:1: later_returns_to \"present\" is not in the qualification phase"
        ),
        "{e}"
    );
    let p2 = p.replace("present\nphases", "nowhere\nphases");
    assert!(err(&[("process.yaml", &p2)]).contains("\"nowhere\" is not a step"));
}

#[test]
fn yaml_errors_name_the_line() {
    let e = err(&[("qualify.yaml", "step: qualify\ntitle: [\n")]);
    assert!(e.starts_with("DIR/qualify.yaml:2:"), "{e}");
}

#[test]
fn unknown_keys_in_a_checklist_are_refused() {
    let text = "step: research\ntitle: R\npurpose: p\nitems:\n  - id: a\n    ask: A?\n    type: text\n    requred: true\n";
    let e = err(&[("research.yaml", text)]);
    assert!(
        e.contains("research.yaml:8:") && e.contains("requred"),
        "{e}"
    );
}

#[test]
fn a_folder_overrides_one_step_and_keeps_the_rest() {
    let text = "step: research\ntitle: Homework\npurpose: p\nitems:\n  - id: a\n    ask: A?\n    type: text\n    required: true\n";
    let d = folder(&[("research.yaml", text)]);
    let p = Process::load(Some(d.path())).unwrap();
    assert_eq!(p.steps[0].checklist.title, "Homework");
    assert_eq!(p.steps[1].checklist.title, "Introduce");
}

#[test]
fn markdown_has_a_box_per_item() {
    let md = crate::report::checklist::to_markdown(&Process::builtin(), Some("qualify"));
    assert!(md.starts_with("### 3. Qualify\n"));
    assert!(md.contains("- [ ] What is the contact's role in the buying decision? **(required)**"));
}

#[test]
fn fills_must_match_the_item_type() {
    let dir = tempfile::tempdir().unwrap();
    let built = Process::builtin();
    for s in &built.steps {
        let mut c = s.checklist.clone();
        if s.id == "research" {
            c.items[0].fills = Some(crate::process::Fills::Value);
        }
        std::fs::write(
            dir.path().join(format!("{}.yaml", s.id)),
            crate::yaml::to_string(&c).unwrap(),
        )
        .unwrap();
    }
    let e = Process::load(Some(dir.path())).unwrap_err();
    assert!(
        format!("{e:#}").contains("cannot fill a record field"),
        "{e:#}"
    );
}
