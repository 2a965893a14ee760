//! `salesproc schema`: the files under `schemas/` are the command's output,
//! and every demo record, checklist and setting validates against them. The
//! check is a small JSON Schema subset (the keywords the schemas use), so a
//! schema using another keyword fails here rather than passing untested.

use crate::Env;
use serde_json::Value;
use std::path::Path;

const KINDS: &[&str] = &["record", "checklist", "process", "config"];

fn repo(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn schema(kind: &str) -> Value {
    let text = std::fs::read_to_string(repo(&format!("schemas/{kind}.schema.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn yaml(text: &str) -> Value {
    let v: Option<Value> = salesproc::yaml::from_str(text).unwrap();
    v.unwrap_or(Value::Null)
}

fn pattern_ok(pattern: &str, s: &str) -> bool {
    let digits = |r: std::ops::Range<usize>| {
        s.get(r)
            .is_some_and(|x| x.bytes().all(|b| b.is_ascii_digit()))
    };
    let date = s.len() >= 10
        && digits(0..4)
        && &s[4..5] == "-"
        && digits(5..7)
        && &s[7..8] == "-"
        && digits(8..10);
    match pattern {
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" => date && s.len() == 10,
        p if p.starts_with("^[0-9]{4}-[0-9]{2}-[0-9]{2}T") => {
            date && s.get(10..11) == Some("T")
                && digits(11..13)
                && digits(14..16)
                && digits(17..19)
                && (s.ends_with('Z') || s.len() == 25)
        }
        "^[a-z0-9][a-z0-9-]*$" => salesproc::slug::is_slug(s),
        p => panic!("pattern {p} is not known to this check"),
    }
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        t => panic!("type {t}"),
    }
}

/// The problems of `v` against `s`, as `path: what`.
fn check(s: &Value, v: &Value, at: &str, out: &mut Vec<String>) {
    let s = s.as_object().unwrap();
    for (key, rule) in s {
        match key.as_str() {
            "$schema" | "title" | "description" => {}
            "type" => {
                let ok = match rule {
                    Value::String(t) => type_ok(t, v),
                    Value::Array(ts) => ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)),
                    _ => panic!("type"),
                };
                if !ok {
                    out.push(format!("{at}: {v} is not {rule}"));
                }
            }
            "enum" => {
                if !rule.as_array().unwrap().contains(v) {
                    out.push(format!("{at}: {v} is not one of {rule}"));
                }
            }
            "anyOf" => {
                let any = rule.as_array().unwrap().iter().any(|alt| {
                    let mut p = Vec::new();
                    check(alt, v, at, &mut p);
                    p.is_empty()
                });
                if !any {
                    out.push(format!("{at}: {v} fits no alternative"));
                }
            }
            "required" => {
                if let Some(o) = v.as_object() {
                    for k in rule.as_array().unwrap() {
                        if !o.contains_key(k.as_str().unwrap()) {
                            out.push(format!("{at}: {k} is missing"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(o) = v.as_object() {
                    for (k, sub) in rule.as_object().unwrap() {
                        if let Some(x) = o.get(k) {
                            check(sub, x, &format!("{at}.{k}"), out);
                        }
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(rule, &Value::Bool(false));
                let known = s.get("properties").and_then(Value::as_object);
                if let Some(o) = v.as_object() {
                    for k in o.keys() {
                        if !known.is_some_and(|p| p.contains_key(k)) {
                            out.push(format!("{at}: unexpected key {k}"));
                        }
                    }
                }
            }
            "items" => {
                if let Some(a) = v.as_array() {
                    for (i, x) in a.iter().enumerate() {
                        check(rule, x, &format!("{at}[{i}]"), out);
                    }
                }
            }
            "pattern" => {
                if let Some(x) = v.as_str()
                    && !pattern_ok(rule.as_str().unwrap(), x)
                {
                    out.push(format!("{at}: {x:?} does not match {rule}"));
                }
            }
            "minLength" => {
                if v.as_str()
                    .is_some_and(|x| (x.chars().count() as u64) < rule.as_u64().unwrap())
                {
                    out.push(format!("{at}: too short"));
                }
            }
            "minimum" => {
                if v.as_f64().is_some_and(|x| x < rule.as_f64().unwrap()) {
                    out.push(format!("{at}: below {rule}"));
                }
            }
            k => panic!("keyword {k} is not known to this check"),
        }
    }
}

fn problems(kind: &str, v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(&schema(kind), v, "$", &mut out);
    out
}

#[test]
fn schema_files_are_the_command_output() {
    let env = Env::new();
    for kind in KINDS {
        let printed = env.run(&["schema", kind]).ok().stdout;
        let file = std::fs::read_to_string(repo(&format!("schemas/{kind}.schema.json"))).unwrap();
        assert!(
            printed == file,
            "schemas/{kind}.schema.json differs from `salesproc schema {kind}`: regenerate it"
        );
        let _: Value = serde_json::from_str(&printed).unwrap();
    }
    assert_eq!(env.run(&["schema", "recrod"]).code, 2);
}

#[test]
fn demo_records_builtin_checklists_and_settings_validate() {
    let mut n = 0;
    for e in std::fs::read_dir(repo("examples/demo/prospects")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let v = yaml(&std::fs::read_to_string(&path).unwrap());
        assert_eq!(
            problems("record", &v),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 20, "{n} demo records");
    for e in std::fs::read_dir(repo("checklists")).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            continue; // packs/ are checked by the packs tests
        }
        let kind = if path.ends_with("process.yaml") {
            "process"
        } else {
            "checklist"
        };
        let v = yaml(&std::fs::read_to_string(&path).unwrap());
        assert_eq!(
            problems(kind, &v),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
    }
    for text in [
        "",
        "owner: sam\ncommit: false\n",
        &std::fs::read_to_string(repo("examples/demo/salesproc.yaml")).unwrap(),
    ] {
        assert_eq!(
            problems("config", &yaml(text)),
            Vec::<String>::new(),
            "{text}"
        );
    }
}

#[test]
fn the_record_schema_catches_what_validate_catches() {
    let bad = yaml(
        "name: Acme\nstage: qualfy\nstatus: opne\nanswers:\n  research:\n    industry: 0o17\n    lead-source: radio\n    nope: 1\nhistory:\n  - at: yesterday\n    event: decided\n    outcome: maybe\n",
    );
    let p = problems("record", &bad).join("\n");
    for what in [
        "$.stage",
        "$.status",
        "$.answers.research.industry",
        "$.answers.research.lead-source",
        "unexpected key nope",
        "$.history[0].at",
        "$.history[0].outcome",
    ] {
        assert!(p.contains(what), "{what} not flagged:\n{p}");
    }
    assert!(!problems("config", &yaml("owner: sam\ncommmit: true\n")).is_empty());
}
