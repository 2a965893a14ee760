//! The voice of the customer: captured insights, answers to `insight:` items,
//! and the whys of every `no` and `later`, to share with marketing and product.

use crate::clock;
use crate::process::{Audience, Process};
use crate::prospect::Outcome;
use crate::summary::Summary;
use jiff::Timestamp;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;

/// One thing a customer said. Texts are shared (`Rc`): the same answer
/// across thousands of records is held once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Said {
    pub prospect: Rc<str>,
    #[serde(serialize_with = "stamp")]
    pub at: Timestamp,
    #[serde(rename = "for")]
    pub audience: Audience,
    pub text: Rc<str>,
    /// `captured`, or the `step/item` whose answer this is.
    pub source: Rc<str>,
    /// The order it was gathered in (it keeps ties in that order without a
    /// stable sort's scratch copy of half a million entries).
    #[serde(skip)]
    seq: u32,
}

/// The why of a `no` or `later`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub prospect: Rc<str>,
    #[serde(serialize_with = "stamp")]
    pub at: Timestamp,
    pub step: Rc<str>,
    pub outcome: Outcome,
    pub why: Rc<str>,
    /// The order it was gathered in.
    #[serde(skip)]
    seq: u32,
}

fn stamp<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&clock::stamp(*t))
}

/// A fast hash for the report's own texts and keys (half a million lookups
/// at 100,000 records): foldhash, seeded per process. (xxh3's streaming
/// hasher, used before, costs several times as much per short text.)
type Fast = foldhash::fast::RandomState;

/// Holds each distinct text once, and (once asked for) the same text as
/// grouped (see [`fold`]), so one lookup gives both.
#[derive(Default)]
struct Interner(HashMap<Rc<str>, Option<Rc<str>>, Fast>);

impl Interner {
    /// A text, and the same text as grouped: one lookup for both, however
    /// often the text comes.
    fn get_folded(&mut self, s: &str) -> (Rc<str>, Rc<str>) {
        if let Some((text, Some(folded))) = self.0.get_key_value(s) {
            return (text.clone(), folded.clone());
        }
        let text = self.get(s);
        let folded = match fold(s) {
            std::borrow::Cow::Borrowed(_) => text.clone(),
            std::borrow::Cow::Owned(f) => self.get(&f),
        };
        if let Some(slot) = self.0.get_mut(s) {
            *slot = Some(folded.clone());
        }
        (text, folded)
    }

    fn get(&mut self, s: &str) -> Rc<str> {
        if let Some((x, _)) = self.0.get_key_value(s) {
            return x.clone();
        }
        let x: Rc<str> = Rc::from(s);
        self.0.insert(x.clone(), None);
        x
    }
}

/// A group of `later` whys with a common theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    pub theme: String,
    pub count: usize,
    pub whys: Vec<String>,
}

/// The report; its JSON shape is documented in the README.
#[derive(Debug, Clone, Serialize)]
pub struct Voice {
    pub insights: Runs<Said>,
    pub reasons: Runs<Reason>,
    /// What would turn a later into a yes, most frequent first.
    pub later_themes: Vec<Theme>,
}

/// Entries are kept in blocks of at most this many, so 600,000 of them
/// never need a second copy while the list grows.
const BLOCK: usize = 1 << 16;

/// A long list kept in blocks, each sorted when it is finished, read back
/// in one merged order (serialized as one list).
#[derive(Debug, Clone)]
pub struct Runs<T> {
    runs: Vec<Vec<T>>,
    order: fn(&T, &T) -> std::cmp::Ordering,
}

impl<T> Runs<T> {
    fn new(order: fn(&T, &T) -> std::cmp::Ordering) -> Runs<T> {
        Runs {
            runs: Vec::new(),
            order,
        }
    }

    fn push(&mut self, x: T) {
        match self.runs.last_mut() {
            Some(r) if r.len() < BLOCK => r.push(x),
            _ => {
                let mut r = Vec::with_capacity(if self.runs.is_empty() { 16 } else { BLOCK });
                r.push(x);
                self.runs.push(r);
            }
        }
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.runs.iter().map(Vec::len).sum()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.runs.iter().all(Vec::is_empty)
    }

    fn sort(&mut self) {
        for r in &mut self.runs {
            r.sort_unstable_by(self.order);
        }
    }

    /// The entries in order (the blocks merged).
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        let mut at = vec![0usize; self.runs.len()];
        std::iter::from_fn(move || {
            let mut best: Option<usize> = None;
            for (i, r) in self.runs.iter().enumerate() {
                if let Some(x) = r.get(at[i])
                    && best.is_none_or(|b| {
                        (self.order)(x, &self.runs[b][at[b]]) == std::cmp::Ordering::Less
                    })
                {
                    best = Some(i);
                }
            }
            let b = best?;
            at[b] += 1;
            Some(&self.runs[b][at[b] - 1])
        })
    }
}

impl<T: Serialize> Serialize for Runs<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// An entry of the report in time order: when, by whom, in which order gathered.
trait Timed {
    fn when(&self) -> (Timestamp, &str, u32);
}

impl Timed for Said {
    fn when(&self) -> (Timestamp, &str, u32) {
        (self.at, &self.prospect, self.seq)
    }
}

impl Timed for Reason {
    fn when(&self) -> (Timestamp, &str, u32) {
        (self.at, &self.prospect, self.seq)
    }
}

