//! A fast, exact reader for the canonical YAML that salesproc itself writes.
//!
//! serde-saphyr costs about 90 µs per KB of record; this reader understands
//! only the block subset that [`crate::yaml::to_string`] emits (block maps and
//! sequences, plain, double- and single-quoted scalars, `|` literal blocks,
//! `[]` and `{}`) and feeds serde straight from the lines. It answers `None`
//! for anything else, so callers fall back to [`crate::yaml::from_str`].
//! A `Some` is given only when the full parser would return an equal value:
//! a plain scalar whose YAML type is not certain (floats, radix, underscored
//! or zero-padded numbers, integers beyond 64 bits, `.inf`, `inf`), a key
//! that is not a string, and every construct outside the subset (comments,
//! anchors, tags, flow collections, folded or multi-line scalars, blank
//! lines, tabs in indentation, document markers, duplicate keys) make it
//! give up rather than guess.

pub mod answers;
mod de;
pub mod events;
mod scalar;

use crate::history::Facts;
use crate::prospect::Record;
use scalar::{double_quoted, plain_ok, resolve_plain, single_quoted};
use serde::Deserialize;
use std::borrow::Cow;

/// Nesting deeper than this is left to the full parser (its budget is 64).
const MAX_DEPTH: usize = 32;
/// More nodes than this are left to the full parser (its budget is 250,000).
const MAX_NODES: usize = 100_000;
/// Implicit keys are limited to 1,024 characters by YAML; stay well below.
const MAX_KEY_BYTES: usize = 256;
/// Duplicate keys are found by a linear scan; bigger maps are left to the full parser.
const MAX_MAP_ENTRIES: usize = 512;

/// A value on one line, resolved to what serde-saphyr would visit.
enum Node<'a> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    Str(Cow<'a, str>),
    EmptySeq,
    EmptyMap,
}

/// Reads a record in salesproc's canonical form; `None` when the text is
/// outside the subset this reader is certain about (use the full parser then).
pub fn parse_record(text: &str) -> Option<Record> {
    read(text)
}

/// As [`parse_record`], for a summary: the record comes back without its
/// history, whose entries go straight into the [`Facts`] a summary needs
/// (no event is built). `None` when unsure, as for [`parse_record`].
/// The answers come back in place (see [`answers`]) when the fast path took
/// them; otherwise they are in the record, as always.
pub fn parse_for_summary(text: &str) -> Option<(Record, Facts, answers::LeanAnswers<'_>)> {
    events::FACTS.with(|f| *f.borrow_mut() = Some(Facts::default()));
    answers::LEAN.with_borrow_mut(|l| *l = Some(answers::Lean::new(text)));
    let record: Option<Record> = read(text);
    let facts = events::FACTS.with(|f| f.borrow_mut().take());
    let lean = answers::LEAN.with_borrow_mut(Option::take);
    let (mut record, mut facts, lean) = (record?, facts?, lean?);
    // A history the fast path did not take (`history: []`) was read as events.
    for e in std::mem::take(&mut record.history) {
        facts.add(&crate::history::EntryRef::from(&e));
    }
    let facts = facts.finish(&record.insights);
    Some((record, facts, answers::LeanAnswers::new(lean, text)))
}

/// Reads a canonical block-YAML document whose root is a mapping into the
/// value serde-saphyr would give for an untyped target; `None` when unsure.
pub fn parse_value(text: &str) -> Option<serde_json::Value> {
    read(text)
}

/// Deserializes straight from the lines, with no tree in between: any
/// error, or text left over, is a `None`.
fn read<'a, T: Deserialize<'a>>(text: &'a str) -> Option<T> {
    let mut parser = Parser {
        lines: lines(text)?,
        pos: 0,
        nodes: 0,
        keys: Vec::new(),
    };
    let value = T::deserialize(de::De {
        p: &mut parser,
        at: de::At::Root,
        depth: 0,
    })
    .ok()?;
    (parser.pos == parser.lines.len()).then_some(value)
}

