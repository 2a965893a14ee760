//! What `fmt` (and every write, before it changes a record) repairs beyond
//! layout: answers whose YAML type does not fit their item's type, when the
//! text as written is in the file. A YAML 1.1
//! tool (PyYAML, `yq -y`) writes `industry: "0o17"` back as `industry: 0o17`,
//! which a YAML 1.2 reader takes for the number 15: the file still holds
//! `0o17`, so the text item gets it back, quoted.

use crate::process::{ItemType, Process};
use crate::prospect::Record;
use crate::yaml::spans::{self, Scalar};
use serde_json::Value;

/// Puts back the written text of number and boolean answers to text items,
/// and reads a quoted plain number in a number item as the number. Returns
/// one line per repair (`research/industry: 15 → "0o17"`).
pub fn answer_types(record: &mut Record, text: &str, process: &Process) -> Vec<String> {
    let mut fixed = Vec::new();
    let mut tree = None;
    for (step, items) in record.answers.iter_mut() {
        let Some(s) = process.step(step) else {
            continue;
        };
        for (item, value) in items.iter_mut() {
            let Some(it) = s.checklist.items.iter().find(|i| &i.id == item) else {
                continue;
            };
            let new = match (it.kind, &*value) {
                (ItemType::Text, Value::Number(_) | Value::Bool(_)) => {
                    let tree = tree.get_or_insert_with(|| spans::parse(text));
                    written(tree.as_ref(), text, &["answers", step, item]).map(Value::String)
                }
                (ItemType::Number, Value::String(s)) => plain_number(s),
                _ => None,
            };
            if let Some(new) = new {
                fixed.push(format!("{step}/{item}: {value} → {new}"));
                *value = new;
            }
        }
    }
    fixed
}

/// The text of a plain (unquoted, one-line, untagged) scalar as written at
/// `path`, when the parser read it as a number or boolean.
fn written(tree: Option<&spans::Node>, text: &str, path: &[&str]) -> Option<String> {
    let node = tree?.get(path)?;
    if !matches!(
        node.kind_scalar()?,
        Scalar::Int(_) | Scalar::Float(_) | Scalar::Bool(_)
    ) {
        return None;
    }
    let src = node.source(text)?.trim();
    let plain = !src.is_empty()
        && !src.contains(['\n', '#'])
        && !src.starts_with(['"', '\'', '!', '&', '*', '|', '>']);
    plain.then(|| src.to_string())
}

/// `"15000"` or `"-12.5"` as a number; anything else stays as it is.
fn plain_number(s: &str) -> Option<Value> {
    let t = s.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'));
    if !ok {
        return None;
    }
    if !t.contains('.') {
        return t.parse::<i64>().ok().map(Value::from);
    }
    t.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(text: &str) -> (Record, Vec<String>) {
        let mut r = crate::yaml::record_from_str(text).unwrap();
        let fixed = answer_types(&mut r, text, &Process::builtin());
        (r, fixed)
    }

    #[test]
    fn text_items_get_their_written_text_back() {
        let text = "name: A\nstage: research\nstatus: open\nanswers:\n  research:\n    industry: 0o17\n    market-notes: 1e3\n    company-size: \"250\"\n  learn:\n    goals: {a: 1}\n";
        let (r, fixed) = fix(text);
        let research = &r.answers["research"];
        assert_eq!(research["industry"], Value::String("0o17".into()));
        assert_eq!(research["market-notes"], Value::String("1e3".into()));
        assert_eq!(research["company-size"], Value::from(250));
        assert_eq!(fixed.len(), 3, "{fixed:?}");
        assert_eq!(fixed[0], "research/industry: 15 → \"0o17\"");
    }

    #[test]
    fn only_what_is_recoverable_changes() {
        let text = "name: A\nstage: research\nstatus: open\nanswers:\n  research:\n    industry: !!int \"15\"\n    company-size: \"0o17\"\n";
        let (r, fixed) = fix(text);
        assert!(fixed.is_empty(), "{fixed:?}");
        assert_eq!(
            r.answers["research"]["company-size"],
            Value::String("0o17".into())
        );
        assert_eq!(plain_number("007"), None);
        assert_eq!(plain_number("-12.5"), Some(Value::from(-12.5)));
    }
}