/// Time order; within one record and second, captured insights first, then
/// answers in process order (the order they were gathered in).
fn time_order<T: Timed>(a: &T, b: &T) -> std::cmp::Ordering {
    a.when().cmp(&b.when())
}

/// Filters for the report.
pub struct Filter<'a> {
    pub audience: Option<Audience>,
    /// `YYYY-MM-DD`: only what was said on or after it.
    pub since: Option<&'a str>,
}

impl Filter<'_> {
    /// True when something said at `at` is recent enough.
    fn since(&self, at: Timestamp) -> bool {
        self.since
            .is_none_or(|s| clock::date_of(at).to_string().as_str() >= s)
    }

    /// True when what is said for `team` is wanted.
    fn wants(&self, team: Audience) -> bool {
        self.audience.is_none_or(|w| w == team)
    }
}

/// A theme of `later` whys and the words or phrases that put a why in it
/// (`themes:` in `salesproc.yaml` adds to the built-ins).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeRule {
    pub theme: String,
    pub words: Vec<String>,
}

/// The built-in themes and their words; a why goes to the theme with the
/// most matches, the earlier one on a tie.
const THEMES: &[(&str, &[&str])] = &[
    (
        "Budget and timing (fiscal year, quarter, budget cycle)",
        &[
            "budget",
            "fiscal",
            "quarter",
            "year",
            "q1",
            "q2",
            "q3",
            "q4",
            "funding",
            "freeze",
            "frozen",
            "next year",
            "cycle",
        ],
    ),
    (
        "Product roadmap (a feature or integration we lack)",
        &[
            "feature",
            "roadmap",
            "integration",
            "support",
            "sso",
            "api",
            "release",
            "missing",
            "ui",
            "ux",
            "language",
            "localization",
            "localisation",
            "translation",
            "translated",
            "german",
            "french",
            "spanish",
            "italian",
            "japanese",
            "connector",
            "module",
            "mobile",
            "app",
            "waiting for the",
            "until we ship",
            "lacks",
            "needs",
        ],
    ),
    (
        "Price and terms",
        &[
            "price",
            "pricing",
            "cost",
            "expensive",
            "discount",
            "terms",
            "licence",
            "license",
        ],
    ),
    (
        "Existing contract or competitor",
        &[
            "contract",
            "competitor",
            "renewal",
            "locked",
            "incumbent",
            "vendor",
            "existing",
            "current provider",
            "signed with",
            "runs out",
            "expires",
        ],
    ),
    (
        "People and priorities (reorg, champion left, other projects)",
        &[
            "reorg",
            "reorganisation",
            "reorganization",
            "left",
            "champion",
            "priority",
            "priorities",
            "hire",
            "hiring",
            "project",
            "busy",
            "no time",
        ],
    ),
];

/// The built-in themes, with `custom` ones first (a custom theme named like
/// a built-in one adds its words to it).
pub fn rules(custom: &[ThemeRule]) -> Vec<ThemeRule> {
    let mut out: Vec<ThemeRule> = Vec::new();
    for c in custom {
        out.push(c.clone());
    }
    for (theme, words) in THEMES {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        match out.iter_mut().find(|r| r.theme.eq_ignore_ascii_case(theme)) {
            Some(r) => r.words.extend(words),
            None => out.push(ThemeRule {
                theme: theme.to_string(),
                words,
            }),
        }
    }
    out
}

/// The theme of a why by the built-in themes.
pub fn theme_of(why: &str) -> String {
    theme_in(why, &rules(&[]))
}

/// The theme of a why: the rule with the most matching words (a word
/// matches a whole word, a longer one also its start: `integrat` … ; a
/// phrase matches as written), or `Other`.
pub fn theme_in(why: &str, rules: &[ThemeRule]) -> String {
    let lower = why.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let joined = format!(" {} ", words.join(" "));
    let hits = |keys: &[String]| {
        keys.iter()
            .filter(|k| {
                let k = k.to_lowercase();
                if k.contains(' ') {
                    joined.contains(&format!(" {k} "))
                } else {
                    words
                        .iter()
                        .any(|w| *w == k || (k.len() > 4 && w.starts_with(k.as_str())))
                }
            })
            .count()
    };
    let mut best: Option<(usize, &str)> = None;
    for r in rules {
        let n = hits(&r.words);
        if n > 0 && best.is_none_or(|(b, _)| n > b) {
            best = Some((n, &r.theme));
        }
    }
    best.map(|(_, t)| t.to_string())
        .unwrap_or_else(|| "Other".to_string())
}

/// The report, gathered one record at a time.
pub struct Gather<'f> {
    filter: &'f Filter<'f>,
    texts: Interner,
    insights: Runs<Said>,
    reasons: Runs<Reason>,
    themes: Vec<ThemeRule>,
}

