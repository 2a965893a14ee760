//! A summary's parts written straight in postcard's wire format: the bytes
//! `postcard::to_extend` makes of them (a test holds every part to that),
//! without serde's per-field calls. Building an index from 100,000 parsed
//! records encodes 100,000 summaries. Reading, the row, the funnel, the
//! persona answers and the voice (the parts most commands read) are read
//! back the same way ([`In`]); the events are decoded with postcard.
//!
//! The format: unsigned integers as LEB128 varints, signed ones zigzagged
//! first, `f64` as eight little-endian bytes, `bool` as one byte, text as its
//! length then its bytes, `Option` as 0, or 1 then the value, a sequence as
//! its length then its elements, a struct or tuple as its fields in order,
//! and a unit enum variant as the varint of its index.

use crate::history::{Events, Kind, Move, NextStep, Replay, Visit};
use crate::process::Audience;
use crate::prospect::{Outcome, Status};
use crate::summary::{Personas, Row, Span, Text, Voice, VoiceOf, VoiceVisit, Why};
use jiff::Timestamp;

/// A signed number as postcard maps it to an unsigned one (zigzag).
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Appends postcard's encoding of values to a buffer.
pub(super) struct Out<'a>(pub(super) &'a mut Vec<u8>);

impl Out<'_> {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn signed(&mut self, v: i64) {
        self.varint(zigzag(v));
    }

    fn len(&mut self, n: usize) {
        self.varint(n as u64);
    }

    fn bool(&mut self, b: bool) {
        self.0.push(u8::from(b));
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt<T>(&mut self, v: Option<T>, mut some: impl FnMut(&mut Self, T)) {
        match v {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                some(self, v);
            }
        }
    }

    fn opt_str(&mut self, s: Option<&str>) {
        self.opt(s, Self::str);
    }

    /// As `history::ts`: the seconds, then the nanoseconds.
    fn ts(&mut self, t: Timestamp) {
        let z = zigzag(t.as_second());
        if (1 << 28..1 << 35).contains(&z) {
            // The common length (a time in this century): five bytes at once.
            let b = |k: u32| (z >> (7 * k)) as u8;
            let five = [b(0) | 0x80, b(1) | 0x80, b(2) | 0x80, b(3) | 0x80, b(4)];
            self.0.extend_from_slice(&five);
        } else {
            self.varint(z);
        }
        match t.subsec_nanosecond() {
            0 => self.0.push(0),
            n => self.signed(i64::from(n)),
        }
    }

    fn variant(&mut self, index: u32) {
        self.varint(u64::from(index));
    }

    fn status(&mut self, s: Status) {
        self.variant(s as u32);
    }

    fn outcome(&mut self, o: Outcome) {
        self.variant(o as u32);
    }

    fn audience(&mut self, a: Audience) {
        self.variant(a as u32);
    }

    fn kind(&mut self, k: Kind) {
        self.variant(k as u32);
    }

    pub(super) fn row(&mut self, r: &Row) {
        self.str(&r.id);
        self.str(&r.name);
        self.opt_str(r.owner.as_deref());
        self.opt_str(r.contact.as_deref());
        self.str(&r.stage);
        self.status(r.status);
        self.opt_str(r.follow_up_date.as_deref());
        self.opt_str(r.follow_up_action.as_deref());
        self.opt(r.value, |o, v| o.0.extend_from_slice(&v.to_le_bytes()));
        self.opt_str(r.close_date.as_deref());
        self.varint(u64::from(r.answered));
        self.varint(u64::from(r.total));
        self.opt(r.created, Self::ts);
        self.opt(r.last_activity, Self::ts);
        self.bool(r.has_history);
    }

    pub(super) fn funnel(&mut self, f: Option<&Replay>) {
        self.opt(f, |o, r| {
            o.ts(r.created);
            o.len(r.visits.len());
            for Visit { step, enter, leave } in &r.visits {
                o.str(step);
                o.ts(*enter);
                o.opt(*leave, Self::ts);
            }
            o.str(&r.stage);
            o.status(r.status);
            o.opt(r.closed_at, Self::ts);
            o.opt(r.follow_up.as_ref(), |o, next| {
                o.opt(next.as_ref(), |o, NextStep { date, action }| {
                    o.opt_str(date.as_deref());
                    o.opt_str(action.as_deref());
                });
            });
            o.ts(r.last_activity);
        });
    }

    pub(super) fn events(&mut self, e: &Events) {
        self.len(e.moves.len());
        for m in &e.moves {
            let Move {
                at,
                kind,
                step,
                outcome,
                to,
                status,
                date,
                action,
                why,
            } = m;
            self.ts(*at);
            self.kind(*kind);
            self.opt_str(step.as_deref());
            self.opt(*outcome, Self::outcome);
            self.opt_str(to.as_deref());
            self.opt(*status, Self::status);
            self.opt_str(date.as_deref());
            self.opt_str(action.as_deref());
            self.opt_str(why.as_deref());
        }
        self.len(e.activity.len());
        for t in &e.activity {
            self.ts(*t);
        }
    }

    pub(super) fn personas(&mut self, p: &Personas) {
        self.len(p.len());
        for (item, values) in p.iter() {
            self.varint(u64::from(item));
            self.len(values.len());
            for v in values {
                self.str(v);
            }
        }
    }

    pub(super) fn voice(&mut self, v: &VoiceOf) {
        self.len(v.voice().len());
        for x in v.voice() {
            self.ts(x.at);
            self.audience(x.audience);
            self.str(v.str(x.text));
            self.str(v.str(x.source));
        }
        self.len(v.whys().len());
        for w in v.whys() {
            self.ts(w.at);
            self.str(v.str(w.step));
            self.outcome(w.outcome);
            self.str(v.str(w.why));
        }
    }
}

