//! A record's persona answers and its voice, each part with all its texts
//! in one string and each text a span of it. A part read from the index
//! is then one string, checked once, and a list or two, not an allocation
//! per text (making and freeing those texts was a fifth of a warm
//! `personas` or `insights` at 100,000 records). Each serializes as the
//! plain lists it stands for, which is what the index's wire format is.

use crate::history::ts;
use crate::process::Audience;
use crate::prospect::Outcome;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a text is in its part's string.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    from: usize,
    to: usize,
}

impl Span {
    /// The text from byte `from` to byte `to` of its part's string.
    pub(crate) fn new(from: usize, to: usize) -> Span {
        Span { from, to }
    }
}

/// Appends `s` to `all`; where it went.
fn add(all: &mut String, s: &str) -> Span {
    let from = all.len();
    all.push_str(s);
    Span {
        from,
        to: all.len(),
    }
}

/// The persona answers of a record: for each persona item answered (named
/// by its place among the process's persona items, see
/// [`crate::process::Process::persona_items`]), the values `personas`
/// counts (numbers in bands, checks as yes/no), distinct whatever their case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "Vec<(u32, Vec<String>)>", from = "Vec<(u32, Vec<String>)>")]
pub struct Personas {
    text: String,
    /// Each answer's item, and the end of its values in `ends`.
    answers: Vec<(u32, usize)>,
    /// Each value's end in `text` (it starts where the one before ends).
    ends: Vec<usize>,
}

impl Personas {
    /// Empty, with room for `answers` answers of `values` values in all,
    /// `text` bytes of them.
    pub fn with_capacity(answers: usize, values: usize, text: usize) -> Personas {
        Personas {
            text: String::with_capacity(text),
            answers: Vec::with_capacity(answers),
            ends: Vec::with_capacity(values),
        }
    }

    /// Adds the answer to the persona item at place `item`.
    pub fn push<S: AsRef<str>>(&mut self, item: u32, values: impl IntoIterator<Item = S>) {
        for v in values {
            self.text.push_str(v.as_ref());
            self.ends.push(self.text.len());
        }
        self.answers.push((item, self.ends.len()));
    }

    /// Made from its string and where each piece ends, as the index reader
    /// finds them; `None` unless every end is in order, in the string and
    /// on a character boundary (each value must be a string of its own).
    pub(crate) fn from_parts(
        text: String,
        answers: Vec<(u32, usize)>,
        ends: Vec<usize>,
    ) -> Option<Personas> {
        // Every place in ASCII text is a character boundary.
        let ascii = text.is_ascii();
        let ok = ends.iter().try_fold(0, |from, &to| {
            let inside = if ascii {
                to <= text.len()
            } else {
                text.is_char_boundary(to)
            };
            (from <= to && inside).then_some(to)
        });
        let counted = answers.windows(2).all(|w| w[0].1 <= w[1].1)
            && answers.last().map_or(0, |a| a.1) == ends.len();
        (ok == Some(text.len()) && counted).then_some(Personas {
            text,
            answers,
            ends,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }

    /// How many items are answered.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Each answer: its item's place, and its values.
    pub fn iter(&self) -> impl Iterator<Item = (u32, impl ExactSizeIterator<Item = &str>)> {
        let mut first = 0;
        self.answers.iter().map(move |&(item, last)| {
            let ends = &self.ends[first..last];
            let mut from = if first == 0 { 0 } else { self.ends[first - 1] };
            first = last;
            let values = ends.iter().map(move |&to| {
                let v = &self.text[from..to];
                from = to;
                v
            });
            (item, values)
        })
    }
}

impl From<Personas> for Vec<(u32, Vec<String>)> {
    fn from(p: Personas) -> Self {
        p.iter()
            .map(|(item, values)| (item, values.map(String::from).collect()))
            .collect()
    }
}

impl From<Vec<(u32, Vec<String>)>> for Personas {
    fn from(all: Vec<(u32, Vec<String>)>) -> Self {
        let mut p = Personas::default();
        for (item, values) in all {
            p.push(item, values);
        }
        p
    }
}

/// An answer to an `insight:` item, or a captured insight (its texts are
/// in its [`VoiceOf`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voice {
    pub at: Timestamp,
    pub audience: Audience,
    pub text: Span,
    /// `captured`, or the `step/item` whose answer this is.
    pub source: Span,
}

/// A `no` or `later` with its why (its texts are in its [`VoiceOf`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Why {
    pub at: Timestamp,
    pub step: Span,
    pub outcome: Outcome,
    pub why: Span,
}

