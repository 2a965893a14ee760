//! A record's history, read without serde's per-field machinery.
//!
//! The history is three quarters of a record's lines, and each of its
//! entries is a flat map of short scalars. Read through the generic path
//! every line costs a key visitor, a value visitor, an `Option` layer and a
//! move of the whole event; here each line is split, its scalar resolved by
//! the same functions, and the value stored straight into its field.
//!
//! This path never decides anything the generic one would decide otherwise:
//! it reads an entry only when every line is `key: scalar` (keys split and
//! scalars resolved by the same functions), every value has the type its
//! field wants, and no key repeats. For anything else (a nested value, a
//! number where a name belongs, a repeated key) it puts the parser back where the entry started and
//! hands the entry to the generic path, which then reads it or refuses it
//! exactly as before.
//!
//! [`Record::history`](crate::prospect::Record) deserializes through
//! [`deserialize`], which asks for a newtype struct named [`NAME`]: the
//! full parser (and any other) sees an ordinary newtype and reads a
//! sequence; the fast reader's deserializer reads the sequence here, parks
//! the result in a thread-local slot and visits a unit, which [`History`]
//! turns back into the parked events. (serde-saphyr uses the same device
//! for its own wrapper types.)

use super::de::{At, De, Mismatch};
use super::scalar::{below_space, zero_bytes};
use super::{Head, MAX_MAP_ENTRIES, Node, Parser, head, is_dash, simple_key};
use crate::history::{EntryRef, Facts};
use crate::prospect::{Event, Outcome, Status, Text};
use serde::de::{self, Deserialize, Deserializer, SeqAccess, Unexpected, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

/// The newtype name that tells the fast reader's deserializer to take this path.
pub(super) const NAME: &str = "__salesproc_fast_history";

thread_local! {
    /// The events read by [`read`], until [`History::visit_unit`] takes them.
    static PARKED: RefCell<Option<Vec<Event>>> = const { RefCell::new(None) };
    /// In summary mode, the facts the entries go into instead of events.
    pub(super) static FACTS: RefCell<Option<Facts>> = const { RefCell::new(None) };
    /// How many entries this path read itself (for the tests).
    #[cfg(test)]
    pub(super) static FAST: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// How many of those went straight into the facts (for the tests).
    #[cfg(test)]
    pub(super) static LEAN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `deserialize_with` for a record's history.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Event>, D::Error> {
    d.deserialize_newtype_struct(NAME, History)
}

/// Leaves `events` for the [`History`] visitor the caller visits next.
pub(super) fn park(events: Vec<Event>) {
    PARKED.with(|p| *p.borrow_mut() = Some(events));
}

struct History;

impl<'de> Visitor<'de> for History {
    type Value = Vec<Event>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Event>, D::Error> {
        Vec::<Event>::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Event>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(e) = seq.next_element()? {
            out.push(e);
        }
        Ok(out)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<Event>, E> {
        PARKED
            .with(|p| p.borrow_mut().take())
            .ok_or_else(|| E::invalid_type(Unexpected::Unit, &self))
    }
}

/// The block sequence of events whose dashes are at column `indent` (the
/// parser on its first line), as `de::seq` would read it into a `Vec<Event>`.
/// In summary mode (see [`super::parse_for_summary`]) the entries go into
/// the parked [`Facts`] instead, and the events read are none.
pub(super) fn read<'a>(
    p: &mut Parser<'a>,
    indent: usize,
    depth: usize,
) -> Result<Vec<Event>, Mismatch> {
    p.count(depth).ok_or(Mismatch)?;
    let mut facts = FACTS.with(|f| f.borrow_mut().take());
    let mut out = match facts {
        Some(_) => Vec::new(),
        None => Vec::with_capacity(super::de::entries(p, indent)),
    };
    let col = indent + 2;
    // One entry's fields at a time, filled in place (not moved out whole).
    let mut fields = Fields::default();
    // As `SeqAcc::next_element_seed`, entry by entry.
    while let Some(rest) = p.rest(indent, false).map_err(|()| Mismatch)? {
        if !is_dash(rest) {
            break;
        }
        let item = rest.strip_prefix("- ").ok_or(Mismatch)?;
        let at = if is_dash(item) {
            At::SeqFirst(col)
        } else {
            let split = match own_key(item) {
                Some((key, after, _)) => Some(Head::Key(Cow::Borrowed(key), after)),
                None => head(item),
            };
            match split.ok_or(Mismatch)? {
                Head::Key(key, after) => {
                    let (pos, nodes) = (p.pos, p.nodes);
                    if let Some(facts) = &mut facts {
                        if let Some(e) = lean_entry(p, item, col, depth + 1) {
                            #[cfg(test)]
                            LEAN.with(|n| n.set(n.get() + 1));
                            facts.add(&e);
                            continue;
                        }
                        (p.pos, p.nodes) = (pos, nodes);
                    }
                    if entry(p, key.clone(), after, col, depth + 1, &mut fields).is_some() {
                        #[cfg(test)]
                        FAST.with(|n| n.set(n.get() + 1));
                        match &mut facts {
                            Some(facts) => facts.add(&fields.entry_ref()),
                            None => out.push(std::mem::take(&mut fields).into_event()),
                        }
                        continue;
                    }
                    (p.pos, p.nodes) = (pos, nodes);
                    At::MapFirst(key, after, col)
                }
                Head::NotKey => At::Inline(item, indent),
            }
        };
        let event = Event::deserialize(De {
            p: &mut *p,
            at,
            depth: depth + 1,
        })?;
        match &mut facts {
            Some(facts) => facts.add(&EntryRef::from(&event)),
            None => out.push(event),
        }
    }
    if facts.is_some() {
        FACTS.with(|f| *f.borrow_mut() = facts);
    }
    Ok(out)
}

/// An entry's fields as read, borrowed from the text where they can be.
#[derive(Default)]
struct Fields<'a> {
    at: Cow<'a, str>,
    by: Option<Cow<'a, str>>,
    event: Cow<'a, str>,
    step: Option<Cow<'a, str>>,
    item: Option<Cow<'a, str>>,
    outcome: Option<Outcome>,
    why: Option<Cow<'a, str>>,
    revisit: Option<Cow<'a, str>>,
    to: Option<Cow<'a, str>>,
    status: Option<Status>,
    date: Option<Cow<'a, str>>,
    action: Option<Cow<'a, str>>,
    extra: Vec<(Cow<'a, str>, Value)>,
}

impl Fields<'_> {
    /// Empty again, for the next entry (the room for extra keys kept).
    fn clear(&mut self) {
        let Fields {
            at,
            by,
            event,
            step,
            item,
            outcome,
            why,
            revisit,
            to,
            status,
            date,
            action,
            extra,
        } = self;
        *at = Cow::Borrowed("");
        *event = Cow::Borrowed("");
        for text in [by, step, item, why, revisit, to, date, action] {
            *text = None;
        }
        (*outcome, *status) = (None, None);
        extra.clear();
    }

    fn entry_ref(&self) -> EntryRef<'_> {
        EntryRef {
            at: &self.at,
            event: &self.event,
            step: self.step.as_deref(),
            item: self.item.as_deref(),
            outcome: self.outcome,
            why: self.why.as_deref(),
            revisit: self.revisit.as_deref(),
            to: self.to.as_deref(),
            status: self.status,
            date: self.date.as_deref(),
            action: self.action.as_deref(),
        }
    }

    fn into_event(self) -> Event {
        let text = |s: Option<Cow<str>>| s.map(|s| Text::from(&*s));
        Event {
            at: Text::from(&*self.at),
            by: text(self.by),
            event: Text::from(&*self.event),
            step: text(self.step),
            item: text(self.item),
            outcome: self.outcome,
            why: text(self.why),
            revisit: text(self.revisit),
            to: text(self.to),
            status: self.status,
            date: text(self.date),
            action: text(self.action),
            extra: self
                .extra
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v))
                .collect(),
        }
    }
}

