//! `salesproc insight PROSPECT --for product|marketing|sales TEXT`

use super::{Ctx, Exit, actor, for_each};
use crate::cli::Audience as AudienceArg;
use crate::process::Audience;
use crate::{flow, output};
use anyhow::Result;

/// Captures a voice-of-the-customer insight.
pub fn run(ctx: &Ctx, spec: &str, audience: AudienceArg, text: Vec<String>) -> Result<Exit> {
    let store = ctx.store()?;
    let audience = to_audience(audience);
    let text = text.join(" ");
    for_each(&store, spec, |id| {
        let who = actor(&store);
        store.update(id, |rec| {
            flow::add_insight(rec, audience, &text, &who)?;
            Ok((Some(format!("{id}: insight for {}", audience.name())), ()))
        })?;
        output::status(&format!("{id}: insight for {} saved", audience.name()));
        Ok(())
    })
}

/// The domain audience for the CLI value.
pub fn to_audience(a: AudienceArg) -> Audience {
    match a {
        AudienceArg::Product => Audience::Product,
        AudienceArg::Marketing => Audience::Marketing,
        AudienceArg::Sales => Audience::Sales,
    }
}