/// What the voice-of-the-customer report needs of a record. Two are equal
/// when they say the same, wherever in their strings their texts are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(into = "Plain", from = "Plain")]
pub struct VoiceOf {
    text: String,
    voice: Vec<Voice>,
    whys: Vec<Why>,
    /// The grouped voice of a run of records read from the index, carried
    /// by the run's first record (see [`crate::report::insights::Part`]);
    /// never serialized.
    part: Option<Box<crate::report::insights::Part>>,
}

/// Each thing said and each why of a record, as the index reader walks an
/// entry's bytes: its texts borrowed, not copied, and not yet checked as
/// UTF-8. The visitor checks each (a text equal to one it has checked
/// need not be checked again) and returns false for one that is not: the
/// walk is then refused, as the reader would refuse the entry.
pub trait VoiceVisit {
    fn said(&mut self, at: Timestamp, audience: Audience, text: &[u8], source: &[u8]) -> bool;
    fn why(&mut self, at: Timestamp, step: &[u8], outcome: Outcome, why: &[u8]) -> bool;
}

impl VoiceOf {
    /// Empty, with room for `voice` things said and `text` bytes of texts.
    pub fn with_capacity(voice: usize, text: usize) -> VoiceOf {
        VoiceOf {
            text: String::with_capacity(text),
            voice: Vec::with_capacity(voice),
            whys: Vec::new(),
            part: None,
        }
    }

    /// Adds a thing said.
    pub fn push_voice(&mut self, at: Timestamp, audience: Audience, text: &str, source: &str) {
        let (text, source) = (add(&mut self.text, text), add(&mut self.text, source));
        self.voice.push(Voice {
            at,
            audience,
            text,
            source,
        });
    }

    /// Adds a why.
    pub fn push_why(&mut self, at: Timestamp, step: &str, outcome: Outcome, why: &str) {
        let (step, why) = (add(&mut self.text, step), add(&mut self.text, why));
        self.whys.push(Why {
            at,
            step,
            outcome,
            why,
        });
    }

    /// Made from its string and its lists, as the index reader finds them;
    /// `None` unless every span is in the string, in order and on
    /// character boundaries (each text must be a string of its own).
    pub(crate) fn from_parts(text: String, voice: Vec<Voice>, whys: Vec<Why>) -> Option<VoiceOf> {
        // Every place in ASCII text is a character boundary.
        let ascii = text.is_ascii();
        let mut at = 0;
        let mut next = |s: Span| {
            let ok = s.from == at
                && s.from <= s.to
                && if ascii {
                    s.to <= text.len()
                } else {
                    text.is_char_boundary(s.to)
                };
            at = s.to;
            ok
        };
        let ok = voice.iter().all(|v| next(v.text) && next(v.source))
            && whys.iter().all(|w| next(w.step) && next(w.why));
        (ok && at == text.len()).then_some(VoiceOf {
            text,
            voice,
            whys,
            part: None,
        })
    }

    /// The things said, in order.
    pub fn voice(&self) -> &[Voice] {
        &self.voice
    }

    /// The whys, in order.
    pub fn whys(&self) -> &[Why] {
        &self.whys
    }

    /// The text at `s`.
    pub fn str(&self, s: Span) -> &str {
        &self.text[s.from..s.to]
    }

    /// The grouped voice of the run of records this one begins, if it
    /// carries one.
    pub fn part(&self) -> Option<&crate::report::insights::Part> {
        self.part.as_deref()
    }

    /// Carries the grouped voice of the run of records this one begins.
    pub(crate) fn set_part(&mut self, part: crate::report::insights::Part) {
        self.part = Some(Box::new(part));
    }

    /// Calls `v` with each thing said, then each why (every text here is
    /// UTF-8: what `v` says of them is not needed).
    pub fn visit(&self, v: &mut impl VoiceVisit) {
        for x in &self.voice {
            let (text, source) = (self.str(x.text), self.str(x.source));
            v.said(x.at, x.audience, text.as_bytes(), source.as_bytes());
        }
        for w in &self.whys {
            let (step, why) = (self.str(w.step), self.str(w.why));
            v.why(w.at, step.as_bytes(), w.outcome, why.as_bytes());
        }
    }
}

impl PartialEq for VoiceOf {
    fn eq(&self, other: &VoiceOf) -> bool {
        fn voice<'a>(v: &'a VoiceOf, x: &Voice) -> (Timestamp, Audience, &'a str, &'a str) {
            (x.at, x.audience, v.str(x.text), v.str(x.source))
        }
        fn why<'a>(v: &'a VoiceOf, w: &Why) -> (Timestamp, &'a str, Outcome, &'a str) {
            (w.at, v.str(w.step), w.outcome, v.str(w.why))
        }
        self.part == other.part
            && self.voice.len() == other.voice.len()
            && self.whys.len() == other.whys.len()
            && self
                .voice
                .iter()
                .zip(&other.voice)
                .all(|(a, b)| voice(self, a) == voice(other, b))
            && self
                .whys
                .iter()
                .zip(&other.whys)
                .all(|(a, b)| why(self, a) == why(other, b))
    }
}

