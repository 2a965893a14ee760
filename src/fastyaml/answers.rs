//! A record's answers, read for a summary without building them.
//!
//! A summary needs a few answers of a record (the current step's, for its
//! progress; the persona and insight items'; the offer value), yet built
//! through serde every answer costs a key string, a value and a place in two
//! levels of hash maps: a quarter of a record's parse. In summary mode (see
//! [`super::parse_for_summary`]) the answers are read here instead, in
//! place: each step's and item's key, and each scalar as the fast reader
//! resolved it, kept as a place in the text; a value spread over lines
//! (a list) is read as a [`Value`] by the generic path. A summary then asks
//! for the answers it needs ([`Lean::get`]), and each comes back as the very
//! [`Value`] the generic path would have built.
//!
//! This path never decides anything the generic one would decide otherwise:
//! it takes only `answers:` followed by a block map, reads each level as
//! `de::map` does (the same key split, duplicate and size checks, node
//! counts and depths), and each value by the same functions. For anything
//! else (`answers: {}`, a null, a sequence) it leaves the field to the
//! generic path, which reads it or refuses it exactly as before.
//!
//! [`Record::answers`](crate::prospect::Record) deserializes through
//! [`deserialize`], which asks for a newtype struct named [`NAME`], as the
//! history does (see `events.rs`).

use super::de::{At, De, Mismatch};
use super::{Below, Head, MAX_MAP_ENTRIES, Node, Parser, head, is_dash};
use crate::prospect::Answers;
use serde::de::{self, Deserialize, Deserializer, Unexpected, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::ops::Range;

/// The newtype name that tells the fast reader's deserializer to take this path.
pub(super) const NAME: &str = "__salesproc_fast_answers";

thread_local! {
    /// In summary mode, where the answers go (taken by `parse_for_summary`).
    pub(super) static LEAN: RefCell<Option<Lean>> = const { RefCell::new(None) };
}

/// `deserialize_with` for a record's answers.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Answers, D::Error> {
    d.deserialize_newtype_struct(NAME, AnswersVisitor)
}

struct AnswersVisitor;

impl<'de> Visitor<'de> for AnswersVisitor {
    type Value = Answers;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Answers, D::Error> {
        Answers::deserialize(d)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Answers, A::Error> {
        Answers::deserialize(de::value::MapAccessDeserializer::new(map))
    }

    /// Only after [`read`] took the answers: they are in [`LEAN`], and the
    /// record's own map stays empty. A null `answers:` is refused, as a map's
    /// visitor refuses it.
    fn visit_unit<E: de::Error>(self) -> Result<Answers, E> {
        let taken = LEAN.with_borrow(|l| l.as_ref().is_some_and(|l| l.taken));
        if taken {
            Ok(Answers::default())
        } else {
            Err(E::invalid_type(Unexpected::Unit, &self))
        }
    }
}

/// A key, where it is in the text (or owned, when quoting changed it).
#[derive(Debug)]
enum Span {
    At(usize, usize),
    Own(String),
}

/// An answer as read: a scalar as the fast reader resolved it (text as a
/// [`Span`]), or a value spread over lines, read whole.
#[derive(Debug)]
enum Val {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    Str(Span),
    EmptySeq,
    EmptyMap,
    Value(Value),
}

/// A record's answers, read in place (see the module's comment).
#[derive(Debug, Default)]
pub struct Lean {
    /// True when this path read the answers (else the record's map has them).
    taken: bool,
    /// Where the text starts in memory, to turn slices of it into spans.
    base: usize,
    len: usize,
    /// Each step and the range of its items in `items`.
    steps: Vec<(Span, Range<usize>)>,
    items: Vec<(Span, Val)>,
}

impl Lean {
    /// Ready to read the answers of `text`.
    pub(super) fn new(text: &str) -> Lean {
        Lean {
            base: text.as_ptr() as usize,
            len: text.len(),
            ..Lean::default()
        }
    }

