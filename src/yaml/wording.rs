//! serde-saphyr's messages speak to programmers (`set DuplicateKeyPolicy in
//! Options`, `use Option<String>`); these are sentences about the file.

use super::Limits;

/// Rewords a parser message; `line` and `column` (1-based, 0 when unknown)
/// are where it happened.
pub(super) fn humanize(msg: &str, text: &str, line: u64, column: u64, limits: &Limits) -> String {
    let key = || key_of(text, line, column);
    let named = |what: &str| match key() {
        Some(k) => format!("\"{k}\" {what}"),
        None => format!("this value {what}"),
    };
    if let Some(rest) = msg.strip_prefix("duplicate mapping key") {
        let k = rest
            .strip_prefix(": ")
            .and_then(|r| r.rsplit_once(", set DuplicateKeyPolicy"))
            .map(|(k, _)| k.to_string())
            .or_else(key);
        return match k {
            Some(k) => match first_at(text, line, &k) {
                Some(first) => {
                    format!("duplicate key \"{k}\" (line {line}; first at line {first})")
                }
                None => format!("duplicate key \"{k}\" (line {line})"),
            },
            None => format!("duplicate key (line {line})"),
        };
    }
    if let Some(rest) = msg.strip_prefix("budget breached: ") {
        let what = rest.split([' ', '{']).next().unwrap_or(rest);
        return match what {
            "Depth" => format!("too deeply nested (over {} levels)", limits.depth),
            "Nodes" | "Events" => format!("too many values (over {})", limits.nodes),
            "Aliases"
            | "Anchors"
            | "AliasAnchorRatio"
            | "RecordedAnchorEvents"
            | "RecordedAnchorBytes" => {
                "aliases (*name) that expand to too many values to read safely".to_string()
            }
            "ScalarBytes" | "TotalScalarBytes" => {
                format!("too much text (over {} MiB)", limits.bytes / (1024 * 1024))
            }
            "Documents" => "too many YAML documents (--- lines)".to_string(),
            _ => format!("too large or too complex to read safely ({what})"),
        };
    }
    if msg.contains("recursion limit") || msg.contains("nesting limit") {
        return format!("too deeply nested (over {} levels)", limits.depth);
    }
    if msg.contains("cannot deserialize null into string") {
        return named(
            "has no value\nhint: write text after the colon, or quote it if it is meant to read ~ or null",
        );
    }
    if msg.contains("from_str_multiple") {
        return "more than one YAML document (a `---` line starts another); a record is one document".into();
    }
    if msg.contains("recursive references require") {
        return "an alias (*name) refers back to its own anchor (&name), a loop a record cannot hold".into();
    }
    if msg == "expected string scalar" {
        return named("must be text, not a list or mapping");
    }
    if msg == "expected sequence start" {
        return named("must be a list (lines starting with `- `)");
    }
    if msg == "expected mapping start" {
        return match key() {
            Some(k) => format!("\"{k}\" must be a mapping (`key: value` lines)"),
            None => "this must be a mapping of `key: value` lines (a record starts with `name: …`)"
                .into(),
        };
    }
    if msg.starts_with("unexpected end of input") {
        return if text.trim().is_empty() {
            "the file is empty (a record needs at least name, stage, status and history)".into()
        } else {
            "the file ends in the middle of a value".into()
        };
    }
    if let Some(field) = between(msg, "missing field `", "`") {
        return format!("missing key \"{field}\"");
    }
    if let Some(field) = between(msg, "unknown field `", "`") {
        let expected = msg.split_once("expected ").map(|(_, e)| e);
        return match expected {
            Some(e) => format!("unknown key \"{field}\" (expected {e})"),
            None => format!("unknown key \"{field}\""),
        };
    }
    if let Some(value) = between(msg, "unknown variant `", "`") {
        let expected = msg.split_once("expected ").map(|(_, e)| e);
        let what = key().unwrap_or_else(|| "value".into());
        return match expected {
            Some(e) => format!("unknown {what} \"{value}\" (expected {e})"),
            None => format!("unknown {what} \"{value}\""),
        };
    }
    if msg.contains("found a tab") || msg.contains("tab character") {
        return "a tab character where YAML needs spaces (indent with spaces only)".into();
    }
    if let Some(c) = between(msg, "unexpected character: `", "'") {
        let shown = c
            .strip_prefix("\\u{")
            .and_then(|h| h.strip_suffix('}'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .map_or(c.to_string(), |n| format!("U+{n:04X}"));
        return format!("a control character ({shown}) that YAML text cannot hold");
    }
    if msg.contains("unknown anchor") {
        return "an alias (*name) with no anchor (&name) before it".into();
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ")
        && let Some((found, wanted)) = rest.split_once(", expected ")
    {
        // serde's words for a value of the wrong kind; a record's numbers
        // are JSON numbers inside, which a YAML file's reader need not know.
        let wanted = wanted.replace("a JSON number", "a number");
        return named(&format!("must be {wanted}, not {found}"));
    }
    msg.to_string()
}

fn between<'a>(msg: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &msg[msg.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The key whose value is at `line` and `column` (the parser's, in
/// characters): the key on that line when the value follows it there
/// (`name: [a]`, or `at:` with nothing after its colon), else the key of
/// the block the value starts (`owner:` above `  first: sam`, `- at:`
/// above `  - x`).
fn key_of(text: &str, line: u64, column: u64) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = usize::try_from(line).ok()?.checked_sub(1)?;
    let l = lines.get(at)?;
    // Up to and including the character at the column (a missing value is
    // placed on its key's colon).
    let before: String = l.chars().take(usize::try_from(column).ok()?).collect();
    if before.trim_start().trim_start_matches("- ").contains(':') || column == 0 {
        return key_at(text, line);
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let own = indent(l);
    let dash = l.trim_start().starts_with('-');
    for i in (0..at).rev() {
        let p = lines[i];
        if p.trim().is_empty() || p.trim_start().starts_with('#') {
            continue;
        }
        // A block sequence may sit at its key's own indentation.
        if indent(p) < own || (dash && indent(p) == own && opens_block(p)) {
            return key_at(text, i as u64 + 1);
        }
    }
    key_at(text, line)
}

/// True for a `key:` line whose value is on the lines below (after the
/// colon, at most an anchor, a tag and a comment).
fn opens_block(line: &str) -> bool {
    let Some((_, rest)) = line.split_once(':') else {
        return false;
    };
    rest.split_whitespace()
        .take_while(|t| !t.starts_with('#'))
        .all(|t| t.starts_with('&') || t.starts_with('!'))
}

/// The key written on 1-based `line` (after a `- ` when the line starts an
/// entry), when it is one plain word.
fn key_at(text: &str, line: u64) -> Option<String> {
    let l = text
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let (k, _) = l.trim_start().trim_start_matches("- ").split_once(':')?;
    let k = k.trim().trim_matches(['"', '\'']);
    (!k.is_empty() && !k.contains(' ')).then(|| k.to_string())
}

/// The line where `key` first appears at the indentation it has on `line`.
fn first_at(text: &str, line: u64, key: &str) -> Option<u64> {
    let lines: Vec<&str> = text.lines().collect();
    let at = usize::try_from(line).ok()?.checked_sub(1)?;
    let indent = |l: &str| l.len() - l.trim_start().len();
    let want = indent(lines.get(at)?);
    // Walk back to the start of the mapping that holds the duplicate.
    let mut first = None;
    for i in (0..at).rev() {
        let l = lines[i];
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        if indent(l) < want {
            break;
        }
        if indent(l) == want && key_at(text, i as u64 + 1).as_deref() == Some(key) {
            first = Some(i as u64 + 1);
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use crate::prospect::Record;
    use crate::yaml::from_str;

    fn message(text: &str) -> String {
        from_str::<Record>(text).unwrap_err().message
    }

    #[test]
    fn duplicate_keys_name_both_lines() {
        let m = message(
            "name: A\nstage: research\nstatus: open\nhistory: []\nowner: x\nfoo: 1\nstage: qualify\n",
        );
        assert_eq!(m, "duplicate key \"stage\" (line 7; first at line 2)");
    }

    #[test]
    fn a_block_of_the_wrong_type_is_named_by_the_key_that_holds_it() {
        let base = "name: A\nstage: research\nstatus: open\nhistory: []\n";
        // The value starts on the next line: the key above names it, not
        // the first key inside it.
        assert_eq!(
            message(&format!("{base}owner:\n  first: sam\n")),
            "\"owner\" must be text, not a list or mapping"
        );
        assert_eq!(
            message("name:\n- a\n- b\nstage: research\n"),
            "\"name\" must be text, not a list or mapping"
        );
        assert_eq!(
            message(&format!("{base}contact:\n  name:\n    a: 1\n")),
            "\"name\" must be text, not a list or mapping"
        );
        // A missing value is placed on its key's colon.
        assert!(
            message("name: A\nstage: research\nstatus: open\nhistory:\n- at:\n  event: noted\n")
                .starts_with("\"at\" has no value")
        );
        assert!(
            message("name: A\nstage: research\nstatus: open\nhistory:\n- event: noted\n  at:\n")
                .starts_with("\"at\" has no value")
        );
        // A comment after the key that holds a list.
        assert_eq!(
            message(&format!("{base}owner: # who\n- a\n")),
            "\"owner\" must be text, not a list or mapping"
        );
        // A colon inside a quoted item is not a key.
        assert_eq!(
            message(
                "name: A\nstage: research\nstatus: open\nhistory:\n- at:\n  - \"2026-11-22T10:00:00Z\"\n  event: noted\n"
            ),
            "\"at\" must be text, not a list or mapping"
        );
    }

    #[test]
    fn depth_null_and_types_read_as_sentences() {
        let deep = format!("name: A\nx: {}1{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(message(&deep), "too deeply nested (over 64 levels)");
        assert!(message("name: ~\nstage: research\n").starts_with("\"name\" has no value"));
        assert_eq!(
            message("name: [1]\n"),
            "\"name\" must be text, not a list or mapping"
        );
        assert_eq!(
            message("name: A\nhistory: 5\n"),
            "\"history\" must be a list (lines starting with `- `)"
        );
        assert!(message("").starts_with("the file is empty"));
        assert_eq!(message("stage: research\n"), "missing key \"name\"");
        assert_eq!(
            message("name: A\nstage: research\nstatus: opne\n"),
            "unknown status \"opne\" (expected one of open, nurturing, won, lost)"
        );
        assert!(message("name: A\n\tstage: x\n").starts_with("a tab character"));
        assert_eq!(
            message("name: A\0\n"),
            "a control character (U+0000) that YAML text cannot hold"
        );
        assert!(message("a: &a\n  b: *a\nname: A\n").contains("refers back to its own anchor"));
        assert_eq!(
            message("name: A\nstage: research\nstatus: open\nvalue: abc\nhistory: []\n"),
            "\"value\" must be a number, not string \"abc\""
        );
    }

    #[test]
    fn no_library_wording_is_left() {
        for text in [
            "name: A\nname: B\n",
            "a: &a\n  b: *a\n",
            "name: ~\n",
            "name: x\n---\nname: y\n",
        ] {
            let m = message(text);
            for bad in [
                "Option<",
                "Policy",
                "from_str",
                "budget breached",
                "weak recursion",
            ] {
                assert!(!m.contains(bad), "{text:?}: {m}");
            }
        }
    }

    #[test]
    fn invalid_utf8_names_the_byte_and_place() {
        let mut bytes = b"name: A\nstage: x".to_vec();
        bytes.push(0xff);
        let e = crate::yaml::decode(bytes).unwrap_err();
        assert_eq!((e.line, e.column), (2, 9));
        assert!(
            e.message
                .starts_with("not UTF-8 text (byte 0xff at offset 16)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn limits_are_the_same_for_reads_and_writes() {
        let small = crate::yaml::Limits {
            bytes: 1000,
            depth: 64,
            nodes: 10,
        };
        let text = "- 1\n".repeat(20);
        let e = crate::yaml::from_str_within::<serde::de::IgnoredAny>(&text, &small).unwrap_err();
        assert_eq!(e.message, "too many values (over 10)");
        let big = "x".repeat(1001);
        let e = crate::yaml::from_str_within::<serde::de::IgnoredAny>(&big, &small).unwrap_err();
        assert!(
            e.message.starts_with("too large (1001 bytes"),
            "{}",
            e.message
        );
    }
}
