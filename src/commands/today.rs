//! `salesproc today [--week]` (alias `agenda`): the rep's day in order, and
//! `salesproc next` with no prospect, which walks it.

use super::{Ctx, Exit};
use crate::cli::Format;
use crate::output::{self, Tabular};
use crate::prompt::{self, Got};
use crate::prospect::Status;
use crate::store::{Store, Want};
use crate::table::{self, Table};
use crate::{clock, history, summary};
use anstyle::AnsiColor;
use anyhow::Result;
use jiff::ToSpan;
use serde::Serialize;

/// Why a prospect is on the agenda, in the order the agenda shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Why {
    /// An agreed next step whose date has passed.
    Overdue,
    /// An agreed next step for today.
    Due,
    /// (`--week`) an agreed next step in the next seven days.
    Upcoming,
    /// Open, with no activity for longer than its step allows.
    Stale,
    /// Nurturing, and the revisit date has come.
    Revisit,
}

/// One line of the agenda; its JSON shape is documented in the README.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: String,
    pub name: String,
    pub why: Why,
    pub step: String,
    pub status: Status,
    pub date: Option<String>,
    pub action: Option<String>,
    /// Days from today to `date` (negative: overdue), or since the last activity when stale.
    pub days: i64,
}

impl Tabular for Entry {
    fn headers() -> Vec<&'static str> {
        vec![
            "id", "name", "why", "step", "status", "date", "action", "days",
        ]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            why_name(self.why).into(),
            self.step.clone(),
            self.status.name().into(),
            self.date.clone().unwrap_or_default(),
            self.action.clone().unwrap_or_default(),
            self.days.to_string(),
        ]
    }
    fn id(&self) -> String {
        self.id.clone()
    }
}

fn why_name(w: Why) -> &'static str {
    match w {
        Why::Overdue => "overdue",
        Why::Due => "due",
        Why::Upcoming => "upcoming",
        Why::Stale => "stale",
        Why::Revisit => "revisit",
    }
}

/// Where a summary row stands on the agenda of `today` (horizon: the last
/// day counted), if at all. Pure, so the order is tested without files.
pub fn classify(
    r: &summary::Row,
    p: &crate::process::Process,
    today: jiff::civil::Date,
    horizon: jiff::civil::Date,
    now: jiff::Timestamp,
) -> Option<Entry> {
    let date = r.follow_up_date.as_deref();
    let parsed = date.and_then(clock::parse_iso_date);
    let days = parsed.map(|d| (d - today).get_days() as i64).unwrap_or(0);
    let on_or_before = |d: jiff::civil::Date| parsed.is_some_and(|f| f <= d);
    let why = match r.status {
        Status::Open if on_or_before(today) && days < 0 => Why::Overdue,
        Status::Open if on_or_before(today) => Why::Due,
        Status::Open if on_or_before(horizon) => Why::Upcoming,
        Status::Open
            if r.last_activity
                .is_some_and(|l| history::is_stale(r.status, &r.stage, l, p, now)) =>
        {
            Why::Stale
        }
        Status::Nurturing if on_or_before(horizon) => Why::Revisit,
        _ => return None,
    };
    let days = match why {
        Why::Stale => r
            .last_activity
            .map(|l| clock::days_between(l, now) as i64)
            .unwrap_or(0),
        _ => days,
    };
    Some(Entry {
        id: r.id.to_string(),
        name: r.name.to_string(),
        why,
        step: r.stage.to_string(),
        status: r.status,
        date: date.map(str::to_string),
        action: r.follow_up_action.as_deref().map(String::from),
        days,
    })
}