impl Eq for VoiceOf {}

/// [`VoiceOf`] as the plain lists it stands for (its serialized form).
#[derive(Serialize, Deserialize)]
struct Plain {
    voice: Vec<PlainVoice>,
    whys: Vec<PlainWhy>,
}

#[derive(Serialize, Deserialize)]
struct PlainVoice {
    #[serde(with = "ts")]
    at: Timestamp,
    audience: Audience,
    text: String,
    source: String,
}

#[derive(Serialize, Deserialize)]
struct PlainWhy {
    #[serde(with = "ts")]
    at: Timestamp,
    step: String,
    outcome: Outcome,
    why: String,
}

impl From<VoiceOf> for Plain {
    fn from(v: VoiceOf) -> Plain {
        Plain {
            voice: v
                .voice
                .iter()
                .map(|x| PlainVoice {
                    at: x.at,
                    audience: x.audience,
                    text: v.str(x.text).into(),
                    source: v.str(x.source).into(),
                })
                .collect(),
            whys: v
                .whys
                .iter()
                .map(|w| PlainWhy {
                    at: w.at,
                    step: v.str(w.step).into(),
                    outcome: w.outcome,
                    why: v.str(w.why).into(),
                })
                .collect(),
        }
    }
}

impl From<Plain> for VoiceOf {
    fn from(p: Plain) -> VoiceOf {
        let mut v = VoiceOf::default();
        for x in p.voice {
            v.push_voice(x.at, x.audience, &x.text, &x.source);
        }
        for w in p.whys {
            v.push_why(w.at, &w.step, w.outcome, &w.why);
        }
        v
    }
}

/// A record's voice made again from a walk (for tests of the walk).
#[cfg(test)]
impl VoiceVisit for VoiceOf {
    fn said(&mut self, at: Timestamp, audience: Audience, text: &[u8], source: &[u8]) -> bool {
        let (Ok(text), Ok(source)) = (std::str::from_utf8(text), std::str::from_utf8(source))
        else {
            return false;
        };
        self.push_voice(at, audience, text, source);
        true
    }

    fn why(&mut self, at: Timestamp, step: &[u8], outcome: Outcome, why: &[u8]) -> bool {
        let (Ok(step), Ok(why)) = (std::str::from_utf8(step), std::str::from_utf8(why)) else {
            return false;
        };
        self.push_why(at, step, outcome, why);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personas_give_back_what_was_put() {
        let mut p = Personas::default();
        p.push(3, ["a", "", "bé"]);
        p.push(0, Vec::<String>::new());
        p.push(7, ["x"]);
        let got: Vec<(u32, Vec<&str>)> = p.iter().map(|(i, v)| (i, v.collect())).collect();
        assert_eq!(
            got,
            vec![(3, vec!["a", "", "bé"]), (0, vec![]), (7, vec!["x"])]
        );
        let plain: Vec<(u32, Vec<String>)> = p.clone().into();
        assert_eq!(Personas::from(plain), p);
        let (text, answers, ends) = (p.text.clone(), p.answers.clone(), p.ends.clone());
        assert_eq!(
            Personas::from_parts(text.clone(), answers.clone(), ends.clone()),
            Some(p)
        );
        // "bé" cut inside its "é".
        let mut inside = ends.clone();
        inside[2] = 3;
        assert_eq!(
            Personas::from_parts(text.clone(), answers.clone(), inside),
            None
        );
        assert_eq!(
            Personas::from_parts(text, answers[..2].to_vec(), ends),
            None
        );
    }

    #[test]
    fn the_voice_gives_back_what_was_put() {
        let t = |s| Timestamp::from_second(s).unwrap();
        let mut v = VoiceOf::default();
        v.push_voice(t(1), Audience::Product, "bulk import", "captured");
        v.push_why(t(2), "qualify", Outcome::Later, "budget in Q3 é");
        assert_eq!(v.str(v.voice()[0].text), "bulk import");
        assert_eq!(v.str(v.voice()[0].source), "captured");
        assert_eq!(v.str(v.whys()[0].step), "qualify");
        assert_eq!(v.str(v.whys()[0].why), "budget in Q3 é");
        let plain: Plain = v.clone().into();
        assert_eq!(VoiceOf::from(plain), v);
        let again = VoiceOf::from_parts(v.text.clone(), v.voice.clone(), v.whys.clone());
        assert_eq!(again.as_ref(), Some(&v));
        let mut whys = v.whys.clone();
        whys[0].why.to -= 1; // inside the "é", and short of the end
        assert_eq!(
            VoiceOf::from_parts(v.text.clone(), v.voice.clone(), whys),
            None
        );
    }
}