/// The lines of a text that ends with `\n`, if it has no character YAML
/// treats as non-printable or as a line break other than `\n` (tabs are
/// checked where they appear).
fn lines(text: &str) -> Option<Vec<&str>> {
    let b = text.as_bytes();
    if b.last() != Some(&b'\n') {
        return None;
    }
    let mut lines = Vec::with_capacity(b.len() / 16);
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        // Skip eight bytes at a time while all are printable ASCII (0x20..0x7f).
        if let Some(chunk) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().ok()?);
            let high = 0x8080_8080_8080_8080u64;
            let below = x.wrapping_sub(0x2020_2020_2020_2020) & !x & high;
            let above = (x.wrapping_add(0x0101_0101_0101_0101) | x) & high;
            let special = (below | above) & high;
            if special == 0 {
                i += 8;
                continue;
            }
            // Straight to the first byte that is not printable ASCII.
            i += special.trailing_zeros() as usize / 8;
        }
        let (at, c) = (i, b[i]);
        i += 1;
        if (0x20..0x7f).contains(&c) {
            continue;
        }
        let bad = match c {
            b'\n' => {
                lines.push(&text[start..at]);
                start = at + 1;
                false
            }
            b'\t' => false,
            0..0x20 | 0x7f => true,
            // C1 controls, U+0085 included.
            0xc2 => matches!(b.get(at + 1), Some(0x80..=0x9f)),
            // U+2028, U+2029.
            0xe2 => b.get(at + 1) == Some(&0x80) && matches!(b.get(at + 2), Some(0xa8 | 0xa9)),
            // U+FEFF, U+FFFE, U+FFFF.
            0xef => matches!(
                (b.get(at + 1), b.get(at + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ),
            _ => false,
        };
        if bad {
            return None;
        }
    }
    Some(lines)
}

struct Parser<'a> {
    lines: Vec<&'a str>,
    pos: usize,
    nodes: usize,
    /// The keys of the maps being read, innermost last (for duplicates).
    keys: Vec<Cow<'a, str>>,
}

/// What follows a `key:` that ends its line.
enum Below {
    Seq(usize),
    Map(usize),
    Null,
}

/// What the start of a line holds: a mapping key or something else.
enum Head<'a> {
    Key(Cow<'a, str>, &'a str),
    NotKey,
}

