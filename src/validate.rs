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
        Err(e) => {
            let first = Problem {
                line: e.line,
                column: e.column,
                message: e.message,
            };
            (None, with_the_rest(text, first))
        }
        Ok(r) => {
            let problems = check_record(text, &r, p, check_state);
            (Some(r), problems)
        }
    }
}

/// At most this many problems are reported for a record that does not read.
const MOST_PROBLEMS: usize = 50;

/// A list with more entries than this is not read entry by entry.
const MOST_ENTRIES: usize = 2_000;

/// The keys a record reads, and filler for those it needs: a piece of a
/// record is read with the filler for every needed key it lacks.
const NEEDED: [(&str, &str); 4] = [
    ("name", "name: x"),
    ("stage", "stage: x"),
    ("status", "status: open"),
    ("history", "history: []"),
];
const KNOWN: [&str; 11] = [
    "name",
    "contact",
    "owner",
    "stage",
    "status",
    "follow_up",
    "value",
    "close_date",
    "answers",
    "insights",
    "history",
];

/// `first`, the problem that stopped a record's reading, and those the rest
/// of the record holds: a value of the wrong type in one key (or in one
/// entry of `history` or `insights`) does not hide another's. Each top-level
/// key is read on its own, with the keys a record needs filled in after it
/// and its line numbers kept, by the same reader with the same words; only
/// when the whole text is a plain mapping of keys (a syntax error, a
/// duplicate key or anything else leaves `first` alone).
fn with_the_rest(text: &str, first: Problem) -> Vec<Problem> {
    let mut out = vec![first];
    let whole_map = matches!(
        yaml::from_str::<serde_json::Value>(text),
        Ok(serde_json::Value::Object(_))
    );
    if !whole_map {
        return out;
    }
    let lines: Vec<&str> = text.lines().collect();
    let keys = top_level_keys(&lines);
    // A needed key that is missing, where the reader says so: at the last key.
    let last = keys.last().map_or(1, |&(_, from, _)| from as u64 + 1);
    for (needed, _) in NEEDED {
        if !keys.iter().any(|&(k, _, _)| k == needed) {
            let message = format!("missing key \"{needed}\"");
            if !out.iter().any(|q| q.message == message) {
                out.push(Problem {
                    line: last,
                    column: 1,
                    message,
                });
            }
        }
    }
    for (key, from, to) in keys {
        if out.len() >= MOST_PROBLEMS {
            break;
        }
        if !KNOWN.contains(&key) {
            continue;
        }
        let Some(whole) = read_piece(&lines, key, from, from, to) else {
            continue;
        };
        // A list with a problem: each of its entries on its own (up to a
        // bound, past which the list's first problem stands for the rest).
        let mut pieces = Vec::new();
        if matches!(key, "history" | "insights") {
            pieces = entries(&lines, from, to);
            if pieces.len() > MOST_ENTRIES {
                pieces.clear();
            }
        }
        let found = std::iter::once(whole).chain(
            pieces
                .into_iter()
                .filter_map(|(a, b)| read_piece(&lines, key, from, a, b)),
        );
        for p in found {
            if out.len() >= MOST_PROBLEMS {
                break;
            }
            if !out
                .iter()
                .any(|q| q.line == p.line && q.message == p.message)
            {
                out.push(p);
            }
        }
    }
    // The first stays first (it is the one every other reader reports);
    // the rest in the order of the file.
    out[1..].sort_by_key(|p| (p.line, p.column));
    out.truncate(MOST_PROBLEMS);
    out
}

/// Each key at the start of a line: its name and its lines `[from, to)`
/// (0-based), up to the next such key.
fn top_level_keys<'t>(lines: &[&'t str]) -> Vec<(&'t str, usize, usize)> {
    let starts: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let first = l.chars().next()?;
            if first.is_whitespace() || matches!(first, '#' | '-' | '"' | '\'' | '?' | '{' | '[') {
                return None;
            }
            let (key, _) = l.split_once(':')?;
            Some((i, key))
        })
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(k, &(i, key))| {
            let end = starts.get(k + 1).map_or(lines.len(), |&(j, _)| j);
            (key, i, end)
        })
        .collect()
}

/// The entries of the block sequence under the key on line `from`: each
/// from its dash to the next at the same column, as `[a, b)`.
fn entries(lines: &[&str], from: usize, to: usize) -> Vec<(usize, usize)> {
    let dash = lines[from + 1..to]
        .iter()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .and_then(|l| {
            let col = l.len() - l.trim_start().len();
            l[col..].starts_with('-').then_some(col)
        });
    let Some(col) = dash else {
        return vec![(from, to)];
    };
    let starts: Vec<usize> = (from + 1..to)
        .filter(|&i| {
            let l = lines[i];
            l.len() > col && l[..col].trim().is_empty() && l[col..].starts_with('-')
        })
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(k, &a)| (a, starts.get(k + 1).copied().unwrap_or(to)))
        .collect()
}

