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

/// The keys a record needs, and filler for each: a piece of a record is
/// read with the filler for every needed key it lacks. (`history` may be
/// left out of a record, so it is filler only.)
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
/// entry of `history` or `insights`) does not hide another's, nor a missing
/// key. Where each key and entry is comes from the parser; each is read on
/// its own, with the keys a record needs filled in after it, by the same
/// reader with the same words, and its problem put back at its place. Only
/// for a plain block mapping of distinct keys, one per line at the start of
/// a line (anything else, such as a syntax error, a duplicate or merge key,
/// a flow mapping or a document marker, leaves `first` alone).
fn with_the_rest(text: &str, first: Problem) -> Vec<Problem> {
    let mut out = vec![first];
    let Some(keys) = block_keys(text) else {
        return out;
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    // A needed key that is missing, where the reader says so: at the last key.
    let last = keys.last().map_or(1, |k| k.from as u64 + 1);
    for (needed, _) in &NEEDED[..3] {
        if !keys.iter().any(|k| k.key == *needed) {
            let p = Problem {
                line: last,
                column: 1,
                message: format!("missing key \"{needed}\""),
            };
            found.push((p, 0, lines.len()));
        }
    }
    for k in &keys {
        if found.len() >= MOST_PROBLEMS {
            break;
        }
        if !KNOWN.contains(&k.key.as_str()) {
            continue;
        }
        let Some(whole) = read_piece(&lines, k, k.from, k.to) else {
            continue;
        };
        // A list with a problem: each of its entries on its own (up to a
        // bound, past which the list's first problem stands for the rest),
        // the list's own problem when none of them has one.
        let before = found.len();
        if matches!(k.key.as_str(), "history" | "insights") && k.entries.len() <= MOST_ENTRIES {
            for &(a, b) in &k.entries {
                if found.len() >= MOST_PROBLEMS {
                    break;
                }
                found.extend(read_piece(&lines, k, a, b).map(|p| (p, a, b)));
            }
        }
        if found.len() == before {
            found.push((whole, k.from, k.to));
        }
    }
    // One problem once: the reader may place the same one a line apart
    // when it reads a piece (where it looks ahead differs).
    for (p, a, b) in found {
        let seen = |q: &Problem| {
            (q.line, q.column) == (p.line, p.column)
                || (q.message == p.message
                    && (a as u64..b as u64).contains(&q.line.saturating_sub(1)))
        };
        if !out.iter().any(seen) {
            out.push(p);
        }
    }
    // The first stays first (it is the one every other reader reports);
    // the rest in the order of the file.
    out[1..].sort_by_key(|p| (p.line, p.column));
    out.truncate(MOST_PROBLEMS);
    out
}

/// A top-level key of a record as the parser placed it.
struct Key {
    key: String,
    /// Its lines, `[from, to)`, 0-based: from its own line to the next key's.
    from: usize,
    to: usize,
    /// For a block sequence whose every entry starts with its dash on the
    /// entry's first line: each entry's lines, `[a, b)`.
    entries: Vec<(usize, usize)>,
}

/// The top-level keys of `text`, when it is a block mapping of distinct
/// keys each at the start of its own line, with no document marker and
/// `\n` or `\r\n` line ends; `None` otherwise.
fn block_keys(text: &str) -> Option<Vec<Key>> {
    if text.split("\r\n").any(|part| part.contains('\r')) {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let marker = |l: &&str| l.starts_with("---") || l.starts_with("...");
    if lines.iter().any(marker) {
        return None;
    }
    let root = yaml::spans::parse(text)?;
    let yaml::spans::Kind::Map(entries) = root.kind else {
        return None;
    };
    // Each key's line, name and (for a list) its entries' first lines.
    let mut found: Vec<(usize, &str, Vec<usize>)> = Vec::with_capacity(entries.len());
    for e in &entries {
        let from = usize::try_from(e.line).ok()?.checked_sub(1)?;
        let own = lines.get(from)?;
        let plain = own.trim_start_matches('\u{feff}');
        if e.column != 1 + (own.chars().count() - plain.chars().count()) as u64
            || e.key == "<<"
            || !plain.starts_with(e.key.as_str())
            || found.iter().any(|k| k.1 == e.key || k.0 >= from)
        {
            return None;
        }
        let mut starts = Vec::new();
        if let yaml::spans::Kind::Seq(items) = &e.value.kind {
            for item in items {
                let a = usize::try_from(item.line).ok()?.checked_sub(1)?;
                let dash = lines.get(a).and_then(|l| {
                    let col = usize::try_from(item.column).ok()?.checked_sub(3)?;
                    let before: String = l.chars().take(col + 1).collect();
                    (before.ends_with('-') && before.chars().take(col).all(|c| c == ' '))
                        .then_some(())
                });
                if dash.is_none() || a <= from || starts.last().is_some_and(|&b| b >= a) {
                    starts.clear();
                    break;
                }
                starts.push(a);
            }
        }
        found.push((from, &e.key, starts));
    }
    // Each key ends where the next begins; each entry where the next does.
    let froms: Vec<usize> = found.iter().map(|k| k.0).collect();
    let keys = ranges(&froms, lines.len())
        .into_iter()
        .zip(found)
        .map(|((from, to), (_, key, starts))| Key {
            key: key.to_string(),
            from,
            to,
            entries: ranges(&starts, to),
        })
        .collect();
    Some(keys)
}

/// Each of `starts` (increasing) to the next, the last to `end`.
fn ranges(starts: &[usize], end: usize) -> Vec<(usize, usize)> {
    let ends = starts.iter().skip(1).copied().chain([end]);
    starts.iter().copied().zip(ends).collect()
}

/// Reads lines `[a, b)` of key `k` (the whole key when `a` is its own
/// line, else one entry of its list, under the key's line) as a record
/// with the needed keys filled in: the problem it has, at its place in the
/// file, if it is in those lines.
fn read_piece(lines: &[&str], k: &Key, a: usize, b: usize) -> Option<Problem> {
    let mut doc = String::new();
    doc.push_str(lines[k.from]);
    doc.push('\n');
    for l in &lines[a.max(k.from + 1)..b] {
        doc.push_str(l);
        doc.push('\n');
    }
    // A piece that is not a mapping of that one key alone is left alone
    // (say, one that uses an alias from another key).
    match yaml::from_str::<serde_json::Value>(&doc) {
        Ok(serde_json::Value::Object(m)) if m.len() == 1 && m.contains_key(&k.key) => {}
        _ => return None,
    }
    for (needed, filler) in NEEDED {
        if needed != k.key {
            doc.push_str(filler);
            doc.push('\n');
        }
    }
    let e = yaml::from_str::<Record>(&doc).err()?;
    // The piece's line 1 is the key's; its line 2 on are lines `a..` (or
    // `from + 1..` for the whole key).
    let first = a.max(k.from + 1);
    let piece_lines = (b - first) as u64 + 1;
    if e.line < 1 || e.line > piece_lines || (a != k.from && e.line < 2) {
        return None;
    }
    let line = if e.line == 1 {
        k.from as u64 + 1
    } else {
        first as u64 + e.line - 1
    };
    Some(Problem {
        line,
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
    fn a_record_written_oddly_gets_no_problem_it_does_not_have() {
        // Each has one problem only (its status), whatever the way its keys
        // are written (found by a review: each gave a false missing key or
        // a false type error, or a panic).
        let rest = format!("stage: research\nstatus: opne\n{HISTORY}");
        for text in [
            format!("\"name\": A\n{rest}"),
            format!("\u{feff}name: A\n{rest}"),
            format!("name : A\n{rest}"),
            format!("? name\n: A\n{rest}"),
            "{name: A, stage: research, status: opne, history: []}\n".to_string(),
            format!("b: &b\n  name: A\n<<: *b\n{rest}"),
            format!("name: A\r{}", rest.replace('\n', "\r")),
            format!("name: A\n{rest}...\n"),
            format!("name: A\nowner: \"a\nstage: [x]\n#\"\n{rest}"),
            format!(
                "name: A\n{rest}- at: \"2026-11-21T10:00:00Z\"\n  event: noted\n  why: \"we will\n- at: [x]\n  see\"\n"
            ),
        ] {
            let got = problems(&text);
            assert_eq!(got.len(), 1, "{text:?}: {got:?}");
            assert!(got[0].1.contains("opne"), "{text:?}: {got:?}");
        }
    }

    #[test]
    fn entries_indented_past_a_comment_with_wide_characters_are_read() {
        // Used to slice the comment at a byte inside `€`.
        let text = "name: A\nstage: research\nstatus: open\nhistory:\n    - at: \"2026-11-20T10:00:00Z\"\n      event: created\n# € deal\n    - at: \"2026-11-21T10:00:00Z\"\n      event: decided\n      outcome: perhaps\n    - at: [x]\n      event: noted\n";
        let lines: Vec<u64> = problems(text).iter().map(|p| p.0).collect();
        assert_eq!(lines, [10, 11], "{:?}", problems(text));
    }

    #[test]
    fn a_list_in_a_text_key_is_one_problem() {
        let text =
            format!("name: A\nstage: research\nstatus: open\n{HISTORY}owner: # who\n- a\n- b\n");
        assert_eq!(problems(&text).len(), 1, "{:?}", problems(&text));
    }

    #[test]
    fn a_record_that_reads_is_not_read_in_pieces() {
        let text = format!("name: A\nstage: research\nstatus: open\n{HISTORY}");
        let (r, found) = check_text(&text, &Process::builtin(), true);
        assert!(r.is_some() && found.is_empty(), "{found:?}");
    }
}