/// One entry, a map at column `col` whose first key the dash line holds,
/// read into `e`; `None` (with the parser moved) when the generic path must
/// read it.
fn entry<'a>(
    p: &mut Parser<'a>,
    key: Cow<'a, str>,
    after: &'a str,
    col: usize,
    depth: usize,
    e: &mut Fields<'a>,
) -> Option<()> {
    // As `de::map` counts the map itself.
    p.count(depth)?;
    e.clear();
    let mut seen = 0u16;
    let first_bit = field(&key);
    let mut first = Some((key, after, first_bit));
    let mut entries = 0;
    loop {
        let (key, after, bit) = match first.take() {
            Some(f) => f,
            None => {
                let Some(rest) = p.rest(col, false).ok()? else {
                    break;
                };
                match own_key(rest) {
                    Some((key, after, bit)) => (Cow::Borrowed(key), after, Some(bit)),
                    None => match head(rest)? {
                        Head::Key(key, after) if !is_dash(rest) => {
                            let bit = field(&key);
                            (key, after, bit)
                        }
                        _ => return None,
                    },
                }
            }
        };
        entries += 1;
        if entries >= MAX_MAP_ENTRIES {
            return None;
        }
        let text = after.strip_prefix(' ')?;
        // The common values (a word, a time in quotes) without the general
        // reading: what `inline` would make of them, counted as it counts.
        let node = match quick(text) {
            Some(s) => {
                p.count(depth + 1)?;
                p.pos += 1;
                Node::Str(Cow::Borrowed(s))
            }
            None => p.inline(text, col, depth + 1)?,
        };
        let Some(bit) = bit else {
            if e.extra.iter().any(|(k, _)| *k == key) {
                return None;
            }
            e.extra.push((key, value(node)));
            continue;
        };
        if seen & (1 << bit) != 0 {
            return None;
        }
        seen |= 1 << bit;
        match bit {
            0 => e.at = text_of(node)?,
            1 => e.by = opt(node)?,
            2 => e.event = text_of(node)?,
            3 => e.step = opt(node)?,
            4 => e.item = opt(node)?,
            5 => e.outcome = named(node)?,
            6 => e.why = opt(node)?,
            7 => e.revisit = opt(node)?,
            8 => e.to = opt(node)?,
            9 => e.status = named(node)?,
            10 => e.date = opt(node)?,
            _ => e.action = opt(node)?,
        }
    }
    // `at` and `event` are required.
    (seen & 0b101 == 0b101).then_some(())
}