/// Orders the agenda: by reason, then oldest date first (most days stale first).
pub fn order(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        a.why
            .cmp(&b.why)
            .then_with(|| match a.why {
                Why::Stale => b.days.cmp(&a.days),
                _ => a.date.cmp(&b.date),
            })
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// The agenda, and the records that could not be read.
pub fn agenda(store: &Store, week: bool) -> Result<(Vec<Entry>, Vec<anyhow::Error>)> {
    let today = clock::today();
    let horizon = if week {
        today.checked_add(7.days()).unwrap_or(today)
    } else {
        today
    };
    let now = clock::now();
    let mut out = Vec::new();
    let bad = store.scan(Want::ROWS, |s| {
        out.extend(classify(&s.row, &store.process, today, horizon, now));
    })?;
    order(&mut out);
    Ok((out, bad))
}

/// `salesproc today`: prints the agenda.
pub fn run(ctx: &Ctx, week: bool) -> Result<Exit> {
    let store = ctx.store()?;
    let (entries, bad) = agenda(&store, week)?;
    let text = match ctx.out.format_or(Format::Table) {
        Format::Table => render(&store, &entries, ctx.out.color),
        _ => output::render_rows(&ctx.out, &entries, Format::Table)?,
    };
    ctx.out.emit(Format::Table, &text)?;
    if entries.is_empty() && ctx.out.format_or(Format::Table) == Format::Table {
        output::status(if week {
            "nothing due this week"
        } else {
            "nothing due today"
        });
    } else if ctx.out.format_or(Format::Table) == Format::Table {
        output::status("hint: `salesproc next` walks them in this order");
    }
    super::report_unreadable(bad)
}

/// When, as a rep says it: `3 days overdue`, `today`, `in 2 days`, `stale 40 days`.
pub fn when(e: &Entry) -> String {
    let d = e.days;
    match e.why {
        Why::Stale => format!("stale {d} days"),
        Why::Revisit if d < 0 => format!("revisit, {} days ago", -d),
        Why::Revisit => "revisit today".into(),
        _ if d < -1 => format!("{} days overdue", -d),
        _ if d == -1 => "1 day overdue".into(),
        _ if d == 0 => "today".into(),
        _ if d == 1 => "tomorrow".into(),
        _ => format!("in {d} days"),
    }
}

fn render(store: &Store, entries: &[Entry], color: bool) -> String {
    if entries.is_empty() {
        return String::new();
    }
    let mut t = Table::new(
        &["when", "id", "name", "step", "next step"],
        color,
        table::terminal_width(),
    )
    .flexible(2)
    .flexible(4);
    for e in entries {
        let tint = match e.why {
            Why::Overdue => Some(AnsiColor::Red),
            Why::Due => Some(AnsiColor::Yellow),
            _ => None,
        };
        t.row(vec![
            table::Cell::colored(when(e), tint),
            e.id.as_str().into(),
            e.name.as_str().into(),
            title(store, &e.step).into(),
            e.action.clone().unwrap_or_default().into(),
        ]);
    }
    t.render()
}

fn title(store: &Store, step: &str) -> String {
    store
        .process
        .step(step)
        .map(|s| s.checklist.title.clone())
        .unwrap_or_else(|| step.to_string())
}

/// `salesproc next` with no prospect: asks before each agenda entry, then walks it.
pub fn walk(ctx: &Ctx) -> Result<Exit> {
    let store = ctx.store()?;
    if !prompt::can_prompt(ctx.no_input) {
        output::status("no prospect given: today's agenda follows; `salesproc next ID` walks one");
        return run(ctx, false);
    }
    let (entries, bad) = agenda(&store, false)?;
    for e in &bad {
        output::warn(&format!("skipped {e:#}"));
    }
    if entries.is_empty() {
        output::status("nothing due today\nhint: `salesproc today --week` shows the week ahead");
        return Ok(Exit::Success);
    }
    let total = entries.len();
    for (n, e) in entries.iter().enumerate() {
        let action = e
            .action
            .as_deref()
            .map(|a| format!(", {a}"))
            .unwrap_or_default();
        let name = output::escape_controls(&e.name, false);
        let question = format!(
            "Next ({}/{total}): {name}, {}{action} ({}). Walk it?",
            n + 1,
            title(&store, &e.step),
            when(e)
        );
        match prompt::select_or_skip(&question, &["yes", "skip", "quit"], 0, false)? {
            Got::Value(0) => {
                super::next::walk_one(&store, &ctx.out, &e.id)?;
            }
            Got::Value(2) => return Ok(Exit::Success),
            _ => continue,
        }
    }
    output::status("that was today's agenda");
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::Process;

    fn row(id: &str, status: Status, date: Option<&str>, last: &str) -> summary::Row {
        summary::Row {
            id: id.into(),
            name: id.into(),
            owner: None,
            contact: None,
            stage: "qualify".into(),
            status,
            follow_up_date: date.map(Into::into),
            follow_up_action: Some(format!("call {id}").into()),
            value: None,
            close_date: None,
            answered: 0,
            total: 1,
            created: None,
            last_activity: last.parse().ok(),
            has_history: true,
        }
    }

    #[test]
    fn the_agenda_is_overdue_due_stale_then_revisits() {
        let p = Process::builtin();
        let today: jiff::civil::Date = "2026-11-27".parse().unwrap();
        let now: jiff::Timestamp = "2026-11-27T10:00:00Z".parse().unwrap();
        let fresh = "2026-11-26T10:00:00Z";
        let rows = [
            row("later-one", Status::Nurturing, Some("2026-11-01"), fresh),
            row("due-today", Status::Open, Some("2026-11-27"), fresh),
            row("old", Status::Open, Some("2026-11-20"), fresh),
            row("older", Status::Open, Some("2026-11-10"), fresh),
            row("stale", Status::Open, None, "2026-09-01T10:00:00Z"),
            row("next-week", Status::Open, Some("2026-12-02"), fresh),
            row("won", Status::Won, Some("2026-11-01"), fresh),
        ];
        let mut day: Vec<Entry> = rows
            .iter()
            .filter_map(|r| classify(r, &p, today, today, now))
            .collect();
        order(&mut day);
        let ids: Vec<&str> = day.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["older", "old", "due-today", "stale", "later-one"]);
        assert_eq!(when(&day[0]), "17 days overdue");
        assert_eq!(when(&day[2]), "today");
        let week = today.checked_add(7.days()).unwrap();
        let upcoming = classify(&rows[5], &p, today, week, now).unwrap();
        assert_eq!(
            (upcoming.why, when(&upcoming)),
            (Why::Upcoming, "in 5 days".into())
        );
    }
}
