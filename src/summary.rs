//! A compact summary of one record: what `list`, name lookup and the reports
//! need, from one parse and one pass over the history. The summary index
//! (`index.rs`) stores these, so a warm command never parses a record.

use crate::fastyaml::answers::LeanAnswers;
use crate::history::{self, Events, ts_opt};
use crate::process::{ItemType, Process};
use crate::prospect::{Answers, Outcome, Record, Status, StepAnswers, is_answered};
use crate::value::display_value;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::ops::Range;

/// Short text kept inline (ids, names, dates, step ids): 100,000 rows read
/// from the index then cost no allocation each.
pub use crate::prospect::Text;
pub use texts::{Personas, Span, Voice, VoiceOf, VoiceVisit, Why};

mod texts;
use serde_json::Value;

/// What `list` and name lookup need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub id: Text,
    pub name: Text,
    pub owner: Option<Text>,
    pub contact: Option<Text>,
    pub stage: Text,
    pub status: Status,
    pub follow_up_date: Option<Text>,
    pub follow_up_action: Option<Text>,
    /// The deal's value, in the folder's currency (see [`deal_value`]).
    pub value: Option<f64>,
    /// The expected close date, `YYYY-MM-DD`.
    pub close_date: Option<Text>,
    /// Answered items of the current step, and how many it has.
    pub answered: u32,
    pub total: u32,
    #[serde(with = "ts_opt")]
    pub created: Option<Timestamp>,
    #[serde(with = "ts_opt")]
    pub last_activity: Option<Timestamp>,
    /// False for a record without history (left out of the figures).
    pub has_history: bool,
}

impl Row {
    /// A row with nothing in it, for a summary read without its row.
    pub fn blank() -> Row {
        Row {
            id: Text::default(),
            name: Text::default(),
            owner: None,
            contact: None,
            stage: Text::default(),
            status: Status::Open,
            follow_up_date: None,
            follow_up_action: None,
            value: None,
            close_date: None,
            answered: 0,
            total: 0,
            created: None,
            last_activity: None,
            has_history: false,
        }
    }
}

/// One record, summarized. Each part beyond the row is read from the index
/// only when a command asks for it (see [`Want`]); otherwise it is empty.
/// The row is blank ([`Row::blank`]) when `list`'s line was read from the
/// index in its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub row: Row,
    /// The replay of the whole history; `None` without history.
    pub funnel: Option<history::Replay>,
    /// The events, for replays at a past date.
    pub events: Events,
    pub personas: Personas,
    pub voice: VoiceOf,
    /// `list`'s line, when asked for and read from the index (see
    /// [`Want::listed`]); `None` otherwise.
    pub listed: Option<crate::listing::Listed>,
}

/// Which parts of the summaries a command needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Want {
    pub funnel: bool,
    pub events: bool,
    pub personas: bool,
    pub voice: bool,
    /// `list`'s line of the record ([`Summary::listed`]) where the index
    /// has it, in place of the row: the row is then left blank, unless
    /// `row` asks for it too.
    pub listed: bool,
    /// The row, even when `listed` is asked for.
    pub row: bool,
    /// Of the row, only the id, the name, the owner, the stage, the
    /// status, the follow-up date, the value, the last activity and whether
    /// there is history (what the reports and `list`'s filters and orders
    /// read): read from the index, the rest of the row is left blank.
    pub lean: bool,
}

impl Want {
    /// The rows only (`list`, name lookup).
    pub const ROWS: Want = Want {
        funnel: false,
        events: false,
        personas: false,
        voice: false,
        listed: false,
        row: true,
        lean: false,
    };
    /// Everything.
    pub const ALL: Want = Want {
        funnel: true,
        events: true,
        personas: true,
        voice: true,
        listed: false,
        row: true,
        lean: false,
    };

    /// True when anything beyond the row is wanted.
    pub fn detail(self) -> bool {
        Want {
            lean: false,
            ..self
        } != Want::ROWS
    }

    /// As `self`, with the row read whatever else is (a scan that keeps
    /// each record's name needs it).
    pub fn with_row(self) -> Want {
        Want { row: true, ..self }
    }

    /// True when the row is read from the index.
    pub fn reads_row(self) -> bool {
        self.row || !self.listed
    }
}

