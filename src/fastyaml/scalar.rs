//! Single-line scalars: what a plain scalar means to serde-saphyr, and the
//! double- and single-quoted styles with their escapes.

use super::Node;
use std::borrow::Cow;

/// True when `s` is a single-line plain scalar that means exactly its text
/// (before type resolution) in block context.
pub(super) fn plain_ok(s: &str) -> bool {
    // No tab, no comment (` #`), no mapping indicator (`: `): most
    // scalars hold none of the three bytes, found eight bytes at a time.
    ends_ok(s) && (!has_tab_hash_or_colon(s.as_bytes()) || no_indicator(s.as_bytes()))
}

/// True when the first and last characters of `s` may begin and end a
/// plain scalar (and it is not empty).
fn ends_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    let first_ok = match first {
        // `-x`, `?x`, `:x` are plain; `- x` is an entry, `---` a document marker.
        b'-' | b'?' | b':' => b.len() > 1 && b[1] != b' ' && !s.starts_with("---"),
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' | b' ' => false,
        _ => true,
    };
    first_ok && last != b' ' && last != b':'
}

/// No tab, no ` #` and no `: ` in `b`, byte by byte (`b` neither starts
/// with `#` nor ends with `:`: [`ends_ok`] held).
fn no_indicator(b: &[u8]) -> bool {
    (0..b.len()).all(|i| match b[i] {
        b'\t' => false,
        b'#' => b[i - 1] != b' ',
        b':' => b[i + 1] != b' ',
        _ => true,
    })
}

