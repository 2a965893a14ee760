//! Checks on a record's text beyond what parsing catches: unknown steps and
//! items, answers of the wrong type, whys, time order, stage/status agreement.
//! Pure: text in, problems with line and column out.

use crate::process::{ItemType, Process};
use crate::prospect::{Outcome, Record, Status, events};
use crate::{clock, yaml};

/// One problem at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

struct Finder<'a> {
    text: yaml::Locator<'a>,
    out: Vec<Problem>,
}

impl Finder<'_> {
    fn at(&mut self, path: &[&str], message: String) {
        let (line, column) = self.text.locate(path);
        self.out.push(Problem {
            line,
            column,
            message,
        });
    }
}

/// Parses and checks a record's text. `check_state` compares stage and status
/// with the history (off while `edit` has yet to add its event).
pub fn check_text(text: &str, p: &Process, check_state: bool) -> (Option<Record>, Vec<Problem>) {
    match yaml::record_from_str(text) {
        Err(e) => (
            None,
            vec![Problem {
                line: e.line,
                column: e.column,
                message: e.message,
            }],
        ),
        Ok(r) => {
            let problems = check_record(text, &r, p, check_state);
            (Some(r), problems)
        }
    }
}

/// Checks a parsed record against the process.
pub fn check_record(text: &str, r: &Record, p: &Process, check_state: bool) -> Vec<Problem> {
    let mut f = Finder {
        text: yaml::Locator::new(text),
        out: Vec::new(),
    };
    let steps = || {
        p.steps
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if r.name.trim().is_empty() {
        f.at(&["name"], "name is empty".into());
    }
    if p.step(&r.stage).is_none() {
        f.at(
            &["stage"],
            format!("unknown stage \"{}\" (steps are {})", r.stage, steps()),
        );
    }
    for (step, items) in &r.answers {
        let Some(s) = p.step(step) else {
            f.at(
                &["answers", step],
                format!(
                    "answers for unknown step \"{step}\" (steps are {})",
                    steps()
                ),
            );
            continue;
        };
        for (item, value) in items {
            match s.checklist.items.iter().find(|i| &i.id == item) {
                None => f.at(
                    &["answers", step, item],
                    format!("unknown item \"{item}\" in step {step}"),
                ),
                Some(it) => {
                    if let Err(m) = crate::value::check_value(it, value) {
                        let path = ["answers", step.as_str(), item.as_str()];
                        let m = match (it.kind, f.text.source(&path)) {
                            (ItemType::Text, Some(w))
                                if value.is_number() || value.is_boolean() =>
                            {
                                let what = if value.is_number() {
                                    "number"
                                } else {
                                    "boolean"
                                };
                                format!(
                                    "{item} is a text item, but `{w}` is read as the {what} {value}\nhint: quote it (\"{w}\"); `salesproc fmt` does"
                                )
                            }
                            _ => m,
                        };
                        f.at(&path, m);
                    }
                }
            }
        }
    }
    if let Some(d) = r.follow_up_date()
        && clock::parse_iso_date(d).is_none()
    {
        f.at(
            &["follow_up", "date"],
            format!("follow-up date \"{d}\" is not a date (YYYY-MM-DD)"),
        );
    }
    for (i, ins) in r.insights.iter().enumerate() {
        if clock::parse_at(&ins.at).is_none() {
            f.at(
                &["insights", &i.to_string(), "at"],
                format!("\"{}\" is not an RFC 3339 timestamp", ins.at),
            );
        }
    }
    check_history(&mut f, r, p);
    if check_state {
        check_state_agrees(&mut f, r, p);
    }
    f.out
}

fn check_history(f: &mut Finder, r: &Record, p: &Process) {
    if r.history.is_empty() {
        f.at(
            &["name"],
            "the record has no history (a `created` event is missing)".into(),
        );
    }
    let mut last: Option<&str> = None;
    for (i, e) in r.history.iter().enumerate() {
        let idx = i.to_string();
        let valid = clock::parse_at(&e.at).is_some();
        if !valid {
            f.at(
                &["history", &idx, "at"],
                format!("\"{}\" is not an RFC 3339 timestamp", e.at),
            );
        } else if last.is_some_and(|l| e.at.as_str() < l) {
            f.at(
                &["history", &idx, "at"],
                format!(
                    "history is out of time order: {} comes after {}",
                    e.at,
                    last.unwrap_or("")
                ),
            );
        }
        if valid {
            last = Some(e.at.as_str());
        }
        if !events::ALL.contains(&e.event.as_str()) {
            f.at(
                &["history", &idx, "event"],
                format!(
                    "unknown event \"{}\" (events are {})",
                    e.event,
                    events::ALL.join(", ")
                ),
            );
        }
        if let Some(s) = &e.step
            && p.step(s).is_none()
        {
            f.at(&["history", &idx, "step"], format!("unknown step \"{s}\""));
        }
        if e.event == events::DECIDED {
            match e.outcome {
                None => f.at(
                    &["history", &idx],
                    "a decided event needs an outcome (yes, no or later)".into(),
                ),
                Some(Outcome::No | Outcome::Later)
                    if e.why.as_deref().is_none_or(|w| w.trim().is_empty()) =>
                {
                    f.at(
                        &["history", &idx, "outcome"],
                        format!(
                            "a `{}` decision needs a why",
                            e.outcome.map(Outcome::name).unwrap_or("")
                        ),
                    );
                }
                _ => {}
            }
        }
        if let Some(d) = &e.revisit
            && clock::parse_iso_date(d).is_none()
        {
            f.at(
                &["history", &idx, "revisit"],
                format!("revisit \"{d}\" is not a date (YYYY-MM-DD)"),
            );
        }
    }
}

/// Replays the history: the stage and status it ends at.
pub fn replay(r: &Record, p: &Process) -> Option<(String, Status)> {
    crate::history::of_record(r, p).map(|t| (t.stage.into(), t.status))
}

fn check_state_agrees(f: &mut Finder, r: &Record, p: &Process) {
    let Some((stage, status)) = replay(r, p) else {
        return;
    };
    if stage != r.stage {
        f.at(&["stage"], format!("stage is \"{}\" but the history ends at \"{stage}\"\nhint: record moves with `salesproc decide`, or `salesproc edit` adds the event", r.stage));
    }
    if status != r.status {
        f.at(
            &["status"],
            format!(
                "status is \"{}\" but the history ends with \"{}\"",
                r.status.name(),
                status.name()
            ),
        );
    }
}