impl Summary {
    /// Summarizes a parsed record against the process.
    pub fn of(id: &str, r: &Record, p: &Process) -> Summary {
        Summary::of_facts(id, r, history::Facts::of(r), None, p)
    }

    /// Summarizes a record whose history is given as its [`history::Facts`]
    /// (`r.history` itself is not read: the fast reader's summary path
    /// leaves it empty and gathers the facts from the text), and whose
    /// answers are in `lean` when the fast reader took them there (else in
    /// `r.answers`).
    pub fn of_facts(
        id: &str,
        r: &Record,
        facts: history::Facts,
        lean: Option<&LeanAnswers<'_>>,
        p: &Process,
    ) -> Summary {
        let answers = match lean {
            Some(l) if l.taken() => Answered::Lean(l),
            _ => Answered::Map(&r.answers),
        };
        // As `Record::progress`.
        let (answered, total) = match p.step(&r.stage) {
            Some(s) => {
                let at = answers.step(&r.stage);
                let items = &s.checklist.items;
                let done = items
                    .iter()
                    .filter(|i| at.as_ref().is_some_and(|a| a.is_answered(&i.id)))
                    .count();
                (done, items.len())
            }
            None => (0, 0),
        };
        let ev = &facts.events;
        let row = Row {
            id: id.into(),
            name: r.name.as_str().into(),
            owner: r.owner.as_deref().map(Text::from),
            contact: r.contact.name.as_deref().map(Text::from),
            stage: r.stage.as_str().into(),
            status: r.status,
            follow_up_date: r.follow_up_date().map(Text::from),
            follow_up_action: r
                .follow_up
                .as_ref()
                .and_then(|f| f.action.as_deref().map(Text::from)),
            value: value_of(
                r.value.as_ref(),
                answers
                    .step("propose")
                    .and_then(|a| a.answered("offer-value"))
                    .as_deref(),
            ),
            close_date: r.close_date.as_deref().map(Text::from),
            answered: answered as u32,
            total: total as u32,
            created: facts.created,
            last_activity: ev.activity.last().copied(),
            has_history: facts.entries > 0,
        };
        // Room for what a typical record has.
        let mut personas = Personas::with_capacity(8, 16, 192);
        let mut voice = VoiceOf::with_capacity(8, 512);
        for i in &r.insights {
            if let Some(at) = history::parse_at(&i.at) {
                voice.push_voice(at, i.audience, &i.text, "captured");
            }
        }
        // Each persona item's place among the process's (whether answered or not).
        let mut persona_item = 0u32;
        let mut source = String::new();
        for s in &p.steps {
            // One lookup of the step, then one per item.
            let answers = answers.step(&s.id);
            for item in &s.checklist.items {
                // Only persona and insight answers are kept (and only they are built).
                if item.persona.is_none() && item.insight.is_none() {
                    continue;
                }
                let place = persona_item;
                persona_item += u32::from(item.persona.is_some());
                let Some(v) = answers.as_ref().and_then(|a| a.answered(&item.id)) else {
                    continue;
                };
                let v = v.as_ref();
                if item.persona.is_some() {
                    let mut values = persona_values(item.kind, v);
                    values.sort_by_key(|v| v.to_lowercase());
                    values.dedup_by_key(|v| v.to_lowercase());
                    personas.push(place, values);
                }
                if let Some(audience) = item.insight
                    && let Some(at) = facts.answered_at(&s.id, &item.id)
                {
                    // A list answer is one thing said per element, as
                    // `personas` counts it, so the same need is grouped
                    // whichever other needs came with it.
                    source.clear();
                    source.push_str(&s.id);
                    source.push('/');
                    source.push_str(&item.id);
                    match v {
                        Value::Array(a) => {
                            for x in a {
                                voice.push_voice(at, audience, &display_value(x), &source);
                            }
                        }
                        _ => voice.push_voice(at, audience, &display_value(v), &source),
                    }
                }
            }
        }
        let funnel = history::replay(ev, p, &r.stage, None);
        for m in ev.moves.iter().filter(|m| m.kind == history::Kind::Decided) {
            if let (Some(outcome), Some(why)) = (m.outcome.filter(|o| *o != Outcome::Yes), &m.why) {
                voice.push_why(m.at, m.step.as_deref().unwrap_or_default(), outcome, why);
            }
        }
        Summary {
            row,
            funnel,
            events: facts.events,
            personas,
            voice,
            listed: None,
        }
    }