/// Reads what [`Out`] writes, as postcard's deserializer reads it (the same
/// varint limits, option and bool tags, variant indexes and UTF-8 checks),
/// for the parts most commands read: the row and the voice. Made without
/// serde's per-field calls, and each list sized once; a test holds it to
/// postcard on every part the writer tests use and on arbitrary bytes.
pub(super) struct In<'a> {
    b: &'a [u8],
}

/// What a read that postcard would refuse says.
#[derive(Debug)]
pub(super) struct Bad;

impl std::fmt::Display for Bad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a malformed index entry")
    }
}

impl std::error::Error for Bad {}

type Got<T> = Result<T, Bad>;

impl<'a> In<'a> {
    pub(super) fn new(b: &'a [u8]) -> In<'a> {
        In { b }
    }

    fn byte(&mut self) -> Got<u8> {
        let (&x, rest) = self.b.split_first().ok_or(Bad)?;
        self.b = rest;
        Ok(x)
    }

    /// A varint of at most `max` bytes whose last byte is at most `last`.
    fn varint_of(&mut self, max: usize, last: u8) -> Got<u64> {
        // One byte, the most common (lengths, variants, small numbers); a
        // first byte is never the last of `max` (always more than one).
        if let Some((&v, rest)) = self.b.split_first()
            && v < 0x80
            && max > 1
        {
            self.b = rest;
            return Ok(u64::from(v));
        }
        let mut out = 0u64;
        for i in 0..max {
            let v = self.byte()?;
            out |= u64::from(v & 0x7f) << (7 * i);
            if v & 0x80 == 0 {
                return if i == max - 1 && v > last {
                    Err(Bad)
                } else {
                    Ok(out)
                };
            }
        }
        Err(Bad)
    }

    fn u64(&mut self) -> Got<u64> {
        self.varint_of(10, 1)
    }

    fn u32(&mut self) -> Got<u32> {
        // At most five bytes, the last at most 0x0f: it fits.
        self.varint_of(5, 0x0f).map(|v| v as u32)
    }

    fn i64(&mut self) -> Got<i64> {
        let v = self.u64()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    fn i32(&mut self) -> Got<i32> {
        let v = self.u32()?;
        Ok(((v >> 1) as i32) ^ -((v & 1) as i32))
    }

    fn bool(&mut self) -> Got<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Bad),
        }
    }

    /// An option's tag: `true` when a value follows.
    /// An optional number (a row's value): eight little-endian bytes.
    fn opt_f64(&mut self) -> Got<Option<f64>> {
        if !self.some()? {
            return Ok(None);
        }
        let (b, rest) = self.b.split_first_chunk::<8>().ok_or(Bad)?;
        self.b = rest;
        Ok(Some(f64::from_le_bytes(*b)))
    }

    fn some(&mut self) -> Got<bool> {
        self.bool()
    }

    /// A length: a varint as wide as `usize`, as postcard reads one.
    fn usize(&mut self) -> Got<usize> {
        const BITS: usize = usize::BITS as usize;
        let last = (1u16 << (BITS % 7)) - 1;
        let v = self.varint_of(BITS.div_ceil(7), last as u8)?;
        usize::try_from(v).map_err(|_| Bad)
    }

    fn text(&mut self) -> Got<Text> {
        let s = self.raw()?;
        std::str::from_utf8(s).map(Text::from).map_err(|_| Bad)
    }

    fn opt_text(&mut self) -> Got<Option<Text>> {
        if self.some()? {
            self.text().map(Some)
        } else {
            Ok(None)
        }
    }

    /// A string's bytes, unchecked: for [`Texts`].
    fn raw(&mut self) -> Got<&'a [u8]> {
        let n = self.usize()?;
        if n > self.b.len() {
            return Err(Bad);
        }
        let (s, rest) = self.b.split_at(n);
        self.b = rest;
        Ok(s)
    }

    /// A string's bytes, gathered into `t` to be checked with the rest.
    fn later(&mut self, t: &mut Texts) -> Got<(usize, usize)> {
        self.raw().map(|s| t.add(s))
    }

    /// As [`In::later`] for an optional string.
    fn opt_later(&mut self, t: &mut Texts) -> Got<Option<(usize, usize)>> {
        if self.some()? {
            self.later(t).map(Some)
        } else {
            Ok(None)
        }
    }

    fn ts(&mut self) -> Got<Timestamp> {
        // The common case read at once: a time of these decades (seconds
        // in five bytes) on a whole second (nanoseconds zero, one byte).
        if let [b0, b1, b2, b3, b4, 0, ..] = *self.b
            && b0 & b1 & b2 & b3 & 0x80 != 0
            && b4 < 0x80
        {
            let v = u64::from(b0 & 0x7f)
                | u64::from(b1 & 0x7f) << 7
                | u64::from(b2 & 0x7f) << 14
                | u64::from(b3 & 0x7f) << 21
                | u64::from(b4) << 28;
            self.b = &self.b[6..];
            let secs = ((v >> 1) as i64) ^ -((v & 1) as i64);
            return Timestamp::new(secs, 0).map_err(|_| Bad);
        }
        let secs = self.i64()?;
        let nanos = self.i32()?;
        Timestamp::new(secs, nanos).map_err(|_| Bad)
    }

    fn opt_ts(&mut self) -> Got<Option<Timestamp>> {
        if self.some()? {
            self.ts().map(Some)
        } else {
            Ok(None)
        }
    }

    /// A unit enum variant: its index (a varint) into `all`, the variants
    /// in declaration order, as serde's derive numbers them.
    fn variant<T: Copy>(&mut self, all: &[T]) -> Got<T> {
        let v = self.u32()?;
        all.get(v as usize).copied().ok_or(Bad)
    }

    fn status(&mut self) -> Got<Status> {
        self.variant(&[Status::Open, Status::Nurturing, Status::Won, Status::Lost])
    }

    fn outcome(&mut self) -> Got<Outcome> {
        self.variant(&[Outcome::Yes, Outcome::No, Outcome::Later])
    }

    fn audience(&mut self) -> Got<Audience> {
        self.variant(&[Audience::Product, Audience::Marketing, Audience::Sales])
    }

    /// A list's length, and room for that many (never more than the bytes
    /// left could hold, at `least` bytes each).
    fn len(&mut self, least: usize) -> Got<(usize, usize)> {
        let n = self.usize()?;
        Ok((n, n.min(self.b.len() / least)))
    }

    pub(super) fn row(&mut self) -> Got<Row> {
        let mut t = Texts::with_capacity(self.b.len());
        let id = self.later(&mut t)?;
        let name = self.later(&mut t)?;
        let owner = self.opt_later(&mut t)?;
        let contact = self.opt_later(&mut t)?;
        let stage = self.later(&mut t)?;
        let status = self.status()?;
        let follow_up_date = self.opt_later(&mut t)?;
        let follow_up_action = self.opt_later(&mut t)?;
        let value = self.opt_f64()?;
        let close_date = self.opt_later(&mut t)?;
        let (answered, total) = (self.u32()?, self.u32()?);
        let (created, last_activity) = (self.opt_ts()?, self.opt_ts()?);
        let has_history = self.bool()?;
        let all = t.check()?;
        Ok(Row {
            id: cut(all, id)?,
            name: cut(all, name)?,
            owner: opt_cut(all, owner)?,
            contact: opt_cut(all, contact)?,
            stage: cut(all, stage)?,
            status,
            follow_up_date: opt_cut(all, follow_up_date)?,
            follow_up_action: opt_cut(all, follow_up_action)?,
            value,
            close_date: opt_cut(all, close_date)?,
            answered,
            total,
            created,
            last_activity,
            has_history,
        })
    }

    /// The row's id, name, owner, stage, status, follow-up date, value,
    /// last activity and whether there is history (what the reports and
    /// `list`'s filters and orders read); the rest of it blank. The strings
    /// passed over are not checked as UTF-8 (a part's checksum has been, and
    /// what is not read cannot be wrong).
    pub(super) fn lean_row(&mut self) -> Got<Row> {
        let mut t = Texts::with_capacity(64);
        let id = self.later(&mut t)?;
        let name = self.later(&mut t)?;
        let owner = self.opt_later(&mut t)?;
        self.skip_opt()?; // contact
        let stage = self.later(&mut t)?;
        let status = self.status()?;
        let follow_up_date = self.opt_later(&mut t)?;
        self.skip_opt()?; // follow-up action
        let value = self.opt_f64()?;
        self.skip_opt()?; // close date
        self.u32()?; // answered
        self.u32()?; // total
        self.opt_ts()?; // created
        let last_activity = self.opt_ts()?;
        let has_history = self.bool()?;
        let all = t.check()?;
        Ok(Row {
            id: cut(all, id)?,
            name: cut(all, name)?,
            owner: opt_cut(all, owner)?,
            stage: cut(all, stage)?,
            status,
            follow_up_date: opt_cut(all, follow_up_date)?,
            value,
            last_activity,
            has_history,
            ..Row::blank()
        })
    }

    /// Passes over an optional string.
    fn skip_opt(&mut self) -> Got<()> {
        if self.some()? {
            self.raw()?;
        }
        Ok(())
    }

    /// The funnel part: a record's replay, if it has history. (Its few
    /// short strings are checked one by one: gathering them, as the row
    /// and the voice are, costs more than it saves here.)
    pub(super) fn funnel(&mut self) -> Got<Option<Replay>> {
        if !self.some()? {
            return Ok(None);
        }
        let created = self.ts()?;
        let (n, room) = self.len(4)?;
        let mut visits = Vec::with_capacity(room);
        for _ in 0..n {
            visits.push(Visit {
                step: self.text()?,
                enter: self.ts()?,
                leave: self.opt_ts()?,
            });
        }
        Ok(Some(Replay {
            created,
            visits,
            stage: self.text()?,
            status: self.status()?,
            closed_at: self.opt_ts()?,
            follow_up: if self.some()? {
                Some(if self.some()? {
                    Some(NextStep {
                        date: self.opt_text()?,
                        action: self.opt_text()?,
                    })
                } else {
                    None
                })
            } else {
                None
            },
            last_activity: self.ts()?,
        }))
    }

    /// The persona answers part: its values gathered into one string.
    pub(super) fn personas(&mut self) -> Got<Personas> {
        let mut t = Texts::with_capacity(self.b.len());
        let (n, room) = self.len(2)?;
        let mut answers = Vec::with_capacity(room);
        let mut ends = Vec::with_capacity(2 * room);
        for _ in 0..n {
            let item = self.u32()?;
            let (k, _) = self.len(1)?;
            for _ in 0..k {
                ends.push(self.later(&mut t)?.1);
            }
            answers.push((item, ends.len()));
        }
        Personas::from_parts(t.into_string()?, answers, ends).ok_or(Bad)
    }

    /// The voice part: its texts gathered into one string.
    pub(super) fn voice(&mut self) -> Got<VoiceOf> {
        let mut t = Texts::with_capacity(self.b.len());
        let span = |at: (usize, usize)| Span::new(at.0, at.1);
        let (n, room) = self.len(5)?;
        let mut voice = Vec::with_capacity(room);
        for _ in 0..n {
            let at = self.ts()?;
            let audience = self.audience()?;
            let text = span(self.later(&mut t)?);
            voice.push(Voice {
                at,
                audience,
                text,
                source: span(self.later(&mut t)?),
            });
        }
        let (n, room) = self.len(5)?;
        let mut whys = Vec::with_capacity(room);
        for _ in 0..n {
            let at = self.ts()?;
            let step = span(self.later(&mut t)?);
            whys.push(Why {
                at,
                step,
                outcome: self.outcome()?,
                why: span(self.later(&mut t)?),
            });
        }
        VoiceOf::from_parts(t.into_string()?, voice, whys).ok_or(Bad)
    }
}

