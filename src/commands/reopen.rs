//! `salesproc reopen ID --why TEXT`: a won or lost deal is open again, at its step.

use super::{Ctx, Exit, UsageError, actor, resolve};
use crate::{flow, output};
use anyhow::Result;

/// Reopens a closed deal with a `reopened` event that carries the why.
pub fn run(ctx: &Ctx, spec: &str, why: &str) -> Result<Exit> {
    let store = ctx.store()?;
    let id = resolve(&store, spec)?;
    let who = actor(&store);
    let stage = store.update(&id, |rec| {
        if let Err(e) = flow::reopen_closed(rec, why, &who) {
            let hint = if rec.status.is_closed() {
                "hint: say why with --why".to_string()
            } else {
                format!("hint: only won or lost deals are reopened; `salesproc next {id}` walks it")
            };
            return Err(UsageError(format!("cannot reopen {id}: {e}\n{hint}")).into());
        }
        Ok((
            Some(format!("{id}: reopen at {} ({})", rec.stage, why.trim())),
            rec.stage.clone(),
        ))
    })?;
    output::status(&format!("{id}: reopened at {stage}, status open"));
    Ok(Exit::Success)
}