/// Reads lines `[a, b)` of key `key` (whose own line is `from`) as a record
/// with the needed keys filled in, at their own line numbers: the problem
/// it has, if it is in those lines.
fn read_piece(lines: &[&str], key: &str, from: usize, a: usize, b: usize) -> Option<Problem> {
    // The key's line just before the piece; blank lines before that.
    let head = if a == from { a } else { a - 1 };
    let mut doc = "\n".repeat(head);
    doc.push_str(lines[from]);
    doc.push('\n');
    for l in &lines[a.max(from + 1)..b] {
        doc.push_str(l);
        doc.push('\n');
    }
    // A piece that is not a mapping of that one key alone is left alone.
    match yaml::from_str::<serde_json::Value>(&doc) {
        Ok(serde_json::Value::Object(m)) if m.len() == 1 && m.contains_key(key) => {}
        _ => return None,
    }
    for (needed, filler) in NEEDED {
        if needed != key {
            doc.push_str(filler);
            doc.push('\n');
        }
    }
    let e = yaml::from_str::<Record>(&doc).err()?;
    let line = usize::try_from(e.line).ok()?;
    (line > head && line <= b).then_some(Problem {
        line: e.line,
        column: e.column,
        message: e.message,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(u64, String)> {
        let (r, found) = check_text(text, &Process::builtin(), true);
        assert!(r.is_none(), "{text}");
        found.into_iter().map(|p| (p.line, p.message)).collect()
    }

    const HISTORY: &str =
        "history:\n- at: \"2026-11-20T10:00:00Z\"\n  event: created\n  step: research\n";

    #[test]
    fn every_key_of_the_wrong_type_is_reported_the_first_first() {
        let text = format!(
            "name: [A]\nowner: {{a: 1}}\nstage: research\nstatus: opne\nfollow_up: 7\nvalue: abc\n{HISTORY}"
        );
        let got = problems(&text);
        let lines: Vec<u64> = got.iter().map(|p| p.0).collect();
        assert_eq!(lines, [1, 2, 4, 5, 6], "{got:?}");
        assert_eq!(got[0].1, "\"name\" must be text, not a list or mapping");
        assert!(got[2].1.starts_with("unknown status \"opne\""), "{got:?}");
        assert!(
            got[4].1.starts_with("\"value\" must be a number"),
            "{got:?}"
        );
    }

    #[test]
    fn every_wrong_entry_of_a_list_is_reported() {
        // Entries at the key's column and indented under it alike.
        for indent in ["", "  "] {
            let text = format!(
                "name: A\nstage: research\nstatus: open\nhistory:\n{i}- at: [x]\n{i}  event: created\n{i}- at: \"2026-11-20T10:00:00Z\"\n{i}  event: decided\n{i}  outcome: perhaps\n{i}- at: \"2026-11-21T10:00:00Z\"\n{i}  event: noted\ninsights:\n{i}- at: \"2026-11-20T10:00:00Z\"\n{i}  audience: sales\n{i}  text: [a]\n",
                i = indent
            );
            let lines: Vec<u64> = problems(&text).iter().map(|p| p.0).collect();
            assert_eq!(
                lines,
                [5, 9, 15],
                "indent {indent:?}: {:?}",
                problems(&text)
            );
        }
    }

    #[test]
    fn a_missing_key_is_reported_beside_a_wrong_type() {
        let got = problems(&format!("stage: [research]\nstatus: open\n{HISTORY}"));
        assert_eq!(
            got[0],
            (1, "\"stage\" must be text, not a list or mapping".into())
        );
        assert_eq!(got[1], (3, "missing key \"name\"".into()), "{got:?}");
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn text_that_is_not_a_plain_mapping_gives_its_first_problem_alone() {
        // A duplicate key, a syntax error elsewhere, text that is no mapping.
        for text in [
            "name: [A]\nname: B\nstage: [x]\nstatus: open\nhistory: []\n",
            "name: [A]\nstage: [x]\nstatus: open\nhistory: []\nweird: {a: [1}\n",
            "- name: [A]\n- stage: [x]\n",
        ] {
            assert_eq!(problems(text).len(), 1, "{text}: {:?}", problems(text));
        }
    }

    #[test]
    fn a_record_with_a_great_many_wrong_entries_stops_at_the_limit() {
        let mut text = String::from("name: A\nstage: research\nstatus: open\nhistory:\n");
        for _ in 0..80 {
            text.push_str("- at: [x]\n  event: noted\n");
        }
        let got = problems(&text);
        assert_eq!(got.len(), MOST_PROBLEMS);
        assert!(got.windows(2).all(|w| w[0].0 < w[1].0), "{got:?}");
    }

    #[test]
    fn a_record_that_reads_is_not_read_in_pieces() {
        let text = format!("name: A\nstage: research\nstatus: open\n{HISTORY}");
        let (r, found) = check_text(&text, &Process::builtin(), true);
        assert!(r.is_some() && found.is_empty(), "{found:?}");
    }
}
