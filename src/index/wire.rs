//! A summary's parts written straight in postcard's wire format: the bytes
//! `postcard::to_extend` makes of them (a test holds every part to that),
//! without serde's per-field calls. Building an index from 100,000 parsed
//! records encodes 100,000 summaries; reading one decodes with postcard.
//!
//! The format: unsigned integers as LEB128 varints, signed ones zigzagged
//! first, `f64` as eight little-endian bytes, `bool` as one byte, text as its
//! length then its bytes, `Option` as 0, or 1 then the value, a sequence as
//! its length then its elements, a struct or tuple as its fields in order,
//! and a unit enum variant as the varint of its index.

use crate::history::{Events, Kind, Move, NextStep, Replay, Visit};
use crate::process::Audience;
use crate::prospect::{Outcome, Status};
use crate::summary::{PersonaAnswer, Row, VoiceOf};
use jiff::Timestamp;

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
        self.varint(((v << 1) ^ (v >> 63)) as u64);
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
        self.signed(t.as_second());
        self.signed(i64::from(t.subsec_nanosecond()));
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

    pub(super) fn personas(&mut self, p: &[PersonaAnswer]) {
        self.len(p.len());
        for a in p {
            self.str(&a.step);
            self.str(&a.item);
            self.len(a.values.len());
            for v in &a.values {
                self.str(v);
            }
        }
    }

    pub(super) fn voice(&mut self, v: &VoiceOf) {
        self.len(v.voice.len());
        for x in &v.voice {
            self.ts(x.at);
            self.audience(x.audience);
            self.str(&x.text);
            self.str(&x.source);
        }
        self.len(v.whys.len());
        for w in &v.whys {
            self.ts(w.at);
            self.str(&w.step);
            self.outcome(w.outcome);
            self.str(&w.why);
        }
    }
}
