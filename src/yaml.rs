//! The one module that talks to serde-saphyr: strict reading, canonical writing,
//! and errors that carry a line and column.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;

mod preserve;
pub mod spans;
mod wording;
pub use preserve::keep_unknown;

/// A YAML problem at a known place in a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line, 0 when unknown.
    pub line: u64,
    /// 1-based column, 0 when unknown.
    pub column: u64,
    /// What is wrong, without the source snippet.
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for YamlError {}

/// The largest file read or written as YAML: 16 MiB. Ten years of daily
/// activity (an answer, a decision and an insight every day) is about 2 MiB.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// The deepest nesting of lists and mappings (a record needs 4).
pub const MAX_DEPTH: usize = 64;
/// The most values (scalars, lists, mappings) in one file: 40 times what ten
/// years of daily activity needs (about 12 per history event).
pub const MAX_NODES: usize = 2_000_000;

/// The limits every read and every write enforces, so that salesproc never
/// writes a file it cannot read back.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of text.
    pub bytes: usize,
    /// Nesting depth.
    pub depth: usize,
    /// Values.
    pub nodes: usize,
}

/// The limits salesproc reads and writes with.
pub const LIMITS: Limits = Limits {
    bytes: MAX_BYTES,
    depth: MAX_DEPTH,
    nodes: MAX_NODES,
};

/// Parses YAML text strictly: only `true`/`false` are booleans, so a hand-written
/// `NO` or the `y` of a list stays a string (YAML 1.1 and 1.2 readers agree).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    from_str_within(text, &LIMITS)
}

/// [`from_str`] within `limits`.
pub fn from_str_within<T: DeserializeOwned>(text: &str, limits: &Limits) -> Result<T, YamlError> {
    if text.len() > limits.bytes {
        return Err(YamlError {
            line: 0,
            column: 0,
            message: format!(
                "too large ({}; the limit is {})",
                size(text.len()),
                size(limits.bytes)
            ),
        });
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
        budget: serde_saphyr::budget! {
            max_depth: limits.depth,
            max_nodes: limits.nodes,
            max_events: limits.nodes.saturating_mul(3),
            max_total_scalar_bytes: limits.bytes,
        },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let message = wording::humanize(&clean_message(&e.to_string()), text, line, column, limits);
        YamlError {
            line,
            column,
            message,
        }
    })
}

/// Checks that `text` is within the limits a read enforces (the write path
/// calls this before saving, so a write never leaves an unreadable file).
pub fn check_limits(text: &str) -> Result<(), YamlError> {
    // Text the fast reader takes whole is within every limit: its own are
    // tighter (depth 32, 100,000 values), and it reads only what the full
    // parser reads the same (property-tested). Everything else is parsed.
    if text.len() <= LIMITS.bytes && crate::fastyaml::parse_value(text).is_some() {
        return Ok(());
    }
    from_str::<serde::de::IgnoredAny>(text).map(|_| ())
}

/// Decodes file bytes as UTF-8; the error names the first bad byte and
/// where it is.
pub fn decode(bytes: Vec<u8>) -> Result<String, YamlError> {
    String::from_utf8(bytes).map_err(|e| not_utf8(e.as_bytes(), e.utf8_error().valid_up_to()))
}

/// As [`decode`], borrowing the bytes.
pub fn decode_str(bytes: &[u8]) -> Result<&str, YamlError> {
    std::str::from_utf8(bytes).map_err(|e| not_utf8(bytes, e.valid_up_to()))
}

/// What is said of `bytes`, not UTF-8 from offset `at` on.
fn not_utf8(bytes: &[u8], at: usize) -> YamlError {
    let before = &bytes[..at];
    let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    YamlError {
        line,
        column,
        message: format!(
            "not UTF-8 text (byte 0x{:02x} at offset {at})\nhint: save the file as UTF-8",
            bytes[at]
        ),
    }
}

/// A byte count for people: `16 MiB`, `50.0 MiB`, `812 bytes`.
fn size(n: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else {
        format!("{n} bytes")
    }
}

/// Parses a record: the fast reader for the canonical form salesproc writes,
/// the full parser for anything else.
pub fn record_from_str(text: &str) -> Result<crate::prospect::Record, YamlError> {
    match crate::fastyaml::parse_record(text) {
        Some(r) => Ok(r),
        None => from_str(text),
    }
}