impl<'a> In<'a> {
    /// Walks the voice part as [`In::voice`] reads it, handing `v` each
    /// thing said and each why with its texts borrowed from the bytes, for
    /// `v` to check as UTF-8 (each on its own, as postcard checks it). `v`
    /// may have been handed some of them when a later one does not read:
    /// the caller then drops what `v` made.
    pub(super) fn walk_voice(&mut self, v: &mut impl VoiceVisit) -> Got<()> {
        let n = self.usize()?;
        for _ in 0..n {
            let at = self.ts()?;
            let audience = self.audience()?;
            let text = self.raw()?;
            let source = self.raw()?;
            if !v.said(at, audience, text, source) {
                return Err(Bad);
            }
        }
        let n = self.usize()?;
        for _ in 0..n {
            let at = self.ts()?;
            let step = self.raw()?;
            let outcome = self.outcome()?;
            let why = self.raw()?;
            if !v.why(at, step, outcome, why) {
                return Err(Bad);
            }
        }
        Ok(())
    }
}

/// The strings of a part gathered as they are read, then checked as UTF-8
/// in one piece and cut from it (a check per string cost a sixth of a warm
/// `insights`). Exactly the strings postcard takes are taken: a string is
/// UTF-8 on its own exactly when it is a piece, cut on character
/// boundaries, of a whole that is UTF-8 (and pieces that are not UTF-8 on
/// their own could make a whole that is: hence the boundaries).
struct Texts(Vec<u8>);

