//! `salesproc decide PROSPECT yes|no|later [--why TEXT] [--revisit DATE]`

use super::{Ctx, Exit, actor, for_each};
use crate::cli::Decision;
use crate::flow::{self, Transition};
use crate::prospect::Outcome;
use crate::store::Store;
use crate::{clock, output};
use anyhow::Result;

/// Decides on the current step without prompts.
pub fn run(
    ctx: &Ctx,
    spec: &str,
    decision: Decision,
    why: Option<String>,
    revisit: Option<String>,
) -> Result<Exit> {
    let store = ctx.store()?;
    let outcome = match decision {
        Decision::Yes => Outcome::Yes,
        Decision::No => Outcome::No,
        Decision::Later => Outcome::Later,
    };
    let revisit = revisit.map(|d| clock::parse_user_date(&d)).transpose()?;
    if let Some(w) = revisit.and_then(|d| clock::sanity(d, clock::Expect::Future)) {
        output::warn(&w);
    }
    let revisit = revisit.map(|d| d.to_string());
    for_each(&store, spec, |id| {
        let t = apply(&store, id, outcome, why.as_deref(), revisit.as_deref())?;
        output::status(&format!("{id}: {}", t.describe()));
        Ok(())
    })
}

/// Records a decision (re-read under the lock) and commits it.
pub fn apply(
    store: &Store,
    id: &str,
    outcome: Outcome,
    why: Option<&str>,
    revisit: Option<&str>,
) -> Result<Transition> {
    let who = actor(store);
    store.update(id, |rec| {
        let t = flow::decide(rec, &store.process, outcome, why, revisit, &who)?;
        Ok((Some(format!("{id}: {}", t.describe())), t))
    })
}