/// One of an event's own keys at the start of `rest`, split as [`head`]
/// splits it (a plain key, then `:` and a space or the end of the line),
/// without the checks a key of unknown spelling needs; with its number
/// (as [`field`] gives it).
fn own_key(rest: &str) -> Option<(&str, &str, u32)> {
    // The key's length, read from its spelling (a key is its first colon's
    // prefix, and no field's name holds a colon).
    let b = rest.as_bytes();
    let is = |name: &[u8]| b.len() > name.len() && b.starts_with(name) && b[name.len()] == b':';
    let (n, bit) = match *b.first()? {
        b'a' if is(b"at") => (2, 0),
        b'a' if is(b"action") => (6, 11),
        b'b' if is(b"by") => (2, 1),
        b'e' if is(b"event") => (5, 2),
        b's' if is(b"step") => (4, 3),
        b's' if is(b"status") => (6, 9),
        b'i' if is(b"item") => (4, 4),
        b'o' if is(b"outcome") => (7, 5),
        b'w' if is(b"why") => (3, 6),
        b'r' if is(b"revisit") => (7, 7),
        b't' if is(b"to") => (2, 8),
        b'd' if is(b"date") => (4, 10),
        _ => return None,
    };
    let (key, after) = (&rest[..n], &rest[n + 1..]);
    (after.is_empty() || after.starts_with(' ')).then_some((key, after, bit))
}

