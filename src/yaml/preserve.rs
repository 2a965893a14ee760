//! Keeping a user's own keys exactly as written. The canonical writer knows
//! only the value a key was read as, so `crm_id: 00123` would come back as
//! `123.0` and a tagged or binary value would change shape. Instead, every
//! top-level key the tool does not know is copied from the text it was read
//! from, byte for byte, as long as its value is unchanged.

use serde_json::{Map, Value};

/// One top-level key's lines: the key line and everything that belongs to it.
struct Block<'a> {
    key: String,
    text: &'a str,
}

/// Splits YAML text into top-level blocks (comments and blank lines before
/// the first key, and between blocks, are dropped).
fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, String)> = None;
    let mut end = 0usize;
    let mut pos = 0usize;
    for line in text.split_inclusive('\n') {
        let here = pos;
        pos += line.len();
        let t = line.trim_end_matches(['\n', '\r']);
        let continues = t.starts_with(' ') || t == "-" || t.starts_with("- ");
        let blank = t.trim().is_empty() || t.starts_with('#');
        if continues {
            end = pos;
            continue;
        }
        if blank {
            continue;
        }
        if let Some((s, key)) = start.take() {
            out.push(Block {
                key,
                text: &text[s..end],
            });
        }
        start = key_of(t).map(|k| (here, k));
        end = pos;
    }
    if let Some((s, key)) = start {
        out.push(Block {
            key,
            text: &text[s..end],
        });
    }
    out
}

/// The key of a top-level `key: …` line, as YAML reads it.
fn key_of(line: &str) -> Option<String> {
    let doc = format!("{line}\n");
    let (k, _) = key_and_value(&doc)?;
    Some(k)
}

/// Read the way a record reads its unknown keys (through serde's flatten,
/// which sees tags and numbers as the record did).
#[derive(serde::Deserialize)]
struct Flat {
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// The single key and value of a block of YAML.
fn key_and_value(block: &str) -> Option<(String, Value)> {
    let map = super::from_str::<Flat>(block).ok()?.extra;
    let mut it = map.into_iter();
    let first = it.next()?;
    it.next().is_none().then_some(first)
}

/// Puts back, in `canonical`, the original text of each unknown top-level
/// key whose value is unchanged.
pub fn keep_unknown(canonical: &str, original: &str, unknown: &Map<String, Value>) -> String {
    if unknown.is_empty() {
        return canonical.to_string();
    }
    let from: Vec<Block> = blocks(original)
        .into_iter()
        .filter(|b| unknown.contains_key(&b.key))
        .collect();
    if from.is_empty() {
        return canonical.to_string();
    }
    let mut out = String::with_capacity(canonical.len());
    for b in blocks(canonical) {
        let kept = unknown.get(&b.key).and_then(|now| {
            from.iter()
                .find(|o| o.key == b.key)
                .filter(|o| key_and_value(o.text).is_some_and(|(_, v)| &v == now))
        });
        match kept {
            Some(o) => {
                out.push_str(o.text);
                if !o.text.ends_with('\n') {
                    out.push('\n');
                }
            }
            None => out.push_str(b.text),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(text: &str, keys: &[&str]) -> Map<String, Value> {
        let all = super::super::from_str::<Flat>(text).unwrap().extra;
        all.into_iter()
            .filter(|(k, _)| keys.contains(&k.as_str()))
            .collect()
    }

    #[test]
    fn unknown_scalars_keep_their_text() {
        let original =
            "name: Acme\ncrm_id: 00123\nzip: 08\nbig: 123456789012345678901\ntagged: !ref 42\n";
        let u = unknown(original, &["crm_id", "zip", "big", "tagged"]);
        let canonical =
            "name: Acme\ncrm_id: 123.0\nzip: 8.0\nbig: 1.2345678901234568e20\ntagged:\n  x: 1\n";
        let out = keep_unknown(canonical, original, &u);
        assert_eq!(
            out,
            "name: Acme\ncrm_id: 00123\nzip: 08\nbig: 123456789012345678901\ntagged: !ref 42\n"
        );
    }

    #[test]
    fn a_changed_value_is_written_canonically() {
        let original = "name: Acme\ncrm_id: 00123\n";
        let mut u = unknown(original, &["crm_id"]);
        u.insert("crm_id".into(), Value::from("00999"));
        let canonical = "name: Acme\ncrm_id: \"00999\"\n";
        assert_eq!(keep_unknown(canonical, original, &u), canonical);
    }

    mod props {
        use crate::prospect::Record;
        use proptest::prelude::*;

        const SCALARS: &[&str] = &[
            "00123",
            "1e3",
            "0o17",
            "0x1F",
            "no",
            "NO",
            "~",
            "null",
            "2026-01-01",
            "123456789012345678901234567890",
            "08",
            "+1",
            ".5",
            "\"quoted: text\"",
            "'single'",
            "!ref 42",
            "[a, b]",
            "{x: 1}",
            "|\n  two\n  lines",
        ];

        fn read(text: &str) -> Record {
            crate::yaml::record_from_str(text).unwrap()
        }

        fn write(r: &Record, original: &str) -> String {
            let canonical = crate::yaml::to_string(r).unwrap();
            super::keep_unknown(&canonical, original, &r.extra)
        }

        proptest! {
            /// Unknown keys with any of these scalars: write → read → write
            /// gives identical bytes, and each value's text is unchanged.
            #[test]
            fn unknown_values_keep_their_text(
                picks in prop::collection::vec((0usize..SCALARS.len(), "[a-z][a-z_]{0,8}"), 1..6),
                name in "[A-Za-z][A-Za-z ]{0,20}",
            ) {
                let base = format!("name: {}\nstage: research\nstatus: open\nhistory: []\n", name.trim());
                let mut text = crate::yaml::to_string(&read(&base)).unwrap();
                let mut seen = std::collections::HashSet::new();
                for (i, key) in &picks {
                    let key = format!("x_{key}");
                    if ["name", "stage", "status", "history"].contains(&key.as_str()) || !seen.insert(key.clone()) {
                        continue;
                    }
                    text.push_str(&format!("{key}: {}\n", SCALARS[*i]));
                }
                let r = read(&text);
                let once = write(&r, &text);
                prop_assert_eq!(&once, &text);
                let again = write(&read(&once), &once);
                prop_assert_eq!(again, once);
            }
        }
    }

    #[test]
    fn blocks_take_their_sequences_and_maps() {
        let text = "a: 1\nb:\n- x\n- y\nc:\n  d: 2\n# note\ne: |\n  two\n  lines\n";
        let keys: Vec<String> = blocks(text).into_iter().map(|b| b.key).collect();
        assert_eq!(keys, ["a", "b", "c", "e"]);
        assert_eq!(blocks(text)[1].text, "b:\n- x\n- y\n");
    }
}
