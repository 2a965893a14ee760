//! `salesproc answer PROSPECT ITEM [VALUE]`

use super::{Ctx, Exit, actor, for_each};
use crate::store::Store;
use crate::{flow, output, prompt};
use anyhow::Result;
use serde_json::Value;

/// Answers one item without prompts (or prompts for that item alone in a terminal).
pub fn run(ctx: &Ctx, spec: &str, item: &str, value: Vec<String>) -> Result<Exit> {
    let store = ctx.store()?;
    for_each(&store, spec, |id| {
        let record = store.read(id)?.record;
        let (step, it) = store
            .process
            .item(&record.stage, item)
            .map_err(|e| super::UsageError(format!("{e:#}")))?;
        let v = if value.is_empty() {
            prompt::require(ctx.no_input || spec == "-", "answering without a VALUE")?;
            match prompt::ask_item(it, record.answer(&step.id, &it.id), false)? {
                prompt::Got::Value(v) => v,
                _ => return Ok(()),
            }
        } else {
            let v = crate::value::parse_value(it, &value)?;
            if let Some(w) = crate::value::date_warning(it, &v) {
                output::warn(&w);
            }
            v
        };
        let (step_id, item_id) = (step.id.clone(), it.id.clone());
        let changed = save(&store, id, &step_id, &item_id, v)?;
        output::status(&if changed {
            format!("{id}: {step_id}/{item_id} answered")
        } else {
            format!("{id}: {step_id}/{item_id} unchanged")
        });
        Ok(())
    })
}

/// Stores one answer (re-read under the lock) and commits it.
pub fn save(store: &Store, id: &str, step: &str, item: &str, value: Value) -> Result<bool> {
    let who = actor(store);
    let fills = store
        .process
        .step(step)
        .and_then(|s| s.checklist.items.iter().find(|i| i.id == item))
        .and_then(|i| i.fills);
    store.update(id, |rec| {
        if let Some(f) = fills {
            flow::fill(rec, f, &value);
        }
        let changed = flow::set_answer(rec, step, item, value, &who);
        Ok((
            changed.then(|| format!("{id}: answer {step}/{item}")),
            changed,
        ))
    })
}