/// A value `Parser::inline` reads as this text, found in one pass: a word
/// it takes as certainly text ([`simple_key`]), or a double-quoted text of
/// printable ASCII with no escape (a time, a name). `None`: ask `inline`.
#[inline]
fn quick(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    if b.first() == Some(&b'"') {
        let inner = b.get(1..b.len().checked_sub(1)?)?;
        return (b.len() >= 2 && b[b.len() - 1] == b'"' && plain_quoted(inner))
            .then(|| &text[1..text.len() - 1]);
    }
    simple_key(text).then_some(text)
}

/// Whether every byte is printable ASCII other than `"` and `\\` (eight at a time).
fn plain_quoted(inner: &[u8]) -> bool {
    const fn each(b: u8) -> u64 {
        u64::from_le_bytes([b; 8])
    }
    let plain = |c: &u8| (0x20..0x7f).contains(c) && *c != b'"' && *c != b'\\';
    let mut words = inner.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        let stop = zero_bytes(x ^ each(b'"'))
            | zero_bytes(x ^ each(b'\\'))
            | zero_bytes(x ^ each(0x7f))
            | below_space(x)
            | (x & each(0x80));
        if stop != 0 {
            return false;
        }
    }
    words.remainder().iter().all(plain)
}

/// In summary mode, one entry (a map at column `col` whose first line, after
/// its dash, is `item`) read straight into the facts' view of it, when it is
/// in the form salesproc writes: every line one of an event's own keys, once,
/// with a value [`quick`] reads, and the entry ending at a line less indented.
/// `None` (with the parser moved) for anything else, which [`entry`] then
/// reads as before. Each map and value is counted as `entry` counts it.
fn lean_entry<'a>(
    p: &mut Parser<'a>,
    item: &'a str,
    col: usize,
    depth: usize,
) -> Option<EntryRef<'a>> {
    p.count(depth)?;
    let mut e = EntryRef {
        at: "",
        event: "",
        step: None,
        item: None,
        outcome: None,
        why: None,
        revisit: None,
        to: None,
        status: None,
        date: None,
        action: None,
    };
    let mut seen = 0u16;
    let mut rest = item;
    loop {
        let (_, after, bit) = own_key(rest)?;
        let value = quick(after.strip_prefix(' ')?)?;
        p.count(depth + 1)?;
        p.pos += 1;
        if seen & (1 << bit) != 0 {
            return None;
        }
        seen |= 1 << bit;
        let text = Some(value);
        match bit {
            0 => e.at = value,
            // Who made the entry is no fact a summary keeps.
            1 => {}
            2 => e.event = value,
            3 => e.step = text,
            4 => e.item = text,
            5 => e.outcome = named(Node::Str(Cow::Borrowed(value)))?,
            6 => e.why = text,
            7 => e.revisit = text,
            8 => e.to = text,
            9 => e.status = named(Node::Str(Cow::Borrowed(value)))?,
            10 => e.date = text,
            _ => e.action = text,
        }
        // The next line: another of this entry's keys (at `col` exactly),
        // or the end of the entry (a line less indented, as `Parser::rest`
        // ends a block); anything else is left to `entry`.
        let Some(line) = p.lines.get(p.pos) else {
            break;
        };
        let b = line.as_bytes();
        if b.len() > col && b[col] != b' ' && b[..col].iter().all(|&c| c == b' ') {
            rest = &line[col..];
            continue;
        }
        if line.is_empty() || super::indent_of(line) >= col {
            return None;
        }
        break;
    }
    // `at` and `event` are required.
    (seen & 0b101 == 0b101).then_some(e)
}

/// The number of an event's own field (its bit in `entry`'s `seen`).
fn field(key: &str) -> Option<u32> {
    Some(match key {
        "at" => 0,
        "by" => 1,
        "event" => 2,
        "step" => 3,
        "item" => 4,
        "outcome" => 5,
        "why" => 6,
        "revisit" => 7,
        "to" => 8,
        "status" => 9,
        "date" => 10,
        "action" => 11,
        _ => return None,
    })
}

fn text_of(node: Node) -> Option<Cow<str>> {
    match node {
        Node::Str(s) => Some(s),
        _ => None,
    }
}

