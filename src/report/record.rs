//! One record as `show` presents it: every step with its progress, answers
//! and decisions. Pure: a record and the process in, a view out.

use crate::process::Process;
use crate::prospect::{Contact, FollowUp, Insight, Outcome, Record, Status};
use serde::Serialize;
use serde_json::Value;

/// The JSON shape of `show`.
#[derive(Debug, Serialize)]
pub struct View {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub owner: Option<String>,
    pub contact: Contact,
    pub phase: String,
    pub stage: String,
    pub status: Status,
    pub follow_up: Option<FollowUp>,
    /// The deal value, in `currency`.
    pub value: Option<serde_json::Number>,
    /// `currency` from salesproc.yaml.
    pub currency: Option<String>,
    /// The expected close date.
    pub close_date: Option<String>,
    pub created: Option<String>,
    pub last_activity: Option<String>,
    pub steps: Vec<StepView>,
    pub insights: Vec<Insight>,
    /// The user's own keys (`crm_id`, `hubspot_id`…), as in the file.
    pub extra: crate::prospect::Extra,
}

/// One step of `show`.
#[derive(Debug, Serialize)]
pub struct StepView {
    pub step: String,
    pub phase: String,
    pub phase_title: String,
    pub title: String,
    /// `done`, `current`, `ahead`, or `skipped` (before the current step but
    /// never walked: a deal that entered mid-funnel).
    pub state: &'static str,
    pub answered: usize,
    pub total: usize,
    pub items: Vec<ItemView>,
    pub decisions: Vec<DecisionView>,
}

/// One item of a step.
#[derive(Debug, Serialize)]
pub struct ItemView {
    pub item: String,
    pub ask: String,
    pub required: bool,
    pub answer: Option<Value>,
}

/// One decision taken on a step.
#[derive(Debug, Serialize)]
pub struct DecisionView {
    pub at: String,
    pub by: Option<String>,
    pub outcome: Outcome,
    pub why: Option<String>,
    pub revisit: Option<String>,
}

/// Builds the view of one record.
pub fn view(id: &str, r: &Record, p: &Process) -> View {
    let current = p.index(&r.stage).unwrap_or(0);
    // A step before the current one was walked only if the history went
    // through it (an imported deal enters mid-funnel).
    let replay = crate::history::of_record(r, p);
    let walked = |step: &str| replay.as_ref().is_none_or(|t| t.visited(step));
    let steps = p
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (answered, total) = r.progress(p, &s.id);
            let state =
                if (i < current && walked(&s.id)) || (i == current && r.status == Status::Won) {
                    "done"
                } else if i < current {
                    "skipped"
                } else if i == current {
                    "current"
                } else {
                    "ahead"
                };
            StepView {
                step: s.id.clone(),
                phase: s.phase.clone(),
                phase_title: p
                    .phase(&s.phase)
                    .map(|ph| ph.title.clone())
                    .unwrap_or_else(|| s.phase.clone()),
                title: s.checklist.title.clone(),
                state,
                answered,
                total,
                items: s
                    .checklist
                    .items
                    .iter()
                    .map(|it| ItemView {
                        item: it.id.clone(),
                        ask: it.ask.clone(),
                        required: it.required,
                        answer: r.answer(&s.id, &it.id).cloned(),
                    })
                    .collect(),
                decisions: r
                    .history
                    .iter()
                    .filter(|e| e.step.as_deref() == Some(&s.id))
                    .filter_map(|e| {
                        e.outcome.map(|o| DecisionView {
                            at: e.at.to_string(),
                            by: e.by.as_deref().map(str::to_string),
                            outcome: o,
                            why: e.why.as_deref().map(str::to_string),
                            revisit: e.revisit.as_deref().map(str::to_string),
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    View {
        id: id.to_string(),
        name: r.name.clone(),
        kind: r.kind(p),
        owner: r.owner.clone(),
        contact: r.contact.clone(),
        phase: r.phase(p).to_string(),
        stage: r.stage.clone(),
        status: r.status,
        follow_up: r.follow_up.clone(),
        value: r.value.clone(),
        currency: None,
        close_date: r.close_date.clone(),
        created: r.created_at().map(str::to_string),
        last_activity: r.last_activity().map(str::to_string),
        steps,
        insights: r.insights.clone(),
        extra: r.extra.clone(),
    }
}
