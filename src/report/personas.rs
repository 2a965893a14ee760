//! Market fit: for each `persona:` item, how its answers spread over won,
//! lost, open and nurturing records, and each answer's win rate.

use super::{ratio, round2};
use crate::process::{ItemType, Process};
use crate::prospect::Status;
use crate::summary::Personas;
use serde::Serialize;
use std::collections::HashMap;

/// An answer value needs this many closed (won + lost) records to be ranked best or worst.
pub const MIN_CLOSED: usize = 3;

/// One answer value's spread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerFigures {
    pub value: String,
    pub won: usize,
    pub lost: usize,
    pub open: usize,
    pub nurturing: usize,
    pub win_rate: Option<f64>,
}

/// One persona item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonaItem {
    pub step: String,
    pub item: String,
    pub persona: String,
    pub answers: Vec<AnswerFigures>,
}

pub use crate::summary::{band, band_rank};

/// The spread of every persona item, built one record at a time (so the
/// records never need to be in memory together). Answers are ordered by how
/// often they occur (number bands in numeric order). Free-text answers that
/// differ only in case count as one, shown as first written.
pub struct Fit {
    /// One per persona item, in process order (a summary names its items
    /// by their place: see [`Process::persona_items`]).
    items: Vec<Acc>,
    /// A value lower-cased, kept from one value to the next.
    lower: String,
}

/// A fast hash for the report's own texts (looked up once per answer at
/// 100,000 records): foldhash, seeded per process.
type Fast = foldhash::fast::RandomState;

struct Acc {
    item: PersonaItem,
    numeric: bool,
    /// Lower-cased value → its place in `item.answers`.
    seen: HashMap<String, usize, Fast>,
}

impl Fit {
    /// An empty report over the process's persona items.
    pub fn new(p: &Process) -> Fit {
        let items = p
            .persona_items()
            .map(|(s, item)| Acc {
                item: PersonaItem {
                    step: s.id.clone(),
                    item: item.id.clone(),
                    persona: item.persona.clone().unwrap_or_default(),
                    answers: Vec::new(),
                },
                numeric: item.kind == ItemType::Number,
                seen: HashMap::default(),
            })
            .collect();
        Fit {
            items,
            lower: String::new(),
        }
    }

    /// Counts one record's persona answers under its status.
    pub fn add(&mut self, status: Status, answers: &Personas) {
        for (i, values) in answers.iter() {
            let Some(acc) = self.items.get_mut(i as usize) else {
                continue;
            };
            for val in values {
                let answers = &mut acc.item.answers;
                // Most answers are lower-case ASCII already: no new string
                // for them, and none for the other ASCII ones either.
                let lower = if !val.is_ascii() {
                    std::borrow::Cow::Owned(val.to_lowercase())
                } else if val.bytes().any(|b| b.is_ascii_uppercase()) {
                    self.lower.clear();
                    self.lower.push_str(val);
                    self.lower.make_ascii_lowercase();
                    std::borrow::Cow::Borrowed(self.lower.as_str())
                } else {
                    std::borrow::Cow::Borrowed(val)
                };
                let j = match acc.seen.get(lower.as_ref()) {
                    Some(j) => *j,
                    None => {
                        answers.push(AnswerFigures {
                            value: val.to_string(),
                            won: 0,
                            lost: 0,
                            open: 0,
                            nurturing: 0,
                            win_rate: None,
                        });
                        acc.seen.insert(lower.into_owned(), answers.len() - 1);
                        answers.len() - 1
                    }
                };
                let a = &mut answers[j];
                match status {
                    Status::Won => a.won += 1,
                    Status::Lost => a.lost += 1,
                    Status::Open => a.open += 1,
                    Status::Nurturing => a.nurturing += 1,
                }
            }
        }
    }

    /// The report.
    pub fn finish(self) -> Vec<PersonaItem> {
        self.items
            .into_iter()
            .map(|acc| {
                let mut item = acc.item;
                for a in &mut item.answers {
                    a.win_rate = ratio(a.won, a.won + a.lost).map(round2);
                }
                let total = |a: &AnswerFigures| a.won + a.lost + a.open + a.nurturing;
                if acc.numeric {
                    item.answers.sort_by(|a, b| {
                        band_rank(&a.value)
                            .cmp(&band_rank(&b.value))
                            .then_with(|| a.value.cmp(&b.value))
                    });
                } else {
                    item.answers.sort_by(|a, b| {
                        total(b).cmp(&total(a)).then_with(|| a.value.cmp(&b.value))
                    });
                }
                item
            })
            .collect()
    }
}

/// The values with the best and the worst win rate among those with at least
/// `MIN_CLOSED` closed records; `None` unless two values qualify.
pub fn best_and_worst(item: &PersonaItem) -> Option<(String, String)> {
    let mut ranked: Vec<&AnswerFigures> = item
        .answers
        .iter()
        .filter(|a| a.won + a.lost >= MIN_CLOSED)
        .collect();
    if ranked.len() < 2 {
        return None;
    }
    ranked.sort_by(|a, b| {
        b.win_rate
            .unwrap_or(0.0)
            .total_cmp(&a.win_rate.unwrap_or(0.0))
            .then_with(|| a.value.cmp(&b.value))
    });
    let (best, worst) = (ranked[0], ranked[ranked.len() - 1]);
    (best.win_rate != worst.win_rate).then(|| (best.value.clone(), worst.value.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(value: &str, won: usize, lost: usize) -> AnswerFigures {
        AnswerFigures {
            value: value.into(),
            won,
            lost,
            open: 0,
            nurturing: 0,
            win_rate: ratio(won, won + lost).map(round2),
        }
    }

    fn item(answers: Vec<AnswerFigures>) -> PersonaItem {
        PersonaItem {
            step: "qualify".into(),
            item: "role".into(),
            persona: "buyer-role".into(),
            answers,
        }
    }

    #[test]
    fn best_and_worst_need_enough_closed_records() {
        let i = item(vec![
            fig("champion", 3, 1),
            fig("user", 0, 3),
            fig("gatekeeper", 1, 0),
        ]);
        assert_eq!(
            best_and_worst(&i),
            Some(("champion".into(), "user".into())),
            "gatekeeper has only 1 closed"
        );
        let thin = item(vec![fig("champion", 2, 0), fig("user", 0, 2)]);
        assert_eq!(best_and_worst(&thin), None);
        let tie = item(vec![fig("a", 2, 2), fig("b", 3, 3)]);
        assert_eq!(best_and_worst(&tie), None, "equal win rates mark nothing");
    }

    #[test]
    fn numbers_fall_into_bands() {
        assert_eq!(band(1.0), "1-9");
        assert_eq!(band(10.0), "10-49");
        assert_eq!(band(249.0), "50-249");
        assert_eq!(band(250.0), "250-999");
        assert_eq!(band(4999.0), "1000-4999");
        assert_eq!(band(5000.0), "5000+");
    }
}
