//! Three-way merge of two edits of one record, for git's merge driver.
//! Histories and insights are united in time order; answers and unknown keys
//! merge item by item; other scalars take the side that changed, or the side
//! with the newer history when both did (a contact who is a different person
//! on each side is taken whole). Only the same item changed two ways is a
//! conflict.

use crate::history;
use crate::process::Process;
use crate::prospect::{Event, FollowUp, Record, events};
use crate::value::display_value;
use crate::yaml;
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// The merged record and the items both sides changed differently.
pub struct Merged {
    pub record: Record,
    /// (path, ours, theirs) for each conflicting entry; the record holds a placeholder there.
    pub conflicts: Vec<Conflict>,
    /// Two different decisions on one step since the common base.
    pub clash: Option<Clash>,
}

/// Both sides decided the same step differently since the base: a true
/// clash, shown with markers around the two sides' decision events.
pub struct Clash {
    pub placeholder: String,
    pub step: String,
    pub ours: Vec<Event>,
    pub theirs: Vec<Event>,
}

/// One entry both sides changed differently.
pub struct Conflict {
    pub placeholder: String,
    pub key: String,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
}

fn pick<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T, ours_newer: bool) -> T {
    if ours == theirs || theirs == base {
        ours.clone()
    } else if ours == base {
        theirs.clone()
    } else if ours_newer {
        ours.clone()
    } else {
        theirs.clone()
    }
}

/// Merges `ours` and `theirs` against `base`. Stage, status and follow-up
/// are not merged field by field: they come from replaying the merged
/// history against the process, so the result is always a state the
/// history explains.
pub fn merge(base: &Record, ours: &Record, theirs: &Record, p: &Process) -> Merged {
    let ours_newer = ours.last_activity().unwrap_or("") >= theirs.last_activity().unwrap_or("");
    let mut conflicts = Vec::new();
    let mut r = ours.clone();
    r.name = pick(&base.name, &ours.name, &theirs.name, ours_newer);
    r.owner = pick(&base.owner, &ours.owner, &theirs.owner, ours_newer);
    r.stage = pick(&base.stage, &ours.stage, &theirs.stage, ours_newer);
    r.status = pick(&base.status, &ours.status, &theirs.status, ours_newer);
    r.follow_up = pick(
        &base.follow_up,
        &ours.follow_up,
        &theirs.follow_up,
        ours_newer,
    );
    r.value = pick(&base.value, &ours.value, &theirs.value, ours_newer);
    r.close_date = pick(
        &base.close_date,
        &ours.close_date,
        &theirs.close_date,
        ours_newer,
    );
    let c = (&base.contact, &ours.contact, &theirs.contact);
    if c.1.name != c.0.name && c.2.name != c.0.name && c.1.name != c.2.name {
        // Each side names a different person (two reps added the record,
        // or each changed the contact): the newer side's person, whole. A
        // field-by-field merge would give one person the other's email.
        let newer = if ours_newer { c.1 } else { c.2 };
        r.contact.name = newer.name.clone();
        r.contact.title = newer.title.clone();
        r.contact.email = newer.email.clone();
        r.contact.phone = newer.phone.clone();
    } else {
        r.contact.name = pick(&c.0.name, &c.1.name, &c.2.name, ours_newer);
        r.contact.title = pick(&c.0.title, &c.1.title, &c.2.title, ours_newer);
        r.contact.email = pick(&c.0.email, &c.1.email, &c.2.email, ours_newer);
        r.contact.phone = pick(&c.0.phone, &c.1.phone, &c.2.phone, ours_newer);
    }
    r.contact.extra = merge_map(
        &c.0.extra,
        &c.1.extra,
        &c.2.extra,
        "contact",
        &mut conflicts,
    );
    r.extra = merge_map(&base.extra, &ours.extra, &theirs.extra, "", &mut conflicts);
    let clash = decision_clash(base, ours, theirs);
    r.history = union_by_time(&ours.history, &theirs.history, |e| e.at.to_string());
    r.insights = union_by_time(&ours.insights, &theirs.insights, |i| i.at.clone());
    r.answers = Default::default();
    let steps = keys(&[&ours.answers, &theirs.answers, &base.answers]);
    let empty = crate::prospect::StepAnswers::default();
    for step in steps {
        let b = base.answers.get(&step).unwrap_or(&empty);
        let o = ours.answers.get(&step).unwrap_or(&empty);
        let t = theirs.answers.get(&step).unwrap_or(&empty);
        let to_map = |m: &crate::prospect::StepAnswers| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<serde_json::Map<_, _>>()
        };
        let merged = merge_map(
            &to_map(b),
            &to_map(o),
            &to_map(t),
            &format!("answers.{step}"),
            &mut conflicts,
        );
        if !merged.is_empty() {
            r.answers.insert(step, merged.into_iter().collect());
        }
    }
    let clash = match clash {
        None => {
            settle(&mut r, p);
            None
        }
        Some(c) => Some(hold_clash(&mut r, c, ours, theirs, p, &mut conflicts)),
    };
    Merged {
        record: r,
        conflicts,
        clash,
    }
}