/// Serializes canonically: ambiguous scalars quoted, long lines never folded,
/// multi-line text as `|` block scalars.
pub fn to_string<T: Serialize>(value: &T) -> anyhow::Result<String> {
    let options = serde_saphyr::ser_options! { folded_wrap_chars: usize::MAX };
    Ok(serde_saphyr::to_string_with_options(value, options)?)
}

/// As [`to_string`], written to `out` as it is made (nothing kept); an error
/// of `out` (a closed pipe) comes back as it was.
pub fn to_writer<T: Serialize>(out: &mut dyn std::io::Write, value: &T) -> std::io::Result<()> {
    struct Keep<'a> {
        out: &'a mut dyn std::io::Write,
        err: Option<std::io::Error>,
    }
    impl std::io::Write for Keep<'_> {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.out.write(b).inspect_err(|e| {
                self.err = Some(std::io::Error::new(e.kind(), e.to_string()));
            })
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.out.flush()
        }
    }
    let mut keep = Keep { out, err: None };
    let options = serde_saphyr::ser_options! { folded_wrap_chars: usize::MAX };
    match serde_saphyr::to_io_writer_with_options(&mut keep, value, options) {
        Ok(()) => Ok(()),
        Err(e) => Err(keep
            .err
            .take()
            .unwrap_or_else(|| std::io::Error::other(e.to_string()))),
    }
}

/// Keeps the first line of serde-saphyr's rendering, minus its `error: line L column C:` prefix.
fn clean_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or(rendered).trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let rest = match first.strip_prefix("line ") {
        Some(r) => r.split_once(": ").map(|(_, m)| m).unwrap_or(r),
        None => first,
    };
    rest.trim().to_string()
}

/// Finds the line and column of a key path (`["answers", "research", "industry"]`,
/// with numbers as sequence indexes): the parser's own place for it, in any
/// style. Falls back to the deepest part that was found, and to 1:1.
pub fn locate(text: &str, path: &[&str]) -> (u64, u64) {
    Locator::new(text).locate(path)
}

/// Places in one text, parsed once for many look-ups.
pub struct Locator<'t> {
    text: &'t str,
    tree: std::cell::OnceCell<Option<spans::Node>>,
}

impl<'t> Locator<'t> {
    /// A locator over `text` (parsed on the first look-up).
    pub fn new(text: &'t str) -> Locator<'t> {
        Locator {
            text,
            tree: std::cell::OnceCell::new(),
        }
    }

    /// The place of `path`, from the parser; from indentation when the text
    /// does not parse as plain YAML.
    pub fn locate(&self, path: &[&str]) -> (u64, u64) {
        let Some(tree) = self.tree() else {
            return guess(self.text, path);
        };
        let (line, column, item) = tree.place_item(path);
        // A block sequence item is shown at its dash, as people read it.
        let dash = item
            && column > 2
            && self
                .text
                .lines()
                .nth(line as usize - 1)
                .map(|l| {
                    l.chars()
                        .skip(column as usize - 3)
                        .take(2)
                        .collect::<String>()
                })
                .is_some_and(|two| two == "- ");
        (line, if dash { column - 2 } else { column })
    }

    /// The text of the value at `path` as written (quotes included).
    pub fn source(&self, path: &[&str]) -> Option<&'t str> {
        self.tree()?.get(path)?.source(self.text).map(str::trim)
    }

    /// The parsed tree, when the text parses.
    pub fn tree(&self) -> Option<&spans::Node> {
        self.tree.get_or_init(|| spans::parse(self.text)).as_ref()
    }
}