impl Texts {
    fn with_capacity(n: usize) -> Texts {
        Texts(Vec::with_capacity(n))
    }

    /// Adds a string's bytes; where they are in the whole.
    fn add(&mut self, s: &[u8]) -> (usize, usize) {
        let from = self.0.len();
        self.0.extend_from_slice(s);
        (from, self.0.len())
    }

    fn check(&self) -> Got<&str> {
        std::str::from_utf8(&self.0).map_err(|_| Bad)
    }

    /// The whole, as a string (the pieces' boundaries are the caller's to check).
    fn into_string(self) -> Got<String> {
        String::from_utf8(self.0).map_err(|_| Bad)
    }
}

/// The string at `(from, to)` of the whole, if it is cut on character boundaries.
fn cut(all: &str, (from, to): (usize, usize)) -> Got<crate::summary::Text> {
    all.get(from..to).map(crate::summary::Text::from).ok_or(Bad)
}

fn opt_cut(all: &str, at: Option<(usize, usize)>) -> Got<Option<crate::summary::Text>> {
    at.map(|at| cut(all, at)).transpose()
}

#[cfg(test)]
mod tests {
    use super::In;

    /// Varints of every length up to one byte too many, each with every
    /// last byte, read as postcard reads them: the same number, or refused
    /// by both (too long, or a last byte that would overflow).
    #[test]
    fn varints_are_read_as_postcard_reads_them() {
        for len in 1..=11usize {
            for last in 0..=0x7fu8 {
                for fill in [0x80u8, 0xff] {
                    let mut b = vec![fill; len - 1];
                    b.push(last);
                    let got = In::new(&b).u32().ok();
                    assert_eq!(got, postcard::from_bytes::<u32>(&b).ok(), "u32 {b:?}");
                    let got = In::new(&b).u64().ok();
                    assert_eq!(got, postcard::from_bytes::<u64>(&b).ok(), "u64 {b:?}");
                    let got = In::new(&b).i32().ok();
                    assert_eq!(got, postcard::from_bytes::<i32>(&b).ok(), "i32 {b:?}");
                    let got = In::new(&b).i64().ok();
                    assert_eq!(got, postcard::from_bytes::<i64>(&b).ok(), "i64 {b:?}");
                    let got = In::new(&b).usize().ok();
                    assert_eq!(got, postcard::from_bytes::<usize>(&b).ok(), "usize {b:?}");
                }
            }
        }
    }
}