impl<'f> Gather<'f> {
    /// Groups `later` whys by these themes (the built-ins plus the folder's own).
    pub fn with_themes(mut self, custom: &[ThemeRule]) -> Gather<'f> {
        self.themes = rules(custom);
        self
    }

    /// An empty report with these filters.
    pub fn new(filter: &'f Filter<'f>) -> Gather<'f> {
        Gather {
            filter,
            texts: Interner::default(),
            insights: Runs::new(time_order),
            reasons: Runs::new(time_order),
            themes: rules(&[]),
        }
    }

    /// Adds what a record's customer said, and its whys.
    pub fn add(&mut self, s: Summary) {
        // Runs are grouped by the readers only for a tally.
        debug_assert!(
            s.voice.part().is_none(),
            "a run's voice grouped for a tally"
        );
        let f = self.filter;
        let id: Rc<str> = Rc::from(s.row.id.as_str());
        let vo = &s.voice;
        for v in vo.voice() {
            if f.since(v.at) && f.wants(v.audience) {
                let seq = self.insights.len() as u32;
                self.insights.push(Said {
                    prospect: id.clone(),
                    at: v.at,
                    audience: v.audience,
                    text: self.texts.get(vo.str(v.text)),
                    source: self.texts.get(vo.str(v.source)),
                    seq,
                });
            }
        }
        for w in vo.whys() {
            if f.since(w.at) {
                let seq = self.reasons.len() as u32;
                self.reasons.push(Reason {
                    prospect: id.clone(),
                    at: w.at,
                    step: self.texts.get(vo.str(w.step)),
                    outcome: w.outcome,
                    why: self.texts.get(vo.str(w.why)),
                    seq,
                });
            }
        }
    }

    /// The report, in time order.
    pub fn finish(mut self) -> Voice {
        self.insights.sort();
        self.reasons.sort();
        let later_themes = themes(self.reasons.iter(), &self.themes);
        Voice {
            insights: self.insights,
            reasons: self.reasons,
            later_themes,
        }
    }
}

/// One thing said (or one why), grouped (whatever its case): how often, by
/// how many prospects, when last, and who said it last (in its words).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub times: usize,
    pub prospects: usize,
    pub last: Timestamp,
    /// The name of the prospect who said it last (the first in id order on a tie).
    pub who: Rc<str>,
    /// The first few prospects who said it, in id order.
    pub first: Vec<Rc<str>>,
    /// The words as said last.
    pub text: Rc<str>,
    /// The record that added to it last, so a prospect is counted once.
    record: usize,
}

/// How many prospects a grouped line of the markdown names.
const NAMED: usize = 3;

impl Group {
    /// Counts one more, said as `text` by record number `record`; the group
    /// keeps the latest wording. `who` (the record's name, made when first
    /// needed) is kept only when it is one of the first to say it or said
    /// it last.
    fn add(
        &mut self,
        record: usize,
        at: Timestamp,
        who: &mut impl FnMut() -> Rc<str>,
        text: &Rc<str>,
    ) {
        self.times += 1;
        if self.record != record {
            self.prospects += 1;
            self.record = record;
            if self.first.len() < NAMED {
                self.first.push(who());
            }
        }
        if at > self.last {
            self.last = at;
            self.who = who();
            self.text = text.clone();
        }
    }
}

/// A group and the source (or step) it is keyed on (interned).
type Grouped = (Rc<str>, Group);

/// The report grouped, for the table: each distinct thing said, per team and
/// source, and each distinct why, per decision and step, with counts. It
/// holds one entry per distinct text, not one per record, so it stays small
/// however many records say the same.
pub struct Tally<'f> {
    filter: &'f Filter<'f>,
    texts: Interner,
    record: usize,
    /// (team, source, text) → the group; text and source interned.
    said: HashMap<(Audience, usize, usize), Grouped, Fast>,
    /// (decision, step, why) → the group.
    whys: HashMap<(Outcome, usize, usize), Grouped, Fast>,
    /// (team, text) → the group, whatever question it answered (kept only
    /// when asked for, see [`Tally::with_heard`]).
    heard: HashMap<(Audience, usize), Group, Fast>,
    keep_heard: bool,
    themes: Vec<ThemeRule>,
}

/// What a [`Tally`] found, sorted.
pub struct Tallied {
    /// (team, source, group): by team, then said by the most prospects,
    /// most often, latest.
    pub said: Vec<(Audience, Rc<str>, Group)>,
    /// (team, group): the same words under any question together; by team,
    /// then said by the most prospects, then latest.
    pub heard: Vec<(Audience, Group)>,
    /// (decision, step, group): `later` first, then most given, then latest.
    pub whys: Vec<(Outcome, Rc<str>, Group)>,
    pub later_themes: Vec<Theme>,
}

