//! `salesproc insight PROSPECT --for product|marketing|sales TEXT`

use super::{Ctx, Exit, UsageError, actor, for_each};
use crate::cli::Audience as AudienceArg;
use crate::process::Audience;
use crate::{flow, output};
use anyhow::{Context, Result};

/// Captures a voice-of-the-customer insight.
pub fn run(ctx: &Ctx, spec: &str, audience: AudienceArg, text: Vec<String>) -> Result<Exit> {
    let store = ctx.store()?;
    let audience = to_audience(audience);
    let text = if text == ["-"] {
        if spec == "-" {
            return Err(UsageError(
                "the ids and the text cannot both come from stdin\nhint: name the prospect, or pass the text as words".into(),
            )
            .into());
        }
        let mut read = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut read)
            .context("could not read the insight from stdin")?;
        let read = read.trim().to_string();
        if read.is_empty() {
            return Err(UsageError(
                "no text on stdin\nhint: pipe the insight in, or pass it as words".into(),
            )
            .into());
        }
        read
    } else {
        text.join(" ")
    };
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