    fn span(&self, s: Cow<'_, str>) -> Span {
        match s {
            Cow::Borrowed(b) => {
                let at = (b.as_ptr() as usize).wrapping_sub(self.base);
                if at <= self.len && b.len() <= self.len - at {
                    Span::At(at, b.len())
                } else {
                    Span::Own(b.to_string())
                }
            }
            Cow::Owned(o) => Span::Own(o),
        }
    }

    fn val(&self, n: Node<'_>) -> Val {
        match n {
            Node::Null => Val::Null,
            Node::Bool(b) => Val::Bool(b),
            Node::U64(u) => Val::U64(u),
            Node::I64(i) => Val::I64(i),
            Node::Str(s) => Val::Str(self.span(s)),
            Node::EmptySeq => Val::EmptySeq,
            Node::EmptyMap => Val::EmptyMap,
        }
    }
}

/// [`Lean`] with the text it was read from: the answers a summary asks for.
pub struct LeanAnswers<'t> {
    lean: Lean,
    text: &'t str,
}

impl<'t> LeanAnswers<'t> {
    pub(super) fn new(lean: Lean, text: &'t str) -> LeanAnswers<'t> {
        LeanAnswers { lean, text }
    }

    /// True when the answers were read here (else they are in the record).
    pub fn taken(&self) -> bool {
        self.lean.taken
    }

    fn text<'s>(&'s self, s: &'s Span) -> &'s str {
        match s {
            Span::At(at, len) => self.text.get(*at..at + len).unwrap_or_default(),
            Span::Own(o) => o,
        }
    }

    /// The items of `step`, if it has answers (for [`LeanAnswers::answered`]).
    pub fn step(&self, step: &str) -> Option<Range<usize>> {
        self.lean
            .steps
            .iter()
            .find(|(s, _)| self.text(s) == step)
            .map(|(_, r)| r.clone())
    }

    fn find(&self, items: &Range<usize>, item: &str) -> Option<&Val> {
        self.lean
            .items
            .get(items.clone())?
            .iter()
            .find(|(k, _)| self.text(k) == item)
            .map(|(_, v)| v)
    }

    /// [`crate::prospect::is_answered`] of the answer to `item`, without building it.
    pub fn is_answered(&self, items: &Range<usize>, item: &str) -> bool {
        self.find(items, item).is_some_and(|v| self.answered_val(v))
    }

    /// The answer to `item` among the step's `items` when it is answered
    /// (as `Record::answer` gives it), built only then, as the generic path
    /// would have built it.
    pub fn answered(&self, items: &Range<usize>, item: &str) -> Option<Value> {
        let v = self.find(items, item)?;
        self.answered_val(v).then(|| self.value(v))
    }

    fn answered_val(&self, v: &Val) -> bool {
        match v {
            Val::Null | Val::EmptySeq => false,
            Val::Str(s) => !self.text(s).trim().is_empty(),
            Val::Value(v) => crate::prospect::is_answered(v),
            _ => true,
        }
    }

    /// A value as the generic path builds it: the same node, visited the same way.
    fn value(&self, v: &Val) -> Value {
        let node = match v {
            Val::Null => Node::Null,
            Val::Bool(b) => Node::Bool(*b),
            Val::U64(u) => Node::U64(*u),
            Val::I64(i) => Node::I64(*i),
            Val::Str(s) => Node::Str(Cow::Borrowed(self.text(s))),
            Val::EmptySeq => Node::EmptySeq,
            Val::EmptyMap => Node::EmptyMap,
            Val::Value(v) => return v.clone(),
        };
        Value::deserialize(node).unwrap_or(Value::Null)
    }

    /// Every answer, as the record's own map would hold it (for the tests).
    #[cfg(test)]
    pub fn to_answers(&self) -> Answers {
        self.lean
            .steps
            .iter()
            .map(|(s, items)| {
                let step = self.lean.items[items.clone()]
                    .iter()
                    .map(|(k, v)| (self.text(k).to_string(), self.value(v)))
                    .collect();
                (self.text(s).to_string(), step)
            })
            .collect()
    }
}

/// Takes `answers:` when a block map follows it (`at` is after the key, in
/// a map at `indent`): reads it into [`LEAN`] and returns true; false (with
/// nothing moved) for anything else, which the generic path then reads.
pub(super) fn take<'a>(p: &mut Parser<'a>, at: &At<'a>, depth: usize) -> Result<bool, Mismatch> {
    let At::Below(indent) = *at else {
        return Ok(false);
    };
    let Below::Map(ind) = p.below(indent) else {
        return Ok(false);
    };
    let Some(mut lean) = LEAN.with_borrow_mut(Option::take) else {
        return Ok(false);
    };
    p.pos += 1;
    let read = read(p, ind, depth, &mut lean);
    lean.taken = read.is_ok();
    LEAN.with_borrow_mut(|l| *l = Some(lean));
    read.map(|()| true)
}

