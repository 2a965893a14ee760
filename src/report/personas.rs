//! Market fit: for each `persona:` item, how its answers spread over won,
//! lost, open and nurturing records, and each answer's win rate.

use super::{ratio, round2};
use crate::process::Process;
use crate::prospect::Status;
use crate::summary::{PersonaAnswer, Summary};
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

pub use crate::summary::band;

/// Computes the spread for every persona item, answers ordered by how often
/// they occur. Free-text answers that differ only in case count as one, shown
/// as first written.
/// What `personas` keeps of a record: its status and persona answers.
pub struct Input {
    pub status: Status,
    pub answers: Vec<PersonaAnswer>,
}

impl Input {
    /// Takes what the report needs from a summary.
    pub fn of(s: Summary) -> Input {
        Input {
            status: s.row.status,
            answers: s.detail.personas,
        }
    }
}

/// Computes the spread of every persona item over the records' inputs.
pub fn compute(records: &[Input], p: &Process) -> Vec<PersonaItem> {
    let mut out = Vec::new();
    for s in &p.steps {
        for item in s.checklist.items.iter().filter(|i| i.persona.is_some()) {
            let mut answers: Vec<AnswerFigures> = Vec::new();
            // Lower-cased value → its place in `answers`: one lookup per value,
            // however many distinct free-text answers there are.
            let mut seen: HashMap<String, usize> = HashMap::new();
            for r in records {
                let Some(pa) = r
                    .answers
                    .iter()
                    .find(|a| a.step == s.id && a.item == item.id)
                else {
                    continue;
                };
                for val in &pa.values {
                    let key = val.to_lowercase();
                    let i = *seen.entry(key).or_insert_with(|| {
                        answers.push(AnswerFigures {
                            value: val.clone(),
                            won: 0,
                            lost: 0,
                            open: 0,
                            nurturing: 0,
                            win_rate: None,
                        });
                        answers.len() - 1
                    });
                    let a = &mut answers[i];
                    match r.status {
                        Status::Won => a.won += 1,
                        Status::Lost => a.lost += 1,
                        Status::Open => a.open += 1,
                        Status::Nurturing => a.nurturing += 1,
                    }
                }
            }
            for a in &mut answers {
                a.win_rate = ratio(a.won, a.won + a.lost).map(round2);
            }
            let total = |a: &AnswerFigures| a.won + a.lost + a.open + a.nurturing;
            answers.sort_by(|a, b| total(b).cmp(&total(a)).then_with(|| a.value.cmp(&b.value)));
            out.push(PersonaItem {
                step: s.id.clone(),
                item: item.id.clone(),
                persona: item.persona.clone().unwrap_or_default(),
                answers,
            });
        }
    }
    out
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
