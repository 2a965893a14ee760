//! Where each value of a YAML document is, from the parser itself
//! (`serde_saphyr::Spanned`): exact lines and columns whatever the style
//! (block, flow, quoted, block scalars), and each scalar's text as written.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// A parsed node with its place in the text.
#[derive(Debug)]
pub struct Node {
    /// 1-based line and column of the value.
    pub line: u64,
    pub column: u64,
    /// Byte offset and length of the value in the text, when known.
    pub bytes: Option<(usize, usize)>,
    pub kind: Kind,
}

/// A mapping entry: the key's place and the value.
#[derive(Debug)]
pub struct Entry {
    pub key: String,
    pub line: u64,
    pub column: u64,
    pub value: Node,
}

/// What a node is.
#[derive(Debug)]
pub enum Kind {
    Map(Vec<Entry>),
    Seq(Vec<Node>),
    /// A scalar as the reader typed it.
    Scalar(Scalar),
}

/// A scalar's type as a YAML 1.2 reader (with strict booleans) sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
}

impl Node {
    fn from(s: Spanned<Kind>) -> Node {
        let span = s.referenced.span();
        Node {
            line: s.referenced.line(),
            column: s.referenced.column(),
            bytes: span
                .byte_offset()
                .zip(span.byte_len())
                .map(|(o, l)| (o as usize, l as usize)),
            kind: s.value,
        }
    }

    /// The node at `path` (keys, and numbers as sequence indexes).
    pub fn get(&self, path: &[&str]) -> Option<&Node> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        match &self.kind {
            Kind::Map(entries) => entries.iter().find(|e| e.key == *first)?.value.get(rest),
            Kind::Seq(items) => items.get(first.parse::<usize>().ok()?)?.get(rest),
            Kind::Scalar(_) => None,
        }
    }

    /// The line and column of `path`: a mapping key's own place, a sequence
    /// item's value; the deepest part found when the whole path is not there.
    pub fn place(&self, path: &[&str]) -> (u64, u64) {
        let (line, column, _) = self.place_item(path);
        (line, column)
    }

    /// [`Node::place`], and whether the place is a sequence item's.
    pub fn place_item(&self, path: &[&str]) -> (u64, u64, bool) {
        let mut best = (1, 1, false);
        let mut node = self;
        for seg in path {
            match &node.kind {
                Kind::Map(entries) => match entries.iter().find(|e| e.key == *seg) {
                    Some(e) => {
                        best = (e.line, e.column, false);
                        node = &e.value;
                    }
                    None => break,
                },
                Kind::Seq(items) => match seg.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(item) => {
                        best = (item.line, item.column, true);
                        node = item;
                    }
                    None => break,
                },
                Kind::Scalar(_) => break,
            }
        }
        best
    }

    /// The scalar, when this is one.
    pub fn kind_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's text as written in `text` (quotes included), when the
    /// parser gave its bytes.
    pub fn source<'t>(&self, text: &'t str) -> Option<&'t str> {
        let (at, len) = self.bytes?;
        text.get(at..at + len)
    }
}

/// Parses `text` into nodes with places; `None` when it does not parse.
pub fn parse(text: &str) -> Option<Node> {
    let options = serde_saphyr::options! { strict_booleans: true };
    let s: Spanned<Kind> = serde_saphyr::from_str_with_options(text, options).ok()?;
    Some(Node::from(s))
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Kind, E> {
        Ok(Kind::Scalar(Scalar::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Kind, E> {
        Ok(Kind::Scalar(Scalar::Int(v.into())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Kind, E> {
        Ok(Kind::Scalar(Scalar::Int(v.into())))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Kind, E> {
        Ok(Kind::Scalar(Scalar::Int(v)))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Kind, E> {
        Ok(Kind::Scalar(Scalar::Int(v as i128)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Kind, E> {
        Ok(Kind::Scalar(Scalar::Float(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Kind, E> {
        Ok(Kind::Scalar(Scalar::Str(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Kind, E> {
        Ok(Kind::Scalar(Scalar::Str(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Kind, E> {
        Ok(Kind::Scalar(Scalar::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Kind, E> {
        Ok(Kind::Scalar(Scalar::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        Kind::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Kind>>()? {
            items.push(Node::from(item));
        }
        Ok(Kind::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = Node::from(map.next_value::<Spanned<Kind>>()?);
            entries.push(Entry {
                key: key.value.0,
                line: key.referenced.line(),
                column: key.referenced.column(),
                value,
            });
        }
        Ok(Kind::Map(entries))
    }
}

/// A mapping key of any scalar type, as text.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KeyText, D::Error> {
        match Kind::deserialize(d)? {
            Kind::Scalar(Scalar::Str(s)) => Ok(KeyText(s)),
            Kind::Scalar(Scalar::Int(i)) => Ok(KeyText(i.to_string())),
            Kind::Scalar(Scalar::Float(f)) => Ok(KeyText(f.to_string())),
            Kind::Scalar(Scalar::Bool(b)) => Ok(KeyText(b.to_string())),
            Kind::Scalar(Scalar::Null) => Ok(KeyText("null".into())),
            _ => Err(de::Error::custom("a mapping key must be a scalar")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_in_block_flow_and_quoted_styles() {
        let text = "name: Acme\nnotes: |\n  company-size: 12\n  more\nanswers:\n  research: {industry: 0o17, \"company-size\": 1e3}\n  'qualify':\n    role-in-decision: \"champion\"\nhistory:\n- at: a\n  event: created\n- {at: b, event: decided}\n";
        let n = parse(text).unwrap();
        assert_eq!(n.place(&["name"]), (1, 1));
        assert_eq!(n.place(&["answers", "research", "industry"]), (6, 14));
        assert_eq!(n.place(&["answers", "research", "company-size"]), (6, 30));
        assert_eq!(n.place(&["answers", "qualify", "role-in-decision"]), (8, 5));
        assert_eq!(n.place(&["history", "1", "event"]), (12, 11));
        assert_eq!(n.place(&["history", "0", "event"]), (11, 3));
        // Not fooled by a key-like line inside a block scalar.
        assert_eq!(n.place(&["company-size"]), (1, 1));
        let v = n.get(&["answers", "research", "industry"]).unwrap();
        assert_eq!(v.kind_scalar(), Some(&Scalar::Int(15)));
        assert_eq!(v.source(text), Some("0o17"));
        let v = n.get(&["answers", "research", "company-size"]).unwrap();
        assert_eq!(v.source(text), Some("1e3"));
        let v = n.get(&["answers", "qualify", "role-in-decision"]).unwrap();
        assert_eq!(v.source(text), Some("\"champion\""));
    }
}