/// An optional field: null is `None`; `None` outside is "not here".
fn optional<'a, T>(node: Node<'a>, of: impl FnOnce(Node<'a>) -> Option<T>) -> Option<Option<T>> {
    match node {
        Node::Null => Some(None),
        node => of(node).map(Some),
    }
}

fn opt(node: Node) -> Option<Option<Cow<str>>> {
    optional(node, text_of)
}

/// An optional unit-variant enum (`outcome`, `status`), its name read by
/// the enum's own `Deserialize`, as the generic path reads it.
fn named<T: serde::de::DeserializeOwned>(node: Node) -> Option<Option<T>> {
    optional(node, |n| {
        let name = text_of(n)?;
        T::deserialize(serde::de::IntoDeserializer::<Mismatch>::into_deserializer(
            name,
        ))
        .ok()
    })
}

/// A scalar as an unknown key keeps it (what serde_json makes of the visit).
fn value(node: Node) -> Value {
    match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(b),
        Node::U64(n) => Value::from(n),
        Node::I64(n) => Value::from(n),
        Node::Str(s) => Value::String(s.into_owned()),
        Node::EmptySeq => Value::Array(Vec::new()),
        Node::EmptyMap => Value::Object(serde_json::Map::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::scalar::double_quoted;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        /// `quick` reads a value only as `Parser::inline` would: a quoted
        /// text as `double_quoted` reads it (with nothing after the quote),
        /// anything else only when it is a simple word.
        #[test]
        fn quick_reads_a_value_as_inline_would(
            s in "\"?([ -~]{0,12}|\\\\[\"n]|\"|\u{e9}|\t){0,4}\"?",
        ) {
            match quick(&s) {
                Some(v) if s.starts_with('"') => {
                    prop_assert_eq!(double_quoted(&s[1..]), Some((Cow::Borrowed(v), "")));
                }
                Some(v) => {
                    prop_assert!(simple_key(&s));
                    prop_assert_eq!(v, s.as_str());
                }
                None => prop_assert!(s.starts_with('"') || !simple_key(&s)),
            }
        }
    }

    proptest! {
        /// Eight bytes at a time, as one at a time.
        #[test]
        fn plain_quoted_agrees_with_the_byte_by_byte_reading(s in proptest::collection::vec(any::<u8>(), 0..40)) {
            let slowly = s.iter().all(|c| (0x20..0x7f).contains(c) && *c != b'"' && *c != b'\\');
            prop_assert_eq!(plain_quoted(&s), slowly);
        }

        #[test]
        fn plain_quoted_agrees_on_mostly_printable_text(s in "([ -~]{0,20}|\u{7f}|\u{1f}|\u{e9}){0,4}") {
            let slowly = s.bytes().all(|c| (0x20..0x7f).contains(&c) && c != b'"' && c != b'\\');
            prop_assert_eq!(plain_quoted(s.as_bytes()), slowly);
        }
    }

    /// `own_key` numbers each of an event's keys as `field` does (two
    /// spellings of one table: the fast one must not drift from it).
    #[test]
    fn own_key_numbers_each_key_as_field_does() {
        let names = [
            "at", "by", "event", "step", "item", "outcome", "why", "revisit", "to", "status",
            "date", "action",
        ];
        for name in names {
            for line in [format!("{name}: x"), format!("{name}:")] {
                let (key, _, bit) = own_key(&line).expect(name);
                assert_eq!((key, Some(bit)), (name, field(name)), "{line}");
            }
        }
        for other in ["note: x", "at:x", "ats: x", "a: x", "\"at\": x"] {
            assert_eq!(own_key(other), None, "{other}");
        }
    }

    #[test]
    fn quick_takes_the_common_values() {
        assert_eq!(
            quick("\"2026-03-22T08:37:30Z\""),
            Some("2026-03-22T08:37:30Z")
        );
        assert_eq!(quick("\"\""), Some(""));
        assert_eq!(quick("answered"), Some("answered"));
        for other in [
            "\"",
            "\"a\\\"b\"",
            "\"é\"",
            "\"a\" b",
            "true",
            "null",
            "Kim",
            "12",
        ] {
            assert_eq!(quick(other), None, "{other}");
        }
    }
}
