//! A serde `Deserializer` that reads straight from the parser, visiting each
//! value the way serde-saphyr's untyped path does (`visit_unit` for null,
//! `visit_u64` for non-negative and `visit_i64` for negative integers,
//! strings as strings). Keys are borrowed from the text, and no tree is
//! built, so reading a record allocates little more than the record.

use super::{Below, Head, MAX_MAP_ENTRIES, Node, Parser, head, is_dash};
use serde::de::value::{BorrowedStrDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{
    self, DeserializeSeed, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use std::borrow::Cow;
use std::fmt;

/// The text is not the value asked for; the caller falls back to the full parser.
#[derive(Debug)]
pub(super) struct Mismatch;

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not in the fast reader's subset")
    }
}

impl std::error::Error for Mismatch {}

impl de::Error for Mismatch {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Mismatch
    }
}

impl<'de> IntoDeserializer<'de, Mismatch> for Node<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Node<'de> {
    type Error = Mismatch;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        match self {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(b),
            Node::U64(n) => visitor.visit_u64(n),
            Node::I64(n) => visitor.visit_i64(n),
            Node::Str(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Node::Str(Cow::Owned(s)) => visitor.visit_string(s),
            Node::EmptySeq => visitor.visit_seq(SeqDeserializer::new(std::iter::empty::<Node>())),
            Node::EmptyMap => {
                let none = std::iter::empty::<(Cow<str>, Node)>();
                visitor.visit_map(MapDeserializer::new(none))
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        match self {
            Node::Null => visitor.visit_none(),
            node => visitor.visit_some(node),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        // Only unit variants written as a string, as in a record's `status`.
        match self {
            Node::Str(s) => visitor.visit_enum(s.into_deserializer()),
            _ => Err(Mismatch),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// Where the next value starts.
pub(super) enum At<'a> {
    /// The whole document: a map at column 0.
    Root,
    /// On the current line (scalar, `[]`, `{}` or a `|` header), in a block at this indent.
    Inline(&'a str, usize),
    /// After a `key:` that ends the current line, in a map at this indent.
    Below(usize),
    /// A map at this column whose first key the sequence entry already read (`- key: v`).
    MapFirst(Cow<'a, str>, &'a str, usize),
    /// A sequence whose first entry is on the current line at this column (`- - v`).
    SeqFirst(usize),
}

/// The value at `at`, read from `p`.
pub(super) struct De<'p, 'a> {
    pub(super) p: &'p mut Parser<'a>,
    pub(super) at: At<'a>,
    pub(super) depth: usize,
}

impl<'de> De<'_, 'de> {
    fn inline(self, text: &'de str, indent: usize) -> Result<Node<'de>, Mismatch> {
        self.p.inline(text, indent, self.depth).ok_or(Mismatch)
    }
}

impl<'de> de::Deserializer<'de> for De<'_, 'de> {
    type Error = Mismatch;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        let (p, depth) = (self.p, self.depth);
        match self.at {
            At::Root => map(p, 0, None, depth, visitor),
            At::Inline(text, indent) => {
                let node = p.inline(text, indent, depth).ok_or(Mismatch)?;
                node.deserialize_any(visitor)
            }
            At::Below(indent) => {
                let below = p.below(indent);
                p.pos += 1;
                match below {
                    Below::Seq(ind) => seq(p, ind, false, depth, visitor),
                    Below::Map(ind) => map(p, ind, None, depth, visitor),
                    Below::Null => {
                        p.count(depth).ok_or(Mismatch)?;
                        visitor.visit_unit()
                    }
                }
            }
            At::MapFirst(key, after, col) => map(p, col, Some((key, after)), depth, visitor),
            At::SeqFirst(col) => seq(p, col, true, depth, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        match self.at {
            At::Inline(text, indent) => self.inline(text, indent)?.deserialize_option(visitor),
            At::Below(indent) if matches!(self.p.below(indent), Below::Null) => {
                self.p.pos += 1;
                self.p.count(self.depth).ok_or(Mismatch)?;
                visitor.visit_none()
            }
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        match self.at {
            At::Inline(text, indent) => self
                .inline(text, indent)?
                .deserialize_enum(name, variants, visitor),
            _ => Err(Mismatch),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        if name == super::events::NAME
            && let At::Below(indent) = self.at
            && let Below::Seq(dashes) = self.p.below(indent)
        {
            self.p.pos += 1;
            let events = super::events::read(self.p, dashes, self.depth)?;
            super::events::park(events);
            return visitor.visit_unit();
        }
        if name == super::answers::NAME && super::answers::take(self.p, &self.at, self.depth)? {
            return visitor.visit_unit();
        }
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// A block map at column `indent`; the visitor must take every entry.
fn map<'de, V: Visitor<'de>>(
    p: &mut Parser<'de>,
    indent: usize,
    first: Option<(Cow<'de, str>, &'de str)>,
    depth: usize,
    visitor: V,
) -> Result<V::Value, Mismatch> {
    p.count(depth).ok_or(Mismatch)?;
    let base = p.keys.len();
    let mut access = MapAcc {
        p,
        indent,
        first,
        base,
        depth,
        after: None,
    };
    let value = visitor.visit_map(&mut access)?;
    if access.next_key::<IgnoredAny>()?.is_some() || access.p.keys.len() == base {
        return Err(Mismatch);
    }
    access.p.keys.truncate(base);
    Ok(value)
}

struct MapAcc<'p, 'a> {
    p: &'p mut Parser<'a>,
    indent: usize,
    first: Option<(Cow<'a, str>, &'a str)>,
    /// Where this map's keys start in `p.keys`.
    base: usize,
    depth: usize,
    /// The text after the colon of the key just read.
    after: Option<&'a str>,
}

impl<'de> MapAccess<'de> for MapAcc<'_, 'de> {
    type Error = Mismatch;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Mismatch> {
        if self.after.is_some() {
            return Err(Mismatch);
        }
        let (key, after) = match self.first.take() {
            Some(first) => first,
            None => {
                let Some(rest) = self.p.rest(self.indent, false).map_err(|()| Mismatch)? else {
                    return Ok(None);
                };
                match head(rest) {
                    // A sequence value is read by `Below`; a dash here is an error.
                    Some(Head::Key(key, after)) if !is_dash(rest) => (key, after),
                    _ => return Err(Mismatch),
                }
            }
        };
        let keys = &self.p.keys[self.base..];
        if keys.len() >= MAX_MAP_ENTRIES || keys.contains(&key) {
            return Err(Mismatch);
        }
        self.after = Some(after);
        let value = match &key {
            Cow::Borrowed(s) => seed.deserialize(BorrowedStrDeserializer::new(s)),
            Cow::Owned(s) => seed.deserialize(s.as_str().into_deserializer()),
        };
        self.p.keys.push(key);
        value.map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Mismatch> {
        let after = self.after.take().ok_or(Mismatch)?;
        let at = match after.strip_prefix(' ') {
            Some(inline) => At::Inline(inline, self.indent),
            None if after.is_empty() => At::Below(self.indent),
            None => return Err(Mismatch),
        };
        seed.deserialize(De {
            p: &mut *self.p,
            at,
            depth: self.depth + 1,
        })
    }

    /// The number of entries, counted from the lines at this indent before
    /// the block ends (only a hint, asked for once by a map being built: an
    /// answers map is then allocated once, not grown and rehashed).
    fn size_hint(&self) -> Option<usize> {
        if self.first.is_some() || !self.p.keys[self.base..].is_empty() {
            return None;
        }
        let mut n = 0;
        for line in &self.p.lines[self.p.pos..] {
            let ind = super::indent_of(line);
            if ind < self.indent && !line.is_empty() {
                break;
            }
            n += usize::from(ind == self.indent);
        }
        Some(n.min(MAX_MAP_ENTRIES))
    }
}

/// How many entries the block sequence from the current line, with dashes
/// at column `indent`, seems to have (the dashes at that column before the
/// block ends: a size hint, not a parse).
pub(super) fn entries(p: &Parser, indent: usize) -> usize {
    let mut n = 0;
    for line in &p.lines[p.pos..] {
        let ind = super::indent_of(line);
        if ind < indent && !line.is_empty() {
            break;
        }
        n += usize::from(ind == indent && is_dash(&line[ind..]));
    }
    n
}

/// A block sequence with dashes at column `indent`; the visitor must take every entry.
fn seq<'de, V: Visitor<'de>>(
    p: &mut Parser<'de>,
    indent: usize,
    first: bool,
    depth: usize,
    visitor: V,
) -> Result<V::Value, Mismatch> {
    p.count(depth).ok_or(Mismatch)?;
    let mut access = SeqAcc {
        p,
        indent,
        first,
        depth,
    };
    let value = visitor.visit_seq(&mut access)?;
    if access.next_element::<IgnoredAny>()?.is_some() {
        return Err(Mismatch);
    }
    Ok(value)
}

struct SeqAcc<'p, 'a> {
    p: &'p mut Parser<'a>,
    indent: usize,
    /// The first entry is on the current line, after a dash already read.
    first: bool,
    depth: usize,
}

impl<'de> SeqAccess<'de> for SeqAcc<'_, 'de> {
    type Error = Mismatch;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Mismatch> {
        let first = std::mem::take(&mut self.first);
        let Some(rest) = self.p.rest(self.indent, first).map_err(|()| Mismatch)? else {
            return Ok(None);
        };
        if !is_dash(rest) {
            return Ok(None);
        }
        let item = rest.strip_prefix("- ").ok_or(Mismatch)?;
        let col = self.indent + 2;
        let at = if is_dash(item) {
            At::SeqFirst(col)
        } else {
            match head(item).ok_or(Mismatch)? {
                Head::Key(key, after) => At::MapFirst(key, after, col),
                Head::NotKey => At::Inline(item, self.indent),
            }
        };
        seed.deserialize(De {
            p: &mut *self.p,
            at,
            depth: self.depth + 1,
        })
        .map(Some)
    }

    /// The number of entries, counted from the dashes at this indent before
    /// the block ends (only a hint: a `Vec` of 30 events is then allocated
    /// once, not grown five times).
    fn size_hint(&self) -> Option<usize> {
        (!self.first).then(|| entries(self.p, self.indent))
    }
}