    /// Keeps only the parts in `want` beyond the row (the others emptied);
    /// the row is kept, and `list`'s line is left to the caller to set.
    pub fn keep_only(&mut self, want: Want) {
        if !want.funnel {
            self.funnel = None;
        }
        if !want.events {
            self.events = Events::default();
        }
        if !want.personas {
            self.personas = Personas::default();
        }
        if !want.voice {
            self.voice = VoiceOf::default();
        }
    }

    /// The record as it stood at `cutoff` (`None`: now).
    pub fn replay(&self, p: &Process, cutoff: Option<Timestamp>) -> Option<history::Replay> {
        match cutoff {
            None => self.funnel.clone(),
            Some(_) => history::replay(&self.events, p, &self.row.stage, cutoff),
        }
    }
}

/// A deal's value: the record's `value` field, else the `propose/offer-value`
/// answer. The one place that knows where a value lives, so the reports
/// (list, pipeline, forecast) agree.
pub fn deal_value(r: &Record) -> Option<f64> {
    value_of(r.value.as_ref(), r.answer("propose", "offer-value"))
}

/// [`deal_value`] from the record's `value` and its answered offer value.
fn value_of(value: Option<&serde_json::Number>, offer: Option<&Value>) -> Option<f64> {
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', "").parse::<f64>().ok(),
        _ => None,
    };
    value
        .and_then(serde_json::Number::as_f64)
        .or_else(|| offer.and_then(number))
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// Where a summary finds a record's answers: in its own map, or where the
/// fast reader left them in the text.
enum Answered<'r> {
    Map(&'r Answers),
    Lean(&'r LeanAnswers<'r>),
}

/// One step's answers, found by [`Answered::step`].
enum StepAnswered<'r> {
    Map(&'r StepAnswers),
    Lean(&'r LeanAnswers<'r>, Range<usize>),
}

impl<'r> Answered<'r> {
    fn step(&self, step: &str) -> Option<StepAnswered<'r>> {
        match *self {
            Answered::Map(m) => m.get(step).map(StepAnswered::Map),
            Answered::Lean(l) => l.step(step).map(|r| StepAnswered::Lean(l, r)),
        }
    }
}

impl<'r> StepAnswered<'r> {
    /// As [`is_answered`] of the item's answer (false without one).
    fn is_answered(&self, item: &str) -> bool {
        match self {
            StepAnswered::Map(m) => m.get(item).is_some_and(is_answered),
            StepAnswered::Lean(l, r) => l.is_answered(r, item),
        }
    }

    /// The item's answer when it is answered, as [`Record::answer`] gives it.
    fn answered(&self, item: &str) -> Option<Cow<'r, Value>> {
        match self {
            StepAnswered::Map(m) => m.get(item).filter(|v| is_answered(v)).map(Cow::Borrowed),
            StepAnswered::Lean(l, r) => l.answered(r, item).map(Cow::Owned),
        }
    }
}

/// Number bands, for company sizes and the like.
const BANDS: &[(f64, &str)] = &[
    (10.0, "1-9"),
    (50.0, "10-49"),
    (250.0, "50-249"),
    (1000.0, "250-999"),
    (5000.0, "1000-4999"),
];

/// The band label of a number.
pub fn band(x: f64) -> String {
    BANDS
        .iter()
        .find(|(upper, _)| x < *upper)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| "5000+".into())
}

/// Where a band label sorts among the bands (other labels after them).
pub fn band_rank(label: &str) -> usize {
    BANDS
        .iter()
        .position(|(_, l)| *l == label)
        .unwrap_or(if label == "5000+" {
            BANDS.len()
        } else {
            usize::MAX
        })
}

/// The values a persona answer counts as: numbers in bands, checks as yes/no.
pub fn persona_values(kind: ItemType, v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().flat_map(|x| persona_values(kind, x)).collect(),
        Value::Number(n) => vec![band(n.as_f64().unwrap_or(0.0))],
        Value::Bool(b) => vec![if *b { "yes".into() } else { "no".into() }],
        Value::String(s) if kind == ItemType::Text || kind == ItemType::List => {
            vec![s.trim().to_string()]
        }
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}