impl<'f> Tally<'f> {
    /// An empty tally with these filters, grouping `later` whys by these themes.
    pub fn new(filter: &'f Filter<'f>, custom: &[ThemeRule]) -> Tally<'f> {
        Tally {
            filter,
            texts: Interner::default(),
            record: 0,
            said: HashMap::default(),
            whys: HashMap::default(),
            heard: HashMap::default(),
            keep_heard: false,
            themes: rules(custom),
        }
    }

    /// Also groups the same words under any question together
    /// ([`Tallied::heard`], for the HTML report).
    pub fn with_heard(mut self) -> Tally<'f> {
        self.keep_heard = true;
        self
    }

    /// How the readers may group a run's voice for this tally.
    pub fn fold(&self) -> Fold<'f> {
        Fold {
            filter: self.filter,
            heard: self.keep_heard,
        }
    }

    /// Takes a run's grouped voice, as if its records were added one by one.
    fn merge(&mut self, p: &Part) {
        let texts: Vec<Rc<str>> = p.texts.iter().map(|t| self.texts.get(t)).collect();
        let names: Vec<Rc<str>> = p.names.iter().map(|n| Rc::from(&**n)).collect();
        // A group as the part has it; `record` is no record's number, so
        // the next record to say the same counts as one more prospect.
        let group = |s: &Sum| Group {
            times: s.times,
            prospects: s.prospects,
            last: s.last,
            who: names[s.who as usize].clone(),
            first: s.first.iter().map(|&n| names[n as usize].clone()).collect(),
            text: texts[s.text as usize].clone(),
            record: usize::MAX,
        };
        let into = |g: &mut Group, s: &Sum| {
            g.times += s.times;
            g.prospects += s.prospects;
            for &n in &s.first {
                if g.first.len() < NAMED {
                    g.first.push(names[n as usize].clone());
                }
            }
            if s.last > g.last {
                g.last = s.last;
                g.who = names[s.who as usize].clone();
                g.text = texts[s.text as usize].clone();
            }
            g.record = usize::MAX;
        };
        for ((team, source, folded), s) in &p.said {
            let source = &texts[*source as usize];
            let key = (*team, ptr(source), ptr(&texts[*folded as usize]));
            match self.said.get_mut(&key) {
                Some(g) => into(&mut g.1, s),
                None => {
                    self.said.insert(key, (source.clone(), group(s)));
                }
            }
        }
        for ((team, folded), s) in &p.heard {
            let key = (*team, ptr(&texts[*folded as usize]));
            match self.heard.get_mut(&key) {
                Some(g) => into(g, s),
                None => {
                    self.heard.insert(key, group(s));
                }
            }
        }
        for ((outcome, step, folded), s) in &p.whys {
            let step = &texts[*step as usize];
            let key = (*outcome, ptr(step), ptr(&texts[*folded as usize]));
            match self.whys.get_mut(&key) {
                Some(g) => into(&mut g.1, s),
                None => {
                    self.whys.insert(key, (step.clone(), group(s)));
                }
            }
        }
    }

    /// Adds what a record's customer said, and its whys (and the grouped
    /// voice of the run it begins, if it carries one).
    pub fn add(&mut self, s: &Summary) {
        let f = self.filter;
        if let Some(p) = s.voice.part() {
            self.merge(p);
        }
        self.record += 1;
        // The record's name, made once and only when a group keeps it (most
        // records are not the last to say what they said).
        let mut name: Option<Rc<str>> = None;
        let mut who = || {
            name.get_or_insert_with(|| Rc::from(s.row.name.as_str()))
                .clone()
        };
        let vo = &s.voice;
        for v in vo.voice() {
            if !(f.wants(v.audience) && f.since(v.at)) {
                continue;
            }
            let source = self.texts.get(vo.str(v.source));
            let (text, folded) = self.texts.get_folded(vo.str(v.text));
            let key = (v.audience, ptr(&source), ptr(&folded));
            let g = self
                .said
                .entry(key)
                .or_insert_with(|| (source, Group::empty(who(), &text)));
            g.1.add(self.record, v.at, &mut who, &text);
            if self.keep_heard {
                self.heard
                    .entry((v.audience, ptr(&folded)))
                    .or_insert_with(|| Group::empty(who(), &text))
                    .add(self.record, v.at, &mut who, &text);
            }
        }
        for w in vo.whys() {
            if !f.since(w.at) {
                continue;
            }
            let step = self.texts.get(vo.str(w.step));
            let (why, folded) = self.texts.get_folded(vo.str(w.why));
            let key = (w.outcome, ptr(&step), ptr(&folded));
            let g = self
                .whys
                .entry(key)
                .or_insert_with(|| (step, Group::empty(who(), &why)));
            g.1.add(self.record, w.at, &mut who, &why);
        }
    }

    /// The groups, sorted, and the themes of the `later` whys.
    pub fn finish(self) -> Tallied {
        // Said by the most prospects first, then most often, then latest.
        let latest = |a: &Group, b: &Group| {
            b.prospects
                .cmp(&a.prospects)
                .then(b.times.cmp(&a.times))
                .then(b.last.cmp(&a.last))
        };
        let mut said: Vec<_> = self
            .said
            .into_iter()
            .map(|((team, _, _), (source, g))| (team, source, g))
            .collect();
        said.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| latest(&a.2, &b.2))
                .then_with(|| a.2.text.cmp(&b.2.text))
                .then_with(|| a.1.cmp(&b.1))
        });
        let order = |o: Outcome| match o {
            Outcome::Later => 0,
            Outcome::No => 1,
            Outcome::Yes => 2,
        };
        let mut whys: Vec<_> = self
            .whys
            .into_iter()
            .map(|((outcome, _, _), (step, g))| (outcome, step, g))
            .collect();
        whys.sort_unstable_by(|a, b| {
            order(a.0)
                .cmp(&order(b.0))
                .then_with(|| latest(&a.2, &b.2))
                .then_with(|| a.2.text.cmp(&b.2.text))
                .then_with(|| a.1.cmp(&b.1))
        });
        // Each distinct why is themed once, counted as often as it was given.
        let mut later_themes: Vec<Theme> = Vec::new();
        let mut by_time: Vec<&Group> = whys
            .iter()
            .filter(|w| w.0 == Outcome::Later)
            .map(|w| &w.2)
            .collect();
        by_time.sort_by_key(|g| g.last);
        for g in by_time {
            let why = &g.text;
            let theme = theme_in(why, &self.themes);
            let at = match later_themes.iter().position(|t| t.theme == theme) {
                Some(at) => at,
                None => {
                    later_themes.push(Theme {
                        theme,
                        count: 0,
                        whys: Vec::new(),
                    });
                    later_themes.len() - 1
                }
            };
            let t = &mut later_themes[at];
            t.count += g.times;
            if !t.whys.iter().any(|w| **w == **why) {
                t.whys.push(why.to_string());
            }
        }
        later_themes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.theme.cmp(&b.theme)));
        let mut heard: Vec<_> = self
            .heard
            .into_iter()
            .map(|((team, _), g)| (team, g))
            .collect();
        heard.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then(b.1.prospects.cmp(&a.1.prospects))
                .then(b.1.last.cmp(&a.1.last))
                .then_with(|| a.1.text.cmp(&b.1.text))
        });
        Tallied {
            said,
            heard,
            whys,
            later_themes,
        }
    }
}

