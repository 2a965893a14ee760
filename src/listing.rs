//! What `list`'s table shows of a record: its cells, made once when the
//! record is summarized for the index and kept there, so that a warm
//! `list` copies them instead of decoding the row and formatting it again.
//! The one thing that depends on the day, the follow-up's colour when it
//! is due, is decided when the table is made.

use crate::process::Process;
use crate::summary::Row;
use crate::table::{Cells, Frozen};
use crate::{clock, table};
use anstyle::AnsiColor;
use anyhow::{Context, Result, bail};
use jiff::Timestamp;

/// The table's columns.
pub const HEADERS: [&str; 11] = [
    "id",
    "name",
    "owner",
    "phase",
    "step",
    "progress",
    "status",
    "value",
    "close date",
    "follow-up",
    "last activity",
];
/// The columns shown only when some record has a value or a close date.
pub const MONEY: [usize; 2] = [7, 8];
/// The name's column.
pub const NAME: usize = 1;
/// The follow-up's column.
pub const FOLLOW_UP: usize = 9;

/// A record's cells, one for each of [`HEADERS`], the follow-up coloured
/// when `due`.
pub fn fill(r: &Row, p: &Process, due: bool, cells: &mut Cells) {
    let status = match r.status {
        crate::prospect::Status::Won => Some(AnsiColor::Green),
        crate::prospect::Status::Lost => Some(AnsiColor::Red),
        _ => None,
    };
    cells.cell(&r.id);
    cells.cell(&r.name);
    cells.cell(r.owner.as_deref().unwrap_or_default());
    cells.cell(p.step(&r.stage).map(|s| s.phase.as_str()).unwrap_or(""));
    cells.cell(&r.stage);
    cells.format(format_args!("{}/{}", r.answered, r.total));
    cells.colored(r.status.name(), status);
    match r.value {
        // As `amount` writes it.
        Some(x) => cells.format(format_args!("{x}")),
        None => cells.cell(""),
    }
    cells.cell(r.close_date.as_deref().unwrap_or_default());
    cells.colored(
        r.follow_up_date.as_deref().unwrap_or_default(),
        due.then_some(AnsiColor::Yellow),
    );
    match r.last_activity {
        Some(a) => cells.format(format_args!("{}", clock::date_of(a))),
        None => cells.cell(""),
    }
}

/// A record's line of the table as the index keeps it: its cells (the
/// follow-up never coloured) and what sorting and colouring it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub cells: Frozen,
    pub last_activity: Option<Timestamp>,
    /// True when the record has a value or a close date.
    pub money: bool,
    /// True when the record is neither won nor lost.
    pub open: bool,
    /// True when the record has a follow-up date (maybe an empty one).
    pub follow_up: bool,
    /// Each cell's width, as [`Frozen::cells`] gives it.
    pub widths: [u32; HEADERS.len()],
}

const MONEY_BIT: u8 = 1;
const OPEN_BIT: u8 = 2;
const FOLLOW_UP_BIT: u8 = 4;
const ACTIVITY_BIT: u8 = 8;

impl Listed {
    /// The line of a record's row.
    pub fn of(r: &Row, p: &Process) -> Listed {
        let cells = CELLS.with_borrow_mut(|cells| {
            cells.clear();
            fill(r, p, false, cells);
            cells.freeze()
        });
        let mut widths = [0; HEADERS.len()];
        for (x, c) in widths.iter_mut().zip(cells.cells()) {
            *x = u32::try_from(c.1).unwrap_or(u32::MAX);
        }
        Listed {
            cells,
            widths,
            last_activity: r.last_activity,
            money: r.value.is_some() || r.close_date.is_some(),
            open: !r.status.is_closed(),
            follow_up: r.follow_up_date.is_some(),
        }
    }

    /// True when the follow-up is due by `today`, as
    /// [`crate::history::is_due`] says of the record.
    pub fn due(&self, today: &str) -> bool {
        self.open && self.follow_up && self.cells.text(FOLLOW_UP) <= today
    }

    /// Writes the line as the index keeps it: a byte of flags, the last
    /// activity (nanoseconds, 16 bytes) when there is one, then the cells.
    pub fn put(&self, out: &mut Vec<u8>) {
        let flags = [
            (self.money, MONEY_BIT),
            (self.open, OPEN_BIT),
            (self.follow_up, FOLLOW_UP_BIT),
            (self.last_activity.is_some(), ACTIVITY_BIT),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0, |f, (_, bit)| f | bit);
        out.push(flags);
        if let Some(t) = self.last_activity {
            out.extend_from_slice(&t.as_nanosecond().to_le_bytes());
        }
        out.extend_from_slice(self.cells.as_str().as_bytes());
    }

    /// Reads a line [`Listed::put`] wrote.
    pub fn get(b: &[u8]) -> Result<Listed> {
        let (&flags, mut rest) = b.split_first().context("an empty line")?;
        if flags & !(MONEY_BIT | OPEN_BIT | FOLLOW_UP_BIT | ACTIVITY_BIT) != 0 {
            bail!("a line with unknown flags");
        }
        let last_activity = if flags & ACTIVITY_BIT != 0 {
            let (t, after) = rest.split_first_chunk::<16>().context("a short line")?;
            rest = after;
            Some(Timestamp::from_nanosecond(i128::from_le_bytes(*t))?)
        } else {
            None
        };
        let text = std::str::from_utf8(rest)?;
        let mut widths = [0; HEADERS.len()];
        let cells = Frozen::from_text_widths(text, &mut widths)
            .context("a line whose cells do not read")?;
        if cells.len() != HEADERS.len() {
            bail!("a line of {} cells", cells.len());
        }
        Ok(Listed {
            cells,
            widths,
            last_activity,
            money: flags & MONEY_BIT != 0,
            open: flags & OPEN_BIT != 0,
            follow_up: flags & FOLLOW_UP_BIT != 0,
        })
    }
}

thread_local! {
    /// The cells of the line being made, reused for the next.
    static CELLS: std::cell::RefCell<table::Cells> = Default::default();
}