/// One key of a block map at `indent` whose keys start at `base` in
/// `p.keys`, as `MapAcc::next_key_seed` reads it: `None` at the block's end.
fn key<'a>(
    p: &mut Parser<'a>,
    indent: usize,
    base: usize,
) -> Result<Option<(Cow<'a, str>, At<'a>)>, Mismatch> {
    let Some(rest) = p.rest(indent, false).map_err(|()| Mismatch)? else {
        return Ok(None);
    };
    let (key, after) = match head(rest) {
        Some(Head::Key(key, after)) if !is_dash(rest) => (key, after),
        _ => return Err(Mismatch),
    };
    let keys = &p.keys[base..];
    if keys.len() >= MAX_MAP_ENTRIES || keys.contains(&key) {
        return Err(Mismatch);
    }
    p.keys.push(key.clone());
    // As `MapAcc::next_value_seed`.
    let at = match after.strip_prefix(' ') {
        Some(inline) => At::Inline(inline, indent),
        None if after.is_empty() => At::Below(indent),
        None => return Err(Mismatch),
    };
    Ok(Some((key, at)))
}

/// The end of a block map read by [`key`], as `de::map` ends one.
fn end(p: &mut Parser<'_>, base: usize) -> Result<(), Mismatch> {
    if p.keys.len() == base {
        return Err(Mismatch);
    }
    p.keys.truncate(base);
    Ok(())
}

/// The block map of steps at column `indent` (the parser on its first line),
/// as `de::map` reads it into the answers' map of maps.
fn read(p: &mut Parser<'_>, indent: usize, depth: usize, lean: &mut Lean) -> Result<(), Mismatch> {
    p.count(depth).ok_or(Mismatch)?;
    let base = p.keys.len();
    while let Some((step, at)) = key(p, indent, base)? {
        let from = lean.items.len();
        // A step's value is a map: a block map, or `{}`.
        let depth = depth + 1;
        match at {
            At::Inline(text, ind) => match p.inline(text, ind, depth).ok_or(Mismatch)? {
                Node::EmptyMap => {}
                _ => return Err(Mismatch),
            },
            At::Below(ind) => {
                let Below::Map(inner) = p.below(ind) else {
                    return Err(Mismatch);
                };
                p.pos += 1;
                items(p, inner, depth, lean)?;
            }
            _ => return Err(Mismatch),
        }
        let step = lean.span(step);
        lean.steps.push((step, from..lean.items.len()));
    }
    end(p, base)
}

/// One step's block map of items at column `indent`, as `de::map` reads it
/// into a map of [`Value`]s.
fn items(p: &mut Parser<'_>, indent: usize, depth: usize, lean: &mut Lean) -> Result<(), Mismatch> {
    p.count(depth).ok_or(Mismatch)?;
    let base = p.keys.len();
    while let Some((item, at)) = key(p, indent, base)? {
        let depth = depth + 1;
        let val = match at {
            At::Inline(text, ind) => lean.val(p.inline(text, ind, depth).ok_or(Mismatch)?),
            at => Val::Value(Value::deserialize(De { p, at, depth })?),
        };
        let item = lean.span(item);
        lean.items.push((item, val));
    }
    end(p, base)
}