impl<'a> Parser<'a> {
    fn count(&mut self, depth: usize) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES && depth <= MAX_DEPTH).then_some(())
    }

    /// The text of the current line from column `indent`, if the line belongs
    /// to a block at that indent (`first`: the caller already checked the
    /// prefix, as for `- key: v`). `Ok(None)` ends the block; `Err` is bad input.
    fn rest(&self, indent: usize, first: bool) -> Result<Option<&'a str>, ()> {
        let Some(line) = self.lines.get(self.pos) else {
            return Ok(None);
        };
        if first {
            return Ok(Some(&line[indent..]));
        }
        let ind = indent_of(line);
        if ind < indent && !line.is_empty() {
            return Ok(None);
        }
        if ind != indent {
            return Err(());
        }
        Ok(Some(&line[indent..]))
    }

    /// What the lines after `key:` (the current line, in a map at `indent`) hold.
    fn below(&self, indent: usize) -> Below {
        let Some(line) = self.lines.get(self.pos + 1) else {
            return Below::Null;
        };
        let ind = indent_of(line);
        if ind >= indent && is_dash(&line[ind..]) {
            Below::Seq(ind)
        } else if ind > indent {
            Below::Map(ind)
        } else {
            Below::Null
        }
    }

    /// A value that starts on the current line (`text`) in a block at `indent`;
    /// moves past the line, and past the content of a `|` block.
    fn inline(&mut self, text: &'a str, indent: usize, depth: usize) -> Option<Node<'a>> {
        self.count(depth)?;
        let first = *text.as_bytes().first()?;
        self.pos += 1;
        let value = match first {
            b'"' => {
                let (s, rest) = double_quoted(&text[1..])?;
                if !rest.is_empty() {
                    return None;
                }
                Node::Str(s)
            }
            b'\'' => {
                let (s, rest) = single_quoted(&text[1..])?;
                if !rest.is_empty() {
                    return None;
                }
                Node::Str(s)
            }
            b'|' => Node::Str(Cow::Owned(self.literal(&text[1..], indent)?)),
            _ if text == "[]" => Node::EmptySeq,
            _ if text == "{}" => Node::EmptyMap,
            // The common value (`answered`, `research`, `kim`): a word that
            // is plain and certainly text, in one pass.
            _ if simple_key(text) => Node::Str(Cow::Borrowed(text)),
            _ => {
                if !plain_ok(text) {
                    return None;
                }
                resolve_plain(text)?
            }
        };
        Some(value)
    }

    /// The content of a literal block scalar whose header (after `|`) is
    /// `header`, in a block at `indent`; the current line is the first after the header.
    fn literal(&mut self, header: &str, indent: usize) -> Option<String> {
        let (width, chomp) = block_header(header)?;
        let mut content = match width {
            Some(w) => indent + w,
            None => match self.lines[self.pos..].iter().find(|l| !l.is_empty()) {
                None => usize::MAX,
                Some(l) if l.bytes().all(|b| b == b' ') => return None,
                Some(l) => indent_of(l),
            },
        };
        if content <= indent {
            // Only empty lines belong to the scalar.
            content = usize::MAX;
        }
        let mut out = String::new();
        let mut has_content = false;
        let mut empties = 0usize;
        while let Some(line) = self.lines.get(self.pos) {
            if line.is_empty() {
                empties += 1;
                self.pos += 1;
                continue;
            }
            let ind = indent_of(line);
            if ind == line.len() && ind <= content {
                // Spaces only, not beyond the content indent: an empty line
                // spelled in a way the writer never uses.
                return None;
            }
            if ind < content {
                break;
            }
            if has_content {
                out.push('\n');
            }
            for _ in 0..empties {
                out.push('\n');
            }
            empties = 0;
            out.push_str(&line[content..]);
            has_content = true;
            self.pos += 1;
        }
        if has_content && chomp != Chomp::Strip {
            out.push('\n');
        }
        if chomp == Chomp::Keep {
            for _ in 0..empties {
                out.push('\n');
            }
        }
        Some(out)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomp {
    Clip,
    Strip,
    Keep,
}

/// Parses `2-`, `-`, `+2`, ... after `|`; nothing else may follow.
fn block_header(h: &str) -> Option<(Option<usize>, Chomp)> {
    let mut width = None;
    let mut chomp = None;
    for b in h.bytes() {
        match b {
            b'1'..=b'9' if width.is_none() => width = Some(usize::from(b - b'0')),
            b'-' if chomp.is_none() => chomp = Some(Chomp::Strip),
            b'+' if chomp.is_none() => chomp = Some(Chomp::Keep),
            _ => return None,
        }
    }
    Some((width, chomp.unwrap_or(Chomp::Clip)))
}

fn indent_of(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// A sequence entry indicator: `-` followed by a space or the end of the line.
fn is_dash(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ")
}

/// Splits `key: ...` into the key and the text after the colon; `NotKey` when
/// the line is a scalar; `None` when unsure.
fn head(rest: &str) -> Option<Head<'_>> {
    match rest.as_bytes().first()? {
        b'"' | b'\'' => {
            let (key, after) = match rest.strip_prefix('"') {
                Some(quoted) => double_quoted(quoted)?,
                None => single_quoted(&rest[1..])?,
            };
            if after.is_empty() {
                return Some(Head::NotKey);
            }
            let after = after.strip_prefix(':')?;
            if key.len() > MAX_KEY_BYTES || !(after.is_empty() || after.starts_with(' ')) {
                return None;
            }
            Some(Head::Key(key, after))
        }
        _ => {
            // The first `:` ends a key; one followed by neither a space nor
            // the end of the line is a scalar (or, in a key, refused below).
            let Some(colon) = rest.bytes().position(|c| c == b':') else {
                return Some(Head::NotKey);
            };
            if !matches!(rest.as_bytes().get(colon + 1), None | Some(b' ')) {
                return match rest[colon..].contains(": ") || rest.ends_with(':') {
                    true => None,
                    false => Some(Head::NotKey),
                };
            }
            let key = &rest[..colon];
            if simple_key(key) {
                return Some(Head::Key(Cow::Borrowed(key), &rest[colon + 1..]));
            }
            if key.len() > MAX_KEY_BYTES || !plain_ok(key) {
                return None;
            }
            match resolve_plain(key)? {
                Node::Str(s) if s != "<<" => Some(Head::Key(s, &rest[colon + 1..])),
                _ => None,
            }
        }
    }
}

/// The common key, `follow_up` or `company-size`: lowercase ASCII words that
/// are neither null, a boolean nor a float spelling, so certainly a string.
fn simple_key(key: &str) -> bool {
    /// The bytes of a simple key: `a-z`, `0-9`, `-` and `_` (one lookup a byte).
    const KEY_BYTE: [bool; 256] = {
        let mut t = [false; 256];
        let mut c = 0;
        while c < 256 {
            let b = c as u8;
            t[c] = b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_';
            c += 1;
        }
        t
    };
    let b = key.as_bytes();
    b.len() <= 32
        && b.first().is_some_and(u8::is_ascii_lowercase)
        && b.iter().all(|&c| KEY_BYTE[usize::from(c)])
        // The only lowercase float spellings Rust (and so serde-saphyr) reads.
        && (b.len() > 8
            || !matches!(b[0], b'n' | b't' | b'f' | b'i')
            || !matches!(key, "null" | "true" | "false" | "inf" | "infinity" | "nan"))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod key_tests {
    proptest::proptest! {
        /// The byte table says what the byte classes say.
        #[test]
        fn simple_key_agrees_with_its_byte_classes(s in "[a-z0-9_A-Z.: -]{0,40}|null|true|false|inf|infinity|nan|\\PC{0,6}") {
            let b = s.as_bytes();
            let slowly = b.len() <= 32
                && b.first().is_some_and(u8::is_ascii_lowercase)
                && b.iter().all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_')
                && !matches!(s.as_str(), "null" | "true" | "false" | "inf" | "infinity" | "nan");
            proptest::prop_assert_eq!(super::simple_key(&s), slowly);
        }
    }

    /// `simple_key` names the float spellings without parsing: every word of
    /// its alphabet that parses as a float is one of them.
    #[test]
    fn simple_keys_are_never_floats() {
        let alphabet: Vec<char> = "abcdefinotxy0189-_".chars().collect();
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = words
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(longer.into_iter().filter(|w| w.len() <= 4));
            words.sort();
            words.dedup();
        }
        words.extend(["inf", "infinity", "nan", "nan1", "infinit"].map(String::from));
        for w in words {
            if super::simple_key(&w) {
                assert!(w.parse::<f64>().is_err(), "{w}");
            }
        }
    }
}

#[cfg(test)]
mod lines_tests {
    use proptest::prelude::*;

    /// `lines` as it reads one byte at a time, with no shortcut.
    fn slowly(text: &str) -> Option<Vec<&str>> {
        let b = text.as_bytes();
        if b.last() != Some(&b'\n') {
            return None;
        }
        let (mut lines, mut start) = (Vec::new(), 0);
        for (at, &c) in b.iter().enumerate() {
            let bad = match c {
                b'\n' => {
                    lines.push(&text[start..at]);
                    start = at + 1;
                    false
                }
                b'\t' | 0x20..0x7f => false,
                0..0x20 | 0x7f => true,
                0xc2 => matches!(b.get(at + 1), Some(0x80..=0x9f)),
                0xe2 => b.get(at + 1) == Some(&0x80) && matches!(b.get(at + 2), Some(0xa8 | 0xa9)),
                0xef => matches!(
                    (b.get(at + 1), b.get(at + 2)),
                    (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
                ),
                _ => false,
            };
            if bad {
                return None;
            }
        }
        Some(lines)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        /// The eight-bytes-at-a-time reading splits and refuses exactly as
        /// the byte-by-byte one, wherever line breaks, tabs, controls and
        /// non-ASCII characters fall in a word.
        #[test]
        fn lines_agree_with_the_byte_by_byte_reading(
            pieces in proptest::collection::vec(
                prop_oneof![
                    8 => "[ -~]{1,9}",
                    4 => Just("\n".to_string()),
                    1 => Just("\t".to_string()),
                    1 => Just("\r".to_string()),
                    1 => Just("\u{1}".to_string()),
                    1 => Just("\u{7f}".to_string()),
                    1 => Just("\u{85}".to_string()),
                    1 => Just("\u{a0}".to_string()),
                    1 => Just("\u{2028}".to_string()),
                    1 => Just("\u{2020}".to_string()),
                    1 => Just("\u{feff}".to_string()),
                    1 => Just("é".to_string()),
                    1 => Just("\u{1f600}".to_string()),
                ],
                0..40,
            ),
            end in proptest::bool::ANY,
        ) {
            let mut text = pieces.concat();
            if end {
                text.push('\n');
            }
            prop_assert_eq!(super::lines(&text), slowly(&text));
        }
    }
}
