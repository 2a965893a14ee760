//! `salesproc done ID [--note TEXT] [--next DATE ACTION]`: the agreed next
//! step happened; record it and agree the next one, without a full walk.

use super::{Ctx, Exit, UsageError, actor, follow_up, for_each};
use crate::clock::{self, Expect};
use crate::store::Store;
use crate::{flow, output, prompt};
use anyhow::Result;

/// Marks the follow-up done; `--next` (or a prompt in a terminal) sets the next one.
pub fn run(ctx: &Ctx, spec: &str, note: Option<String>, next: Vec<String>) -> Result<Exit> {
    let store = ctx.store()?;
    let next = match next.split_first() {
        Some((date, action)) => {
            let d = clock::parse_user_date(date)?;
            if let Some(w) = clock::sanity(d, Expect::Future) {
                output::warn(&w);
            }
            Some((d.to_string(), action.join(" ")))
        }
        None => None,
    };
    let ask = next.is_none() && spec != "-" && prompt::can_prompt(ctx.no_input);
    for_each(&store, spec, |id| {
        mark(&store, id, note.as_deref(), next.clone())?;
        if ask {
            agree(&store, id)?;
        } else if next.is_none() {
            output::status(&format!(
                "hint: no next step agreed; `salesproc follow-up {id} DATE ACTION` sets one"
            ));
        }
        Ok(())
    })
}

fn mark(store: &Store, id: &str, note: Option<&str>, next: Option<(String, String)>) -> Result<()> {
    let who = actor(store);
    let done = store.update(id, |rec| {
        let Some(was) = rec.follow_up.clone() else {
            return Ok((None, None));
        };
        flow::done(rec, note, &who);
        let what = was.action.clone().unwrap_or_else(|| "the next step".into());
        let mut message = format!("{id}: done: {what}");
        if let Some((date, action)) = next {
            flow::set_follow_up(rec, Some(date.clone()), Some(action), &who);
            message.push_str(&format!("; next step {date}"));
        }
        Ok((Some(message.clone()), Some(message)))
    })?;
    match done {
        Some(message) => {
            output::status(&message);
            Ok(())
        }
        None => Err(UsageError(format!(
            "{id} has no agreed next step to mark done\nhint: `salesproc follow-up {id} DATE ACTION` agrees one"
        ))
        .into()),
    }
}

fn agree(store: &Store, id: &str) -> Result<()> {
    let action = prompt::text("Next step?", "")?;
    let date = prompt::date("Next step date?", "", Expect::Future)?;
    let action = Some(action.trim().to_string()).filter(|a| !a.is_empty());
    if date.is_none() && action.is_none() {
        return Ok(());
    }
    let shown = format!(
        "{} {}",
        date.as_deref().unwrap_or("(no date)"),
        action.as_deref().unwrap_or("")
    );
    if follow_up::apply(store, id, date, action)? {
        output::status(&format!("{id}: next step {}", shown.trim_end()));
    }
    Ok(())
}