/// What a [`Tally`] groups by, for the readers: they group the voice of a
/// run of records read from the index into a [`Part`] (on every core, from
/// the index's bytes), and the tally takes the part in the run's place.
#[derive(Clone, Copy)]
pub struct Fold<'f> {
    filter: &'f Filter<'f>,
    heard: bool,
}

impl<'f> Fold<'f> {
    /// A run's voice grouped, record by record ([`Folding::record`], then
    /// what it said).
    pub fn begin(&self) -> Folding<'f> {
        Folding {
            fold: *self,
            texts: HashMap::default(),
            folded: Vec::new(),
            said: HashMap::default(),
            heard: HashMap::default(),
            whys: HashMap::default(),
            part: Part::default(),
            record: 0,
            name: String::new(),
            who: None,
        }
    }
}

/// The voice of a run of records (in id order) grouped as a [`Tally`]
/// groups it, its texts each held once. [`Tally::add`] takes it with the
/// run's first record, whose own voice (and the rest of the run's) is
/// then empty.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Part {
    /// Each distinct text (sources, texts, steps, whys, folded texts).
    texts: Vec<Box<str>>,
    /// The names that groups keep.
    names: Vec<Box<str>>,
    /// (team, source, folded text) and its group.
    said: Vec<((Audience, u32, u32), Sum)>,
    /// (team, folded text) and its group.
    heard: Vec<((Audience, u32), Sum)>,
    /// (decision, step, folded why) and its group.
    whys: Vec<((Outcome, u32, u32), Sum)>,
}

/// A [`Group`] of a [`Part`]: its texts and names by their place there.
#[derive(Debug, Clone, PartialEq)]
struct Sum {
    times: usize,
    prospects: usize,
    last: Timestamp,
    who: u32,
    first: Vec<u32>,
    text: u32,
    record: usize,
}

impl Sum {
    /// As [`Group::add`].
    fn add(&mut self, record: usize, at: Timestamp, who: &mut impl FnMut() -> u32, text: u32) {
        self.times += 1;
        if self.record != record {
            self.prospects += 1;
            self.record = record;
            if self.first.len() < NAMED {
                self.first.push(who());
            }
        }
        if at > self.last {
            self.last = at;
            self.who = who();
            self.text = text;
        }
    }

    fn empty(who: u32, text: u32) -> Sum {
        Sum {
            times: 0,
            prospects: 0,
            last: Timestamp::MIN,
            who,
            first: Vec::new(),
            text,
            record: 0,
        }
    }
}

/// A [`Part`] being made.
pub struct Folding<'f> {
    fold: Fold<'f>,
    /// Each text's place in the part's texts (by its bytes).
    texts: HashMap<Box<[u8]>, u32, Fast>,
    /// Each text's folded text (by place), once asked for.
    folded: Vec<Option<u32>>,
    said: HashMap<(Audience, u32, u32), usize, Fast>,
    heard: HashMap<(Audience, u32), usize, Fast>,
    whys: HashMap<(Outcome, u32, u32), usize, Fast>,
    part: Part,
    record: usize,
    /// The current record's name, and its place in the part's names once kept.
    name: String,
    who: Option<u32>,
}

impl Folding<'_> {
    /// What follows is said by the next record, named `name`.
    pub fn record(&mut self, name: &str) {
        self.record += 1;
        self.name.clear();
        self.name.push_str(name);
        self.who = None;
    }

    /// The grouped voice.
    pub fn finish(self) -> Part {
        self.part
    }

    /// A text's place in the part's texts; `None` when it is not UTF-8
    /// (checked once per distinct text: the same bytes again are the text
    /// already checked).
    fn text(&mut self, s: &[u8]) -> Option<u32> {
        if let Some(&at) = self.texts.get(s) {
            return Some(at);
        }
        let text = std::str::from_utf8(s).ok()?;
        let at = self.part.texts.len() as u32;
        self.part.texts.push(text.into());
        self.texts.insert(s.into(), at);
        self.folded.push(None);
        Some(at)
    }

    /// A text and its folded text, as [`Interner::get_folded`].
    fn text_folded(&mut self, s: &[u8]) -> Option<(u32, u32)> {
        let text = self.text(s)?;
        if let Some(f) = self.folded[text as usize] {
            return Some((text, f));
        }
        let f = match fold(&self.part.texts[text as usize]) {
            std::borrow::Cow::Borrowed(_) => None,
            std::borrow::Cow::Owned(f) => Some(f),
        };
        let f = match f {
            Some(f) => self.text(f.as_bytes())?,
            None => text,
        };
        self.folded[text as usize] = Some(f);
        Some((text, f))
    }

    /// The name kept by a group (the current record's, kept once).
    fn who(names: &mut Vec<Box<str>>, name: &str, who: &mut Option<u32>) -> u32 {
        *who.get_or_insert_with(|| {
            names.push(name.into());
            names.len() as u32 - 1
        })
    }
}