/// True when `b` holds a tab, a `#` or a `:` (eight bytes at a time).
fn has_tab_hash_or_colon(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x ^ c * ONES` is zero where `x` has `c`.
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let has = |x: u64| {
        zero(x ^ (u64::from(b'\t') * ONES))
            || zero(x ^ (u64::from(b'#') * ONES))
            || zero(x ^ (u64::from(b':') * ONES))
    };
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        if has(u64::from_le_bytes(w.try_into().unwrap_or_default())) {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|c| matches!(c, b'\t' | b'#' | b':'))
}

/// The node serde-saphyr (strict booleans) gives a plain scalar in an untyped
/// position, or `None` when this reader is not certain.
pub(super) fn resolve_plain(s: &str) -> Option<Node<'_>> {
    // A letter that begins no null, boolean or number spelling (`null`,
    // `true`, `false`, `inf`, `nan` and their cases): text, whatever follows.
    if let Some(c) = s.bytes().next()
        && c.is_ascii_alphabetic()
        && !matches!(c.to_ascii_lowercase(), b'n' | b't' | b'f' | b'i')
    {
        return Some(Node::Str(Cow::Borrowed(s)));
    }
    if s.len() <= 5 {
        match s {
            "null" | "Null" | "NULL" | "~" => return Some(Node::Null),
            "true" | "True" | "TRUE" => return Some(Node::Bool(true)),
            "false" | "False" | "FALSE" => return Some(Node::Bool(false)),
            _ => {}
        }
    }
    if let Some(n) = canonical_int(s) {
        return Some(n);
    }
    // A superset of what serde-saphyr reads as a number: Rust's float syntax
    // (which it uses, `inf` and `nan` included), radix prefixes, underscores,
    // and the YAML `.inf`/`.nan` spellings.
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let numeric = match unsigned.first() {
        Some(b'0'..=b'9') => {
            // Integers and floats of every radix use only these bytes.
            let alphabet = s
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"_+-.".contains(&c));
            alphabet
                && (s.contains('_')
                    || (unsigned.len() > 1
                        && unsigned[0] == b'0'
                        && matches!(unsigned[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B'))
                    || s.parse::<f64>().is_ok())
        }
        Some(b'i' | b'I' | b'n' | b'N') => s.parse::<f64>().is_ok(),
        Some(b'.') => {
            matches!(
                &unsigned[1..],
                b"inf" | b"Inf" | b"INF" | b"nan" | b"NaN" | b"NAN"
            ) || s.parse::<f64>().is_ok()
        }
        Some(_) => false,
        // A lone sign.
        None => false,
    };
    (!numeric).then_some(Node::Str(Cow::Borrowed(s)))
}

/// `0`, `123`, `-45` within 64 bits: the integers serde-saphyr reads as such.
fn canonical_int(s: &str) -> Option<Node<'_>> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d.as_bytes()),
        None => (false, s.as_bytes()),
    };
    let first = *digits.first()?;
    if !digits.iter().all(u8::is_ascii_digit) || (first == b'0' && (neg || digits.len() > 1)) {
        return None;
    }
    if neg {
        s.parse().ok().map(Node::I64)
    } else {
        s.parse().ok().map(Node::U64)
    }
}

/// A double-quoted scalar on one line, `s` starting after the opening quote;
/// returns the value and the text after the closing quote.
pub(super) fn double_quoted(s: &str) -> Option<(Cow<'_, str>, &str)> {
    double_quoted_by(s, true)
}

/// [`double_quoted`], passing eight bytes at a time when `words` (else
/// byte by byte: the form the tests hold the other to).
fn double_quoted_by(s: &str, words: bool) -> Option<(Cow<'_, str>, &str)> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        // Eight bytes at a time up to the first quote, backslash or control.
        if words && let Some(w) = b.get(i..i + 8) {
            let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            let stop = zero_bytes(x ^ 0x2222_2222_2222_2222)
                | zero_bytes(x ^ 0x5c5c_5c5c_5c5c_5c5c)
                | below_space(x);
            if stop == 0 {
                i += 8;
                continue;
            }
            i += stop.trailing_zeros() as usize / 8;
        }
        match b[i] {
            b'"' if start == 0 => return Some((Cow::Borrowed(&s[..i]), &s[i + 1..])),
            b'"' => {
                out.push_str(&s[start..i]);
                return Some((Cow::Owned(out), &s[i + 1..]));
            }
            b'\\' => {
                out.push_str(&s[start..i]);
                let (c, len) = escape(&s[i + 1..])?;
                out.push(c);
                i += 1 + len;
                start = i;
            }
            0..0x20 => return None,
            _ => i += 1,
        }
    }
    None
}

/// The high bit of each byte of `x` that is zero, and no other bit (no
/// carry crosses from one byte to the next).
#[inline]
pub(super) fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// The high bit of each byte of `x` below 0x20, and no other bit.
#[inline]
pub(super) fn below_space(x: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LOW7) + 0x6060_6060_6060_6060) | x | LOW7)
}

/// One escape after a backslash: the character and the bytes it used.
fn escape(s: &str) -> Option<(char, usize)> {
    let c = match *s.as_bytes().first()? {
        b'0' => '\0',
        b'a' => '\u{7}',
        b'b' => '\u{8}',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\u{b}',
        b'f' => '\u{c}',
        b'r' => '\r',
        b'e' => '\u{1b}',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex(s, 2),
        b'u' => return hex(s, 4),
        b'U' => return hex(s, 8),
        _ => return None,
    };
    Some((c, 1))
}

fn hex(s: &str, n: usize) -> Option<(char, usize)> {
    let digits = s.get(1..1 + n)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let c = char::from_u32(u32::from_str_radix(digits, 16).ok()?)?;
    Some((c, 1 + n))
}

/// A single-quoted scalar on one line, `s` starting after the opening quote.
pub(super) fn single_quoted(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' if b.get(i + 1) == Some(&b'\'') => {
                out.push_str(&s[start..=i]);
                i += 2;
                start = i;
            }
            b'\'' if start == 0 => return Some((Cow::Borrowed(&s[..i]), &s[i + 1..])),
            b'\'' => {
                out.push_str(&s[start..i]);
                return Some((Cow::Owned(out), &s[i + 1..]));
            }
            0..0x20 => return None,
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{
        Node, double_quoted, double_quoted_by, ends_ok, has_tab_hash_or_colon, no_indicator,
        plain_ok, resolve_plain,
    };
    use proptest::prelude::*;

    /// What `resolve_plain` gives, as a comparable value.
    fn shown(n: Option<Node>) -> Option<String> {
        n.map(|n| match n {
            Node::Null => "null".into(),
            Node::Bool(b) => format!("bool {b}"),
            Node::U64(n) => format!("u64 {n}"),
            Node::I64(n) => format!("i64 {n}"),
            Node::Str(s) => format!("str {s}"),
            Node::EmptySeq => "[]".into(),
            Node::EmptyMap => "{}".into(),
        })
    }

    /// `plain_ok` as it was, byte by byte only.
    fn plain_ok_slowly(s: &str) -> bool {
        ends_ok(s) && no_indicator(s.as_bytes())
    }

    /// `resolve_plain` without its shortcut for text that starts with a letter.
    fn resolve_slowly(s: &str) -> Option<String> {
        let null_or_bool = match s {
            "null" | "Null" | "NULL" | "~" => Some("null".to_string()),
            "true" | "True" | "TRUE" => Some("bool true".into()),
            "false" | "False" | "FALSE" => Some("bool false".into()),
            _ => None,
        };
        if null_or_bool.is_some() {
            return null_or_bool;
        }
        if s.parse::<f64>().is_ok() || s.parse::<i64>().is_ok() || s.parse::<u64>().is_ok() {
            // Not text: the shortcut must leave it to the rest.
            return None;
        }
        Some(format!("str {s}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
        /// The word-at-a-time search finds a tab, `#` or `:` exactly where
        /// a byte-by-byte one does, wherever it falls.
        #[test]
        fn the_three_bytes_are_found_wherever_they_are(s in "[a-z #:\t\u{e9}-]{0,40}") {
            let slowly = s.bytes().any(|c| matches!(c, b'\t' | b'#' | b':'));
            prop_assert_eq!(has_tab_hash_or_colon(s.as_bytes()), slowly);
            prop_assert_eq!(plain_ok(&s), plain_ok_slowly(&s), "{:?}", s);
        }

        /// The eight-bytes-at-a-time reading of a double-quoted scalar
        /// stops, unescapes and refuses exactly as the byte-by-byte one,
        /// wherever quotes, backslashes, controls and wide characters fall.
        #[test]
        fn double_quoted_agrees_with_the_byte_by_byte_reading(
            s in "([ -~]{0,9}|\"|\\\\[\"\\\\nt0xu]|\\\\x4[0-9]|[\\x00-\\x1f\\x7f]|\u{e9}|\u{1f600}){0,14}",
        ) {
            prop_assert_eq!(double_quoted(&s), double_quoted_by(&s, false), "{:?}", s);
        }

        /// Text that starts with a letter resolves as it would without the
        /// shortcut: text, unless it spells a null, a boolean or a number.
        #[test]
        fn text_from_a_letter_is_text_unless_it_spells_something_else(
            s in "[a-zA-Z][a-zA-Z0-9.+_ -]{0,12}",
        ) {
            let got = shown(resolve_plain(&s));
            match resolve_slowly(&s) {
                Some(want) => prop_assert_eq!(got, Some(want)),
                // A number spelling: never text.
                None => prop_assert!(got.is_none_or(|g| !g.starts_with("str ")), "{s:?}"),
            }
        }
    }

    /// Every spelling the shortcut must leave alone is left alone.
    #[test]
    fn spellings_of_other_types_are_not_text() {
        for s in [
            "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "inf",
            "Inf", "INF", "infinity", "Infinity", "nan", "NaN", "NAN",
        ] {
            assert!(
                !shown(resolve_plain(s)).is_some_and(|g| g.starts_with("str ")),
                "{s}"
            );
        }
        for s in ["kim", "answered", "Yes", "no", "on", "Off", "E5", "y"] {
            assert_eq!(shown(resolve_plain(s)), Some(format!("str {s}")));
        }
    }
}