/// The place of `path` guessed from indentation, for text the parser refuses.
fn guess(text: &str, path: &[&str]) -> (u64, u64) {
    let lines: Vec<&str> = text.lines().collect();
    let mut best = (1u64, 1u64);
    let mut start = 0usize;
    let mut end = lines.len();
    let mut parent_indent: isize = -1;
    for seg in path {
        let found = if let Ok(index) = seg.parse::<usize>() {
            find_item(&lines, start, end, parent_indent, index)
        } else {
            find_key(&lines, start, end, parent_indent, seg)
        };
        let Some((line_no, col, indent)) = found else {
            break;
        };
        best = (line_no as u64 + 1, col as u64 + 1);
        start = line_no + 1;
        end = block_end(&lines, line_no + 1, indent);
        if seg.parse::<usize>().is_ok() {
            // Keys of a mapping inside "- key: v" sit at the dash's indent + 2.
            start = line_no;
            parent_indent = indent as isize;
        } else {
            parent_indent = indent as isize;
        }
    }
    best
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

fn block_end(lines: &[&str], from: usize, indent: usize) -> usize {
    let mut i = from;
    while i < lines.len() {
        let l = lines[i];
        if is_content(l) && indent_of(l) <= indent && !l.trim_start().starts_with("- ") {
            return i;
        }
        if is_content(l) && indent_of(l) < indent {
            return i;
        }
        i += 1;
    }
    lines.len()
}

fn find_key(
    lines: &[&str],
    start: usize,
    end: usize,
    parent: isize,
    key: &str,
) -> Option<(usize, usize, usize)> {
    for (i, l) in lines.iter().enumerate().take(end).skip(start) {
        if !is_content(l) {
            continue;
        }
        let mut indent = indent_of(l);
        let mut rest = &l[indent..];
        while let Some(r) = rest.strip_prefix("- ") {
            indent += 2;
            rest = r;
        }
        if (indent as isize) <= parent {
            continue;
        }
        let k = rest
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        if k == key && rest.contains(':') {
            return Some((i, indent, indent));
        }
    }
    None
}

fn find_item(
    lines: &[&str],
    start: usize,
    end: usize,
    parent: isize,
    index: usize,
) -> Option<(usize, usize, usize)> {
    let mut seen = 0usize;
    let mut item_indent: Option<usize> = None;
    for (i, l) in lines.iter().enumerate().take(end).skip(start) {
        if !is_content(l) {
            continue;
        }
        let indent = indent_of(l);
        if !l[indent..].starts_with('-') || (indent as isize) < parent {
            continue;
        }
        if *item_indent.get_or_insert(indent) != indent {
            continue;
        }
        if seen == index {
            return Some((i, indent, indent + 1));
        }
        seen += 1;
    }
    None
}

#[cfg(test)]
mod limit_tests {
    use super::{LIMITS, check_limits};

    /// Nested block maps, `depth` deep, in the canonical form the fast reader takes.
    fn nested(depth: usize) -> String {
        let mut s = String::new();
        for d in 0..depth {
            s.push_str(&"  ".repeat(d));
            s.push_str("k:\n");
        }
        s.push_str(&"  ".repeat(depth));
        s.push_str("v: 1\n");
        s
    }

    #[test]
    fn what_the_fast_reader_takes_is_within_the_limits_and_the_rest_is_parsed() {
        // Taken by the fast reader (depth under 32).
        assert!(crate::fastyaml::parse_value(&nested(10)).is_some());
        assert!(check_limits(&nested(10)).is_ok());
        // Too deep for the fast reader, within the limit: the full parser says yes.
        assert!(crate::fastyaml::parse_value(&nested(40)).is_none());
        assert!(check_limits(&nested(40)).is_ok());
        // Beyond the limit: refused.
        assert!(check_limits(&nested(LIMITS.depth + 5)).is_err());
        // Too large: refused before any reading.
        let big = format!("k: \"{}\"\n", "x".repeat(LIMITS.bytes));
        assert!(check_limits(&big).is_err());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "name: Acme\nanswers:\n  research:\n    industry: Logistics\n  qualify:\n    role: x\nhistory:\n- at: a\n  event: created\n- at: b\n  event: decided\n  outcome: \"yes\"\n";

    #[test]
    fn locates_nested_keys() {
        assert_eq!(locate(DOC, &["answers", "qualify", "role"]), (6, 5));
        assert_eq!(locate(DOC, &["answers", "research"]), (3, 3));
        assert_eq!(locate(DOC, &["name"]), (1, 1));
    }

    #[test]
    fn locates_sequence_items() {
        assert_eq!(locate(DOC, &["history", "1"]), (10, 1));
        assert_eq!(locate(DOC, &["history", "1", "outcome"]), (12, 3));
        assert_eq!(locate(DOC, &["history", "0", "event"]), (9, 3));
    }

    #[test]
    fn falls_back_to_the_deepest_found() {
        assert_eq!(locate(DOC, &["answers", "learn"]), (2, 1));
    }

    #[test]
    fn errors_carry_line_and_column() {
        let e =
            from_str::<std::collections::BTreeMap<String, String>>("a: b\nc: [1\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(!e.message.contains("-->"), "{e}");
    }

    #[test]
    fn ambiguous_scalars_are_quoted() {
        let v = vec!["no", "yes", "2026-12-03", "y", "NO", "on", "plain"];
        let out = to_string(&v).unwrap();
        assert_eq!(
            out,
            "- \"no\"\n- \"yes\"\n- \"2026-12-03\"\n- \"y\"\n- \"NO\"\n- \"on\"\n- plain\n"
        );
    }
}