/// Counts one saying (record, time, text) in the part's group keyed
/// `key`, made when first said; `at_of` finds each group's place.
fn count<K: Copy + Eq + std::hash::Hash>(
    at_of: &mut HashMap<K, usize, Fast>,
    groups: &mut Vec<(K, Sum)>,
    key: K,
    (record, at, text): (usize, Timestamp, u32),
    who: &mut impl FnMut() -> u32,
) {
    let i = *at_of.entry(key).or_insert_with(|| {
        groups.push((key, Sum::empty(who(), text)));
        groups.len() - 1
    });
    groups[i].1.add(record, at, who, text);
}

/// True when both texts are UTF-8 (for a thing said or a why that the
/// filters leave out: the walk refuses what the reader would refuse).
fn utf8(a: &[u8], b: &[u8]) -> bool {
    std::str::from_utf8(a).is_ok() && std::str::from_utf8(b).is_ok()
}

impl crate::summary::VoiceVisit for Folding<'_> {
    fn said(&mut self, at: Timestamp, audience: Audience, text: &[u8], source: &[u8]) -> bool {
        let f = self.fold.filter;
        if !(f.wants(audience) && f.since(at)) {
            return utf8(text, source);
        }
        let (Some(source), Some((text, folded))) = (self.text(source), self.text_folded(text))
        else {
            return false;
        };
        let Folding {
            part,
            name,
            who,
            record,
            said,
            heard,
            ..
        } = self;
        let Part {
            names,
            said: said_groups,
            heard: heard_groups,
            ..
        } = part;
        let mut who = || Folding::who(names, name, who);
        let key = (audience, source, folded);
        count(said, said_groups, key, (*record, at, text), &mut who);
        if self.fold.heard {
            let key = (audience, folded);
            count(heard, heard_groups, key, (*record, at, text), &mut who);
        }
        true
    }

    fn why(&mut self, at: Timestamp, step: &[u8], outcome: Outcome, why: &[u8]) -> bool {
        if !self.fold.filter.since(at) {
            return utf8(step, why);
        }
        let (Some(step), Some((why, folded))) = (self.text(step), self.text_folded(why)) else {
            return false;
        };
        let Folding {
            part,
            name,
            who,
            record,
            whys,
            ..
        } = self;
        let Part {
            names,
            whys: why_groups,
            ..
        } = part;
        let mut who = || Folding::who(names, name, who);
        let key = (outcome, step, folded);
        count(whys, why_groups, key, (*record, at, why), &mut who);
        true
    }
}

impl Group {
    fn empty(who: Rc<str>, text: &Rc<str>) -> Group {
        Group {
            text: text.clone(),
            times: 0,
            prospects: 0,
            last: Timestamp::MIN,
            who,
            first: Vec::new(),
            record: 0,
        }
    }
}

/// A text as grouped: the same words in another case are the same thing said.
fn fold(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// An interned text's identity.
fn ptr(s: &Rc<str>) -> usize {
    Rc::as_ptr(s).cast::<u8>() as usize
}

fn themes<'a>(reasons: impl Iterator<Item = &'a Reason>, rules: &[ThemeRule]) -> Vec<Theme> {
    let mut out: Vec<Theme> = Vec::new();
    let mut seen: std::collections::HashSet<(String, &str)> = std::collections::HashSet::new();
    for r in reasons.filter(|r| r.outcome == Outcome::Later) {
        let t = theme_in(&r.why, rules);
        let fresh = seen.insert((t.clone(), &r.why));
        match out.iter_mut().find(|x| x.theme == t) {
            Some(x) => {
                x.count += 1;
                if fresh {
                    x.whys.push(r.why.to_string());
                }
            }
            None => out.push(Theme {
                theme: t,
                count: 1,
                whys: vec![r.why.to_string()],
            }),
        }
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.theme.cmp(&b.theme)));
    out
}

/// Who said it, for the markdown: `Acme Corp, 2026-11-28` for one
/// prospect; `12 prospects: Acme Corp, Bolt Inc, Cobalt and 9 more; last
/// 2026-11-28` for more.
fn said_by(g: &Group) -> String {
    let last = clock::date_of(g.last);
    let times = if g.times > g.prospects {
        format!(", {} times", g.times)
    } else {
        String::new()
    };
    if g.prospects <= 1 {
        return format!("{}, {last}{times}", g.who);
    }
    let names: Vec<&str> = g.first.iter().map(|n| &**n).collect();
    let more = g.prospects.saturating_sub(names.len());
    let names = if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    };
    format!("{} prospects{times}: {names}; last {last}", g.prospects)
}

