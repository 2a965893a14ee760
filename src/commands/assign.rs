//! `salesproc assign PROSPECT OWNER`

use super::{Ctx, Exit, UsageError, actor, for_each};
use crate::{flow, output};
use anyhow::Result;

/// Gives a prospect to another owner, with an `assigned` event.
pub fn run(ctx: &Ctx, spec: &str, owner: &str) -> Result<Exit> {
    let owner = owner.trim();
    if owner.is_empty() {
        return Err(UsageError(
            "an owner cannot be empty\nhint: salesproc assign PROSPECT OWNER".into(),
        )
        .into());
    }
    let store = ctx.store()?;
    let who = actor(&store);
    for_each(&store, spec, |id| {
        let changed = store.update(id, |rec| {
            let changed = flow::assign(rec, owner, &who);
            Ok((changed.then(|| format!("{id}: assign to {owner}")), changed))
        })?;
        output::status(&if changed {
            format!("{id}: assigned to {owner}")
        } else {
            format!("{id}: already {owner}'s")
        });
        Ok(())
    })
}
