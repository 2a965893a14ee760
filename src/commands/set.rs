//! `salesproc set PROSPECT value|close-date VALUE`

use super::{Ctx, Exit, UsageError, actor, for_each};
use crate::cli::SetField;
use crate::flow::{self, Field};
use crate::{clock, output};
use anyhow::Result;

/// Sets the deal value or the expected close date (`none` clears it).
pub fn run(ctx: &Ctx, spec: &str, field: SetField, value: &str) -> Result<Exit> {
    let store = ctx.store()?;
    let clear = value.trim().is_empty() || value.trim().eq_ignore_ascii_case("none");
    let field = match field {
        SetField::Value if clear => Field::Value(None),
        // As a person types it, read as `answer` reads an amount: `1.5M`
        // is 1,500,000, and `2,5` (two readings) is refused.
        SetField::Value => Field::Value(Some(match crate::value::parse_number(value) {
            Ok(serde_json::Value::Number(n)) => n,
            why => {
                let why = why
                    .err()
                    .unwrap_or_else(|| format!("\"{value}\" is not an amount"));
                return Err(UsageError(format!(
                    "{why}\nhint: write 48000, 48,000.50, 48k or 1.5M; `none` clears the value"
                ))
                .into());
            }
        })),
        SetField::CloseDate if clear => Field::CloseDate(None),
        SetField::CloseDate => Field::CloseDate(Some(clock::parse_user_date(value)?.to_string())),
    };
    let shown = match &field {
        Field::Value(Some(n)) => match &store.config.currency {
            Some(c) => format!("{n} {c}"),
            None => n.to_string(),
        },
        Field::CloseDate(Some(d)) => d.clone(),
        _ => "none".into(),
    };
    let who = actor(&store);
    for_each(&store, spec, |id| {
        let name = field.name();
        let changed = store.update(id, |rec| {
            let changed = flow::set_field(rec, field.clone(), &who);
            Ok((changed.then(|| format!("{id}: {name} {shown}")), changed))
        })?;
        output::status(&if changed {
            format!("{id}: {name} {shown}")
        } else {
            format!("{id}: {name} unchanged")
        });
        Ok(())
    })
}