/// The grouped report as a document to paste into a wiki or send to the
/// product team: per team and question, each distinct thing said once,
/// with who said it; the whys of `later` and `no` likewise.
pub fn markdown_grouped(v: &Tallied, p: &Process) -> String {
    let mut s = String::from("# Voice of the customer\n\n");
    let said: usize = v.said.iter().map(|x| x.2.times).sum();
    let reasons: usize = v.whys.iter().map(|x| x.2.times).sum();
    let _ = writeln!(
        s,
        "{said} insights and {reasons} reasons for `no` and `later`, each distinct one listed once.\n"
    );
    for audience in [Audience::Product, Audience::Marketing, Audience::Sales] {
        let mine: Vec<_> = v.said.iter().filter(|x| x.0 == audience).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = writeln!(s, "## For {}\n", audience.name());
        // Questions in the order their first (most said) answer comes.
        let mut sources: Vec<&str> = Vec::new();
        for x in &mine {
            if !sources.contains(&&*x.1) {
                sources.push(&x.1);
            }
        }
        for src in sources {
            let _ = writeln!(s, "### {}\n", source_heading(src, p));
            for (_, _, g) in mine.iter().filter(|x| &*x.1 == src).map(|x| &**x) {
                let _ = writeln!(s, "- **{}**: {}", g.text.replace('\n', " "), said_by(g));
            }
            s.push('\n');
        }
    }
    if !v.later_themes.is_empty() {
        let _ = writeln!(s, "## What would turn a later into a yes\n");
        for t in &v.later_themes {
            let _ = writeln!(
                s,
                "- **{}** ({}): {}",
                t.theme,
                t.count,
                t.whys
                    .iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        s.push('\n');
    }
    for (outcome, title) in [
        (Outcome::Later, "Why deals wait (later)"),
        (Outcome::No, "Why deals were lost or disqualified (no)"),
    ] {
        let mine: Vec<_> = v.whys.iter().filter(|x| x.0 == outcome).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = writeln!(s, "## {title}\n");
        for (_, step, g) in mine {
            let _ = writeln!(
                s,
                "- **{}** (at {step}): {}",
                g.text.replace('\n', " "),
                said_by(g)
            );
        }
        s.push('\n');
    }
    s.trim_end().to_string() + "\n"
}

/// A heading for where insights came from: the question asked, or
/// "Captured insights".
fn source_heading(src: &str, p: &Process) -> String {
    if src == "captured" {
        return "Captured insights".to_string();
    }
    let ask = src
        .split_once('/')
        .and_then(|(st, it)| p.item(st, &format!("{st}/{it}")).ok())
        .map(|(_, i)| i.ask.clone());
    format!("{} (`{src}`)", ask.unwrap_or_else(|| src.to_string()))
}

#[cfg(test)]
mod tests {
    use super::{ThemeRule, rules, theme_in, theme_of};

    /// A tally that takes runs of records grouped by the readers (some
    /// runs, of any length, at any place) finds exactly what one that
    /// adds every record finds: counts, first names, the last wording and
    /// who said it (ties to the first in id order), with and without
    /// filters and the grouping across questions.
    #[test]
    fn runs_grouped_apart_tally_as_records_added_one_by_one() {
        use super::{Filter, Tally};
        use crate::process::Audience;
        use crate::prospect::Outcome;
        use crate::summary::{Row, Summary, VoiceOf};
        use proptest::prelude::*;
        let texts = [
            "Price",
            "price",
            "Needs SSO",
            "needs sso",
            "Slow",
            "É grand",
            "é grand",
        ];
        let teams = [Audience::Product, Audience::Marketing, Audience::Sales];
        let outcomes = [Outcome::Yes, Outcome::No, Outcome::Later];
        let said = (0..4i64, 0..3usize, 0..7usize, 0..3usize);
        let why = (0..4i64, 0..2usize, 0..3usize, 0..7usize);
        let record = (
            0..5usize,
            proptest::collection::vec(said, 0..5),
            proptest::collection::vec(why, 0..3),
        );
        let records = proptest::collection::vec(record, 0..30);
        let cuts = proptest::collection::vec((0..30usize, any::<bool>()), 0..8);
        let config = ProptestConfig::with_cases(500);
        proptest!(config, |(records in records, cuts in cuts, filtered in any::<bool>(), heard in any::<bool>())| {
            let at = |d: i64| jiff::Timestamp::from_second(1_700_000_000 + d * 86_400).unwrap();
            let summaries: Vec<Summary> = records
                .iter()
                .enumerate()
                .map(|(i, (name, said, whys))| {
                    let mut v = VoiceOf::default();
                    for &(d, team, text, source) in said {
                        let source = ["captured", "qualify/pain", "learn/why"][source];
                        v.push_voice(at(d), teams[team], texts[text], source);
                    }
                    for &(d, step, outcome, why) in whys {
                        v.push_why(at(d), ["qualify", "agree"][step], outcomes[outcome], texts[why]);
                    }
                    Summary {
                        row: Row {
                            id: format!("p-{i:03}").into(),
                            name: format!("Name {name}").into(),
                            ..Row::blank()
                        },
                        funnel: None,
                        events: Default::default(),
                        personas: Default::default(),
                        voice: v,
                        listed: None,
                    }
                })
                .collect();
            let since = "2023-11-16";
            let filter = Filter {
                audience: filtered.then_some(Audience::Product),
                since: filtered.then_some(since),
            };
            let tally = || {
                let t = Tally::new(&filter, &[]);
                if heard { t.with_heard() } else { t }
            };
            let mut one_by_one = tally();
            for s in &summaries {
                one_by_one.add(s);
            }
            // Runs between the cuts; those marked grouped apart.
            let mut bounds: Vec<(usize, bool)> = cuts
                .iter()
                .map(|&(c, g)| (c.min(summaries.len()), g))
                .collect();
            bounds.sort();
            let mut runs = Vec::new();
            let mut from = 0;
            for (to, grouped) in bounds.into_iter().chain([(summaries.len(), true)]) {
                if to > from {
                    runs.push((from..to, grouped));
                    from = to;
                }
            }
            let mut by_runs = tally();
            let fold = by_runs.fold();
            for (run, grouped) in runs {
                let mut run_of: Vec<Summary> = summaries[run].to_vec();
                if grouped {
                    let mut folding = fold.begin();
                    for s in &mut run_of {
                        folding.record(&s.row.name);
                        s.voice.visit(&mut folding);
                        s.voice = VoiceOf::default();
                    }
                    run_of[0].voice.set_part(folding.finish());
                }
                for s in &run_of {
                    by_runs.add(s);
                }
            }
            let (a, b) = (one_by_one.finish(), by_runs.finish());
            // A group as the report shows it (not the tally's own note of
            // the last record that added to it).
            let seen = |g: &super::Group| {
                (g.times, g.prospects, g.last, g.who.clone(), g.first.clone(), g.text.clone())
            };
            let said = |t: &super::Tallied| -> Vec<_> {
                t.said.iter().map(|(a, s, g)| (*a, s.clone(), seen(g))).collect()
            };
            let heard = |t: &super::Tallied| -> Vec<_> {
                t.heard.iter().map(|(a, g)| (*a, seen(g))).collect()
            };
            let whys = |t: &super::Tallied| -> Vec<_> {
                t.whys.iter().map(|(o, s, g)| (*o, s.clone(), seen(g))).collect()
            };
            prop_assert_eq!(said(&a), said(&b));
            prop_assert_eq!(heard(&a), heard(&b));
            prop_assert_eq!(whys(&a), whys(&b));
            prop_assert!(!filtered || a.said.iter().all(|(t, _, _)| *t == Audience::Product));
            prop_assert_eq!(&a.later_themes, &b.later_themes);
        });
    }

    /// The grouping checks the texts the index hands it as UTF-8, as the
    /// reader does: a text that is not is refused (also one the filters
    /// leave out), and the same bytes again are the text already checked.
    #[test]
    fn grouping_refuses_a_text_that_is_not_utf8() {
        use super::{Filter, Tally};
        use crate::process::Audience;
        use crate::prospect::Outcome;
        use crate::summary::VoiceVisit;
        let at = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        for audience in [None, Some(Audience::Sales)] {
            let filter = Filter {
                audience,
                since: None,
            };
            let tally = Tally::new(&filter, &[]);
            let mut f = tally.fold().begin();
            f.record("Acme");
            assert!(f.said(at, Audience::Product, "Prix élevé".as_bytes(), b"captured"));
            assert!(f.said(at, Audience::Product, "Prix élevé".as_bytes(), b"captured"));
            assert!(!f.said(at, Audience::Product, b"\xff", b"captured"));
            assert!(!f.said(at, Audience::Product, b"ok", b"\xc3"));
            assert!(f.why(at, b"qualify", Outcome::No, b"too dear"));
            assert!(!f.why(at, b"qualify", Outcome::No, b"\xe2\x82"));
            assert!(!f.why(at, b"\x80", Outcome::No, b"too dear"));
        }
    }

    #[test]
    fn long_lists_kept_in_blocks_read_back_in_one_order() {
        let mut runs = super::Runs::new(|a: &u64, b: &u64| a.cmp(b));
        // More than two blocks, in a scrambled order, with repeats.
        let n = 2 * super::BLOCK as u64 + 12_345;
        for i in 0..n {
            runs.push(i.wrapping_mul(2_654_435_761) % 100_003);
        }
        runs.sort();
        assert_eq!(runs.len(), n as usize);
        let got: Vec<u64> = runs.iter().copied().collect();
        let mut want: Vec<u64> = (0..n)
            .map(|i| i.wrapping_mul(2_654_435_761) % 100_003)
            .collect();
        want.sort_unstable();
        assert_eq!(got, want);
        assert_eq!(
            serde_json::to_value(&runs)
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            n as usize
        );
    }

    #[test]
    fn later_whys_fall_into_themes() {
        assert!(theme_of("Budget moves to the next fiscal year").starts_with("Budget and timing"));
        assert!(
            theme_of("waiting for the SAP connector on our roadmap").starts_with("Product roadmap")
        );
        assert!(theme_of("Too expensive for now").starts_with("Price"));
        assert!(
            theme_of("Locked into a contract with the incumbent").starts_with("Existing contract")
        );
        assert!(theme_of("Reorganisation, champion left").starts_with("People"));
        assert_eq!(theme_of("they went quiet"), "Other");
        // Issue 12 #15.
        assert!(theme_of("Waiting for German UI").starts_with("Product roadmap"));
        assert!(theme_of("Existing contract with incumbent").starts_with("Existing contract"));
        assert!(theme_of("Existing contract runs out next year").starts_with("Existing contract"));
        assert!(theme_of("Budget frozen until the next fiscal year").starts_with("Budget"));
    }

    #[test]
    fn a_folder_adds_its_own_themes() {
        let custom = [ThemeRule {
            theme: "Security review".into(),
            words: vec!["security".into(), "soc2".into(), "pen test".into()],
        }];
        let r = rules(&custom);
        assert_eq!(
            theme_in("Waiting on their security team", &r),
            "Security review"
        );
        assert_eq!(
            theme_in("SOC2 report and SSO missing", &r),
            "Product roadmap (a feature or integration we lack)"
        );
        assert_eq!(theme_in("pen test next month", &r), "Security review");
    }
}
