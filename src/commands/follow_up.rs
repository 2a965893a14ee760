//! `salesproc follow-up PROSPECT DATE ACTION`

use super::{Ctx, Exit, actor, for_each};
use crate::store::Store;
use crate::{clock, flow, output};
use anyhow::Result;

/// Sets the agreed next step.
pub fn run(ctx: &Ctx, spec: &str, date: &str, action: Vec<String>) -> Result<Exit> {
    let store = ctx.store()?;
    let date = clock::parse_user_date(date)?;
    if let Some(w) = clock::sanity(date, clock::Expect::Future) {
        output::warn(&w);
    }
    let date = date.to_string();
    let action = action.join(" ");
    for_each(&store, spec, |id| {
        apply(&store, id, Some(date.clone()), Some(action.clone()))?;
        output::status(&format!("{id}: next step on {date}: {action}"));
        Ok(())
    })
}

/// Stores a follow-up (re-read under the lock) and commits it.
pub fn apply(
    store: &Store,
    id: &str,
    date: Option<String>,
    action: Option<String>,
) -> Result<bool> {
    let who = actor(store);
    store.update(id, |rec| {
        let subject = format!("{id}: follow-up {}", date.as_deref().unwrap_or("(no date)"));
        let changed = flow::set_follow_up(rec, date, action, &who);
        Ok((changed.then_some(subject), changed))
    })
}