/// Sets stage, status and (when the history says) the follow-up from the replay.
fn settle(r: &mut Record, p: &Process) {
    let Some(t) = history::of_record(r, p) else {
        return;
    };
    r.stage = t.stage.into();
    r.status = t.status;
    if let Some(next) = t.follow_up {
        r.follow_up = next.map(|n| FollowUp {
            date: n.date.map(Into::into),
            action: n.action.map(Into::into),
            extra: Default::default(),
        });
    }
}

type Clashing = (String, Vec<Event>, Vec<Event>);

/// The decision events each side added since the base, when both decided one
/// step with different outcomes.
fn decision_clash(base: &Record, ours: &Record, theirs: &Record) -> Option<Clashing> {
    let new = |side: &Record| -> Vec<Event> {
        let mut left: HashMap<String, usize> = HashMap::new();
        for e in &base.history {
            *left.entry(key(e)).or_default() += 1;
        }
        side.history
            .iter()
            .filter(|e| match left.get_mut(&key(e)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .filter(|e| e.event == events::DECIDED)
            .cloned()
            .collect()
    };
    let (o, t) = (new(ours), new(theirs));
    let step = o
        .iter()
        .find(|a| t.iter().any(|b| b.step == a.step && b.outcome != a.outcome))?
        .step
        .clone()?;
    let on = |v: &[Event]| -> Vec<Event> {
        v.iter()
            .filter(|e| e.step.as_deref() == Some(step.as_str()))
            .cloned()
            .collect()
    };
    Some((step.to_string(), on(&o), on(&t)))
}

/// Takes both sides' clashing decisions out of the history, leaves a
/// placeholder for the markers, and marks stage and status as conflicts
/// where the sides' replays differ.
fn hold_clash(
    r: &mut Record,
    (step, o, t): Clashing,
    ours: &Record,
    theirs: &Record,
    p: &Process,
    conflicts: &mut Vec<Conflict>,
) -> Clash {
    let placeholder = "__salesproc_clash__".to_string();
    let gone: Vec<String> = o.iter().chain(&t).map(key).collect();
    let first = o
        .iter()
        .chain(&t)
        .map(|e| e.at.clone())
        .min()
        .unwrap_or_default();
    r.history.retain(|e| !gone.contains(&key(e)));
    let at = r.history.partition_point(|e| e.at <= first);
    r.history.insert(
        at,
        Event {
            at: placeholder.clone().into(),
            event: "clash".into(),
            ..Event::default()
        },
    );
    let mine = history::of_record(ours, p);
    let yours = history::of_record(theirs, p);
    if let (Some(a), Some(b)) = (mine, yours) {
        for (k, x, y) in [
            (
                "stage",
                Value::from(a.stage.as_str()),
                Value::from(b.stage.as_str()),
            ),
            (
                "status",
                Value::from(a.status.name()),
                Value::from(b.status.name()),
            ),
        ] {
            if x == y {
                continue;
            }
            // The status is typed, so its marker goes around its own line.
            let placeholder = match k {
                "stage" => {
                    let ph = format!("__salesproc_conflict_{}__", conflicts.len());
                    r.stage.clone_from(&ph);
                    ph
                }
                _ => format!("status: {}", r.status.name()),
            };
            conflicts.push(Conflict {
                placeholder,
                key: k.into(),
                ours: Some(x),
                theirs: Some(y),
            });
        }
    }
    Clash {
        placeholder,
        step,
        ours: o,
        theirs: t,
    }
}

fn key<T: Serialize>(x: &T) -> String {
    serde_json::to_string(x).unwrap_or_default()
}

fn keys<V, S>(maps: &[&IndexMap<String, V, S>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in maps {
        for k in m.keys() {
            if !out.contains(k) {
                out.push(k.clone());
            }
        }
    }
    out
}

fn merge_map(
    base: &serde_json::Map<String, Value>,
    ours: &serde_json::Map<String, Value>,
    theirs: &serde_json::Map<String, Value>,
    at: &str,
    conflicts: &mut Vec<Conflict>,
) -> serde_json::Map<String, Value> {
    let mut names: Vec<&String> = ours.keys().collect();
    for k in theirs.keys().chain(base.keys()) {
        if !names.contains(&k) {
            names.push(k);
        }
    }
    let mut out = serde_json::Map::new();
    for k in names {
        let (b, o, t) = (base.get(k), ours.get(k), theirs.get(k));
        let v = if o == t || t == b {
            o.cloned()
        } else if o == b {
            t.cloned()
        } else {
            let placeholder = format!("__salesproc_conflict_{}__", conflicts.len());
            conflicts.push(Conflict {
                placeholder: placeholder.clone(),
                key: format!("{at}.{k}"),
                ours: o.cloned(),
                theirs: t.cloned(),
            });
            Some(Value::String(placeholder))
        };
        if let Some(v) = v {
            out.insert(k.clone(), v);
        }
    }
    out
}

/// Both lists united as multisets (an entry both sides hold appears as often as
/// on the side that holds it most), stably sorted by time, ours first on ties.
fn union_by_time<T: Serialize + Clone>(
    ours: &[T],
    theirs: &[T],
    at: impl Fn(&T) -> String,
) -> Vec<T> {
    let key = |x: &T| serde_json::to_string(x).unwrap_or_default();
    let mut left: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for x in ours {
        *left.entry(key(x)).or_default() += 1;
    }
    let mut all: Vec<T> = ours.to_vec();
    for x in theirs {
        match left.get_mut(&key(x)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => all.push(x.clone()),
        }
    }
    all.sort_by_key(|x| at(x));
    all
}

/// Renders a merge result; each conflict becomes git-style markers around only
/// that entry, so the file is easy to fix by hand.
pub fn render(m: &Merged) -> anyhow::Result<String> {
    let mut text = yaml::to_string(&m.record)?;
    if let Some(c) = &m.clash {
        text = render_clash(&text, c)?;
    }
    for c in &m.conflicts {
        let Some(line) = text
            .lines()
            .find(|l| l.contains(&c.placeholder))
            .map(str::to_string)
        else {
            continue;
        };
        let indent = line.len() - line.trim_start().len();
        let key = c.key.rsplit('.').next().unwrap_or(&c.key);
        let side = |v: &Option<Value>| -> anyhow::Result<String> {
            let Some(v) = v else { return Ok(String::new()) };
            let mut one = serde_json::Map::new();
            one.insert(key.to_string(), v.clone());
            let s = yaml::to_string(&one)?;
            Ok(s.lines()
                .map(|l| format!("{}{l}\n", " ".repeat(indent)))
                .collect())
        };
        let block = format!(
            "<<<<<<< ours\n{}=======\n{}>>>>>>> theirs",
            side(&c.ours)?,
            side(&c.theirs)?
        );
        text = text.replacen(&line, &block, 1);
    }
    Ok(text)
}

/// Replaces the placeholder history item with markers around both sides'
/// decision events.
fn render_clash(text: &str, c: &Clash) -> anyhow::Result<String> {
    let lines: Vec<&str> = text.lines().collect();
    let head = format!("- at: {}", c.placeholder);
    let Some(start) = lines.iter().position(|l| *l == head) else {
        return Ok(text.to_string());
    };
    let end = (start + 1..lines.len())
        .find(|&i| !lines[i].starts_with("  "))
        .unwrap_or(lines.len());
    let side = |v: &[Event]| yaml::to_string(&v.to_vec());
    let mut out: String = lines[..start].iter().map(|l| format!("{l}\n")).collect();
    out.push_str("<<<<<<< ours\n");
    out.push_str(&side(&c.ours)?);
    out.push_str("=======\n");
    out.push_str(&side(&c.theirs)?);
    out.push_str(">>>>>>> theirs\n");
    for l in &lines[end..] {
        out.push_str(l);
        out.push('\n');
    }
    Ok(out)
}

/// What a clash is, for stderr.
pub fn describe_clash(c: &Clash) -> String {
    let outcomes = |v: &[Event]| {
        v.iter()
            .filter_map(|e| e.outcome.map(|o| o.name()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "both sides decided {}: ours {}, theirs {}; keep one decision (and the stage and status that go with it)",
        c.step,
        outcomes(&c.ours),
        outcomes(&c.theirs)
    )
}

/// A one-line description of a conflict, for stderr.
pub fn describe(c: &Conflict) -> String {
    let show = |v: &Option<Value>| {
        v.as_ref()
            .map(display_value)
            .unwrap_or_else(|| "(removed)".into())
    };
    format!(
        "{} changed two ways: ours \"{}\", theirs \"{}\"",
        c.key.trim_start_matches('.'),
        show(&c.ours),
        show(&c.theirs)
    )
}

/// The 1-based first and last line of each block of git conflict markers
/// (`<<<<<<<` … `>>>>>>>`) in `text`.
pub fn conflict_blocks(text: &str) -> Vec<(usize, usize)> {
    let mut blocks = Vec::new();
    // A block starts at a line beginning with the marker: none without it.
    if !text.contains("<<<<<<<") {
        return blocks;
    }
    let mut start = None;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("<<<<<<<") && start.is_none() {
            start = Some(i + 1);
        } else if line.starts_with(">>>>>>>")
            && let Some(s) = start.take()
        {
            blocks.push((s, i + 1));
        }
    }
    if let Some(s) = start {
        blocks.push((s, text.lines().count()));
    }
    blocks
}

/// `lines 11-17` or `lines 11-17, 30-34`.
pub fn describe_blocks(blocks: &[(usize, usize)]) -> String {
    let ranges: Vec<String> = blocks.iter().map(|(a, b)| format!("{a}-{b}")).collect();
    format!("lines {}", ranges.join(", "))
}

#[cfg(test)]
mod tests;
