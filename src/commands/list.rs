//! `salesproc list [--stage S] [--phase P] [--status S] [--owner O] [--stale] [--due]`

use super::{Ctx, Exit, UsageError};
use crate::cli::{Format, ListArgs, SortKey, StatusArg};
use crate::listing::{self, HEADERS, Listed, MONEY};
use crate::output::{self, Tabular};
use crate::process::Process;
use crate::prospect::Status;
use crate::store::Want;
use crate::table;
use crate::{clock, history, summary};
use anstyle::AnsiColor;
use anyhow::Result;
use serde::Serialize;

/// One row of `list`; its JSON shape is documented in the README.
#[derive(Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub owner: Option<String>,
    pub phase: String,
    pub stage: String,
    pub status: Status,
    pub progress: String,
    #[serde(serialize_with = "amount_json")]
    pub value: Option<f64>,
    pub close_date: Option<String>,
    pub follow_up: Option<String>,
    pub follow_up_action: Option<String>,
    pub last_activity: Option<String>,
}

impl Row {
    /// The row for one record's summary.
    pub fn new(r: &summary::Row, p: &Process) -> Row {
        Row {
            id: r.id.to_string(),
            name: r.name.to_string(),
            owner: r.owner.as_deref().map(String::from),
            phase: p
                .step(&r.stage)
                .map(|s| s.phase.clone())
                .unwrap_or_default(),
            stage: r.stage.to_string(),
            status: r.status,
            progress: format!("{}/{}", r.answered, r.total),
            value: r.value,
            close_date: r.close_date.as_deref().map(String::from),
            follow_up: r.follow_up_date.as_deref().map(String::from),
            follow_up_action: r.follow_up_action.as_deref().map(String::from),
            last_activity: r.last_activity.map(clock::stamp),
        }
    }
}

impl Tabular for Row {
    fn headers() -> Vec<&'static str> {
        vec![
            "id",
            "name",
            "owner",
            "phase",
            "stage",
            "status",
            "progress",
            "value",
            "close_date",
            "follow_up",
            "follow_up_action",
            "last_activity",
        ]
    }
    fn row(&self) -> Vec<String> {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            self.id.clone(),
            self.name.clone(),
            o(&self.owner),
            self.phase.clone(),
            self.stage.clone(),
            self.status.name().into(),
            self.progress.clone(),
            self.value.map(amount).unwrap_or_default(),
            o(&self.close_date),
            o(&self.follow_up),
            o(&self.follow_up_action),
            o(&self.last_activity),
        ]
    }
    fn id(&self) -> String {
        self.id.clone()
    }
}

/// An amount as a person reads it: `48000`, `48000.5`.
pub fn amount(x: f64) -> String {
    x.to_string()
}

/// An amount as JSON: whole amounts as integers (`48000`, not `48000.0`).
pub fn amount_value(x: f64) -> serde_json::Value {
    match crate::import::amount::amount_number(x) {
        Some(n) => serde_json::Value::Number(n),
        None => serde_json::Value::Null,
    }
}

fn amount_json<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) => amount_value(*x).serialize(s),
        None => s.serialize_none(),
    }
}

/// Every column `--columns` can name, in the default order.
pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "owner",
    "contact",
    "phase",
    "stage",
    "status",
    "progress",
    "value",
    "close_date",
    "follow_up",
    "follow_up_action",
    "created",
    "last_activity",
];

/// One column of a summary row, as text.
fn cell(r: &summary::Row, p: &Process, col: &str) -> String {
    let o = |v: &Option<summary::Text>| v.as_deref().unwrap_or_default().to_string();
    match col {
        "id" => r.id.to_string(),
        "name" => r.name.to_string(),
        "owner" => o(&r.owner),
        "contact" => o(&r.contact),
        "phase" => p
            .step(&r.stage)
            .map(|s| s.phase.clone())
            .unwrap_or_default(),
        "stage" | "step" => r.stage.to_string(),
        "status" => r.status.name().into(),
        "progress" => format!("{}/{}", r.answered, r.total),
        "value" => r.value.map(amount).unwrap_or_default(),
        "close_date" => o(&r.close_date),
        "follow_up" => o(&r.follow_up_date),
        "follow_up_action" => o(&r.follow_up_action),
        "created" => r.created.map(clock::stamp).unwrap_or_default(),
        "last_activity" => r.last_activity.map(clock::stamp).unwrap_or_default(),
        _ => String::new(),
    }
}

/// Checks `--columns` names (`close-date` is read as `close_date`).
fn columns(asked: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for c in asked {
        let c = c.trim().to_lowercase().replace('-', "_");
        let c = if c == "step" { "stage".to_string() } else { c };
        if !COLUMNS.contains(&c.as_str()) {
            return Err(UsageError(format!(
                "unknown column \"{c}\"\nhint: columns are {}",
                COLUMNS.join(", ")
            ))
            .into());
        }
        out.push(c);
    }
    Ok(out)
}

/// One row's chosen columns as a JSON object.
fn chosen_doc(
    r: &summary::Row,
    p: &Process,
    cols: &[String],
) -> serde_json::Map<String, serde_json::Value> {
    cols.iter()
        .map(|c| {
            let v = match c.as_str() {
                "value" => r.value.map(amount_value).unwrap_or(serde_json::Value::Null),
                "status" => r.status.name().into(),
                _ => {
                    let t = cell(r, p, c);
                    if t.is_empty()
                        && !matches!(c.as_str(), "id" | "name" | "stage" | "phase" | "progress")
                    {
                        serde_json::Value::Null
                    } else {
                        t.into()
                    }
                }
            };
            (c.clone(), v)
        })
        .collect()
}

/// The chosen columns in any format, written as they are made.
fn chosen(ctx: &Ctx, rows: &[summary::Row], p: &Process, cols: &[String]) -> Result<()> {
    let cells = |r: &summary::Row| cols.iter().map(|c| cell(r, p, c)).collect::<Vec<_>>();
    let format = ctx.out.format_or(Format::Table);
    let docs = || rows.iter().map(|r| chosen_doc(r, p, cols));
    output::print_with(|w| match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, &output::Seq(docs))
                .map_err(std::io::Error::from)?;
            w.write_all(b"\n")
        }
        Format::Yaml if rows.is_empty() => w.write_all(b"[]\n"),
        Format::Yaml => crate::yaml::to_writer(w, &output::Seq(docs)),
        Format::Csv | Format::Tsv => {
            let sep = if format == Format::Csv { b',' } else { b'\t' };
            output::csv_write(w, cols, rows.iter().map(cells), sep).map_err(output::as_io)
        }
        Format::Ids => {
            for r in rows {
                writeln!(w, "{}", r.id)?;
            }
            Ok(())
        }
        Format::Markdown => {
            let h: Vec<&str> = cols.iter().map(String::as_str).collect();
            output::markdown_write(w, &h, rows.iter().map(cells), ctx.out.color)
        }
        Format::Table => {
            if rows.is_empty() {
                return Ok(());
            }
            let h: Vec<String> = cols.iter().map(|c| c.replace('_', " ")).collect();
            let h: Vec<&str> = h.iter().map(String::as_str).collect();
            let flexible: Vec<usize> = cols.iter().position(|c| c == "name").into_iter().collect();
            table::stream(
                w,
                &h,
                ctx.out.color,
                table::terminal_width(),
                &flexible,
                || {
                    rows.iter().map(|r| {
                        cells(r)
                            .into_iter()
                            .map(table::Cell::from)
                            .collect::<Vec<_>>()
                    })
                },
            )
        }
    })
}

/// Lists records, most recently active first.
pub fn run(ctx: &Ctx, args: ListArgs) -> Result<Exit> {
    let store = ctx.store()?;
    let p = &store.process;
    let cols = columns(&args.columns)?;
    if let Some(s) = &args.stage
        && p.step(s).is_none()
    {
        return Err(UsageError(format!("unknown step \"{s}\"\nhint: steps are {}", ids(p))).into());
    }
    if let Some(ph) = &args.phase
        && p.phase(ph).is_none()
    {
        let phases: Vec<&str> = p.phases.iter().map(|x| x.id.as_str()).collect();
        return Err(UsageError(format!(
            "unknown phase \"{ph}\"\nhint: phases are {}",
            phases.join(", ")
        ))
        .into());
    }
    let now = clock::now();
    let today = clock::today().to_string();
    let status = args.status.map(|s| match s {
        StatusArg::Open => Status::Open,
        StatusArg::Nurturing => Status::Nurturing,
        StatusArg::Won => Status::Won,
        StatusArg::Lost => Status::Lost,
    });
    // Any filter at all: only then is a record's row looked at (a filter
    // left out here would never pick anything out, not pick from blank rows).
    let filtered = args.stage.is_some()
        || args.phase.is_some()
        || args.status.is_some()
        || args.owner.is_some()
        || args.stale
        || args.due;
    let wanted = |r: &summary::Row| {
        !filtered
            || (args.stage.as_ref().is_none_or(|s| r.stage == s)
                && args
                    .phase
                    .as_ref()
                    .is_none_or(|ph| p.step(&r.stage).is_some_and(|st| &st.phase == ph))
                && status.is_none_or(|s| r.status == s)
                && args.owner.as_ref().is_none_or(|o| {
                    r.owner
                        .as_ref()
                        .is_some_and(|ro| ro.eq_ignore_ascii_case(o))
                })
                && (!args.stale
                    || r.last_activity
                        .is_some_and(|last| history::is_stale(r.status, &r.stage, last, p, now)))
                && (!args.due || history::is_due(r.status, r.follow_up_date.as_deref(), &today)))
    };
    let order = args.sort.unwrap_or(SortKey::Activity);
    if cols.is_empty() && ctx.out.format_or(Format::Table) == Format::Table {
        // The table's lines are made by the readers, as the records are
        // read, and only they are kept (not the records' rows).
        // Each column's widest cell is found as the lines come in.
        let mut widest = [0; HEADERS.len()];
        let lines = std::cell::RefCell::new(Vec::<Line>::new());
        // Where the index keeps each record's line, it is taken as kept:
        // the row is read only to pick records out.
        let want = Want {
            listed: true,
            row: filtered,
            ..Want::ROWS
        };
        let bad = store.scan_map(
            want,
            |s| {
                if !wanted(&s.row) {
                    return None;
                }
                Some(match s.listed {
                    Some(l) => Line::listed(l, &today, order),
                    None => Line::new(&s.row, p, &today, order),
                })
            },
            |n| lines.borrow_mut().reserve_exact(n),
            |line| {
                line.widen(&mut widest);
                lines.borrow_mut().push(line);
            },
        )?;
        let lines = lines.into_inner();
        let mut shown = sorted(&lines);
        if let Some(n) = args.limit
            && n < shown.len()
        {
            shown.truncate(n);
            widest = [0; HEADERS.len()];
            shown.iter().for_each(|&i| lines[i].widen(&mut widest));
        }
        if shown.is_empty() {
            output::status("no prospects match");
        } else {
            output::print_with(|w| table(w, ctx, &lines, &shown, &widest))?;
        }
        // The lines are left to the end of the process: freeing 100,000 of
        // them one by one takes longer than sorting them.
        std::mem::forget(lines);
        return super::report_unreadable(bad);
    }
    if cols.is_empty() && ctx.out.format_or(Format::Table) == Format::Ids {
        // Only each id and what it is sorted by are kept (at 100,000
        // records a whole row each is 30 MB made and freed for nothing).
        let mut keyed: Vec<(Order, summary::Text)> = Vec::new();
        // What the filters and the orders read of a row is in the lean row.
        let want = Want {
            lean: true,
            ..Want::ROWS
        };
        let bad = store.scan_into(want, &mut keyed, |mut s| {
            wanted(&s.row).then(|| (Order::of(&s.row, order), std::mem::take(&mut s.row.id)))
        })?;
        // Records come in id order, which breaks ties.
        let mut shown = sorted_by(&keyed, |k| &k.0);
        if let Some(n) = args.limit {
            shown.truncate(n);
        }
        output::print_with(|w| {
            for &i in &shown {
                w.write_all(keyed[i].1.as_bytes())?;
                w.write_all(b"\n")?;
            }
            Ok(())
        })?;
        return super::report_unreadable(bad);
    }
    // The rows wanted are picked out by the readers and kept as they come
    // (moved, not copied); the output rows are made only for the formats
    // that need them.
    let mut rows: Vec<summary::Row> = Vec::new();
    let bad = store.scan_into(Want::ROWS, &mut rows, |s| wanted(&s.row).then_some(s.row))?;
    sort(&mut rows, order);
    if let Some(n) = args.limit {
        rows.truncate(n);
    }
    let text = match ctx.out.format_or(Format::Table) {
        _ if !cols.is_empty() => {
            chosen(ctx, &rows, p, &cols)?;
            String::new()
        }
        Format::Ids => {
            output::print_with(|w| {
                for r in &rows {
                    writeln!(w, "{}", r.id)?;
                }
                Ok(())
            })?;
            String::new()
        }
        // Streamed: each output row is made as it is written.
        f => {
            output::print_rows(&ctx.out, f, || rows.iter().map(|r| Row::new(r, p)))?;
            String::new()
        }
    };
    if !text.is_empty() {
        ctx.out.emit(Format::Table, &text)?;
    }
    if rows.is_empty() && ctx.out.format_or(Format::Table) == Format::Table {
        output::status("no prospects match");
    }
    super::report_unreadable(bad)
}

/// `--sort`: activity (most recent first), follow-up (soonest first, none
/// last) or name; ties by id.
fn sort(rows: &mut [summary::Row], key: SortKey) {
    // Rows are large: sort their positions, then move each row once.
    let order: Vec<usize> = if key == SortKey::Activity {
        // Rows come in id order, so a row's position breaks a tie as its
        // id would; the times are sorted beside the positions (each row is
        // looked at once, not at every comparison).
        debug_assert!(rows.windows(2).all(|w| w[0].id < w[1].id));
        let mut keyed: Vec<(i128, usize)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let t = r.last_activity.map_or(i128::MAX, |t| -t.as_nanosecond());
                (t, i)
            })
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, i)| i).collect()
    } else {
        let lower: Vec<String> = match key {
            SortKey::Name => rows
                .iter()
                .map(|r| r.name.as_str().to_lowercase())
                .collect(),
            _ => Vec::new(),
        };
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&i, &j| {
            let (a, b) = (&rows[i], &rows[j]);
            if key == SortKey::Name {
                lower[i].cmp(&lower[j])
            } else {
                match (&a.follow_up_date, &b.follow_up_date) {
                    (Some(x), Some(y)) => x.cmp(y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                }
            }
            .then_with(|| a.id.cmp(&b.id))
        });
        order
    };
    permute(rows, order);
}

/// Puts `v[order[k]]` at position `k` for every `k`, one cycle at a time.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        if order[start] == usize::MAX {
            continue;
        }
        let mut at = start;
        loop {
            let next = order[at];
            order[at] = usize::MAX;
            if next == start {
                break;
            }
            v.swap(at, next);
            at = next;
        }
    }
}

fn ids(p: &Process) -> String {
    p.steps
        .iter()
        .map(|s| s.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The positions of `lines` in the order they are shown (lines come in id
/// order, and keep it between equals).
fn sorted(lines: &[Line]) -> Vec<usize> {
    sorted_by(lines, |l| &l.key)
}

/// The positions of `items` (in id order) sorted by `key`, equals kept in
/// id order.
fn sorted_by<T>(items: &[T], key: impl Fn(&T) -> &Order) -> Vec<usize> {
    // Most recent activity first, the usual order: each time that fits 64
    // bits is sorted as one number with its position (none last).
    let packed: Option<Vec<u128>> = items
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let key = match *key(l) {
                Order::Activity(i128::MAX) => u64::MAX,
                Order::Activity(t) => match i64::try_from(t) {
                    Ok(t) if t < i64::MAX => (t as u64) ^ (1 << 63),
                    _ => return None,
                },
                _ => return None,
            };
            Some(u128::from(key) << 64 | i as u128)
        })
        .collect();
    if let Some(mut packed) = packed {
        packed.sort_unstable();
        return packed.into_iter().map(|k| k as u64 as usize).collect();
    }
    let mut at: Vec<usize> = (0..items.len()).collect();
    at.sort_by(|&a, &b| key(&items[a]).cmp(key(&items[b])));
    at
}

/// The table of `lines` at positions `shown`.
fn table(
    w: &mut dyn std::io::Write,
    ctx: &Ctx,
    lines: &[Line],
    shown_at: &[usize],
    widest: &[usize; HEADERS.len()],
) -> std::io::Result<()> {
    // Value and close date only when some record has one, so a pipeline
    // that does not track them keeps its narrow table.
    let money = shown_at.iter().any(|&i| lines[i].money);
    let shown = |col: usize| money || !MONEY.contains(&col);
    let headers: Vec<&str> = HEADERS
        .iter()
        .enumerate()
        .filter(|(col, _)| shown(*col))
        .map(|(_, h)| *h)
        .collect();
    let widths: Vec<usize> = (0..HEADERS.len())
        .filter(|col| shown(*col))
        .map(|col| widest[col])
        .collect();
    table::stream_frozen(
        w,
        &headers,
        ctx.out.color,
        table::terminal_width(),
        &[1, 2],
        shown_at.len(),
        &widths,
        |k| &lines[shown_at[k]].cells,
        shown,
    )
}

/// One line of `list`'s table: its cells, made by the reader that read the
/// record, and what it is sorted by.
struct Line {
    key: Order,
    cells: table::Frozen,
    /// Each cell's width (see [`Listed::widths`]).
    widths: [u32; HEADERS.len()],
    /// True when the record has a value or a close date.
    money: bool,
}

/// What a line is sorted by (see [`sort`]): every line of a table has the same kind.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Order {
    /// Most recent activity first (minus its time; none last).
    Activity(i128),
    /// Soonest follow-up first (`true` for none, last).
    FollowUp(bool, summary::Text),
    /// The lowercased name.
    Name(String),
}

impl Order {
    /// What a record's row is sorted by, as its line would be.
    fn of(r: &summary::Row, key: SortKey) -> Order {
        match key {
            SortKey::Activity => {
                Order::Activity(r.last_activity.map_or(i128::MAX, |t| -t.as_nanosecond()))
            }
            SortKey::FollowUp => Order::FollowUp(
                r.follow_up_date.is_none(),
                r.follow_up_date.clone().unwrap_or_default(),
            ),
            SortKey::Name => Order::Name(r.name.as_str().to_lowercase()),
        }
    }
}

impl Line {
    /// The line of a record's row: the line the index would keep of it.
    fn new(r: &summary::Row, p: &Process, today: &str, order: SortKey) -> Line {
        Line::listed(Listed::of(r, p), today, order)
    }

    /// The line of a record as the index keeps it, its follow-up coloured
    /// when due by `today`.
    fn listed(l: Listed, today: &str, order: SortKey) -> Line {
        let key = match order {
            SortKey::Activity => {
                Order::Activity(l.last_activity.map_or(i128::MAX, |t| -t.as_nanosecond()))
            }
            SortKey::FollowUp => {
                Order::FollowUp(!l.follow_up, l.cells.text(listing::FOLLOW_UP).into())
            }
            SortKey::Name => Order::Name(l.cells.text(listing::NAME).to_lowercase()),
        };
        let cells = match l.due(today) {
            true => l
                .cells
                .with_color(listing::FOLLOW_UP, Some(AnsiColor::Yellow)),
            false => l.cells,
        };
        Line {
            key,
            cells,
            widths: l.widths,
            money: l.money,
        }
    }
}

impl Line {
    /// Widens `w` to fit this line's cells.
    fn widen(&self, w: &mut [usize; HEADERS.len()]) {
        for (x, c) in w.iter_mut().zip(self.widths) {
            *x = (*x).max(c as usize);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{HEADERS, Line, MONEY, Order, permute, sort, sorted, sorted_by};
    use crate::cli::SortKey;
    use crate::listing::{Listed, fill};
    use crate::process::Process;
    use crate::prospect::Status;
    use crate::summary::Row;
    use crate::table::Cells;

    /// A line made by a reader shows, at every column kept, the cells
    /// `fill` makes of the record (names with wide, combining and control
    /// characters, values, dates before year 0 and after 9999, empty and
    /// missing fields), as wide as `measure` says; lines sort as `sort`
    /// sorts the records' rows.
    #[test]
    fn lines_show_and_sort_as_the_rows_do() {
        let p = Process::builtin();
        let texts = [
            "acme",
            "",
            "Zürich AG",
            "日本の会社",
            "e\u{301}cole",
            "tab\there",
            "new\nline",
            "\u{1b}[31mred",
            "\u{202e}rtl",
            "a-very-long-identifier-beyond-24-bytes",
        ];
        let times = [
            "2026-05-24T16:43:09Z".parse().unwrap(),
            jiff::Timestamp::MIN,
            jiff::Timestamp::MAX,
        ];
        let mut rows = Vec::new();
        for (k, t) in texts.iter().enumerate() {
            let at = Some(times[k % times.len()]);
            rows.push(Row {
                id: (*t).into(),
                name: texts[(k + 3) % texts.len()].into(),
                owner: (k % 2 == 0).then(|| texts[(k + 5) % texts.len()].into()),
                contact: None,
                stage: ["research", "agree", "no-such-step", t][k % 4].into(),
                status: [Status::Open, Status::Won, Status::Lost, Status::Nurturing][k % 4],
                follow_up_date: (k % 3 == 0).then(|| (*t).into()),
                follow_up_action: None,
                value: [
                    None,
                    Some(12000.0),
                    Some(0.5),
                    Some(1e21),
                    Some(123456789.25),
                ][k % 5],
                close_date: (k % 4 == 1).then(|| (*t).into()),
                answered: (k * 7) as u32,
                total: 1000 + k as u32,
                created: None,
                last_activity: (k % 5 != 2).then_some(at).flatten(),
                has_history: true,
            });
        }
        // In id order, as a scan hands them out.
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        rows.dedup_by(|a, b| a.id == b.id);
        let today = "2026-06-01";
        for (k, r) in rows.iter().enumerate() {
            let line = Line::new(r, &p, today, SortKey::Activity);
            assert_eq!(line.money, r.value.is_some() || r.close_date.is_some());
            let mut made = crate::table::Cells::default();
            let due = crate::history::is_due(r.status, r.follow_up_date.as_deref(), today);
            fill(r, &p, due, &mut made);
            let mut w = vec![0; HEADERS.len()];
            crate::table::measure(&made, &mut w);
            let widths: Vec<usize> = line.cells.cells().map(|c| c.1).collect();
            assert_eq!(widths, w, "row {k}: {r:?}");
            for keep in [|_: usize| true, |c: usize| !MONEY.contains(&c)] {
                let mut thawed = Cells::default();
                thawed.thaw(&line.cells, keep);
                let want: Vec<_> = made
                    .iter()
                    .enumerate()
                    .filter(|(col, _)| keep(*col))
                    .map(|(_, c)| c)
                    .collect();
                assert_eq!(thawed.iter().collect::<Vec<_>>(), want, "row {k}");
            }
        }
        // The line the index keeps of each record (written, read back, and
        // coloured for the day) is the line made of its row, in every order,
        // with every kind of follow-up date and status.
        let statuses = [Status::Open, Status::Won, Status::Lost, Status::Nurturing];
        let dates = [
            None,
            Some(""),
            Some("2026-05-31"),
            Some(today),
            Some("2026-06-02"),
        ];
        for (k, r) in rows.iter().enumerate() {
            for (d, date) in dates.iter().enumerate() {
                let r = Row {
                    follow_up_date: date.map(Into::into),
                    status: statuses[(k + d) % 4],
                    ..r.clone()
                };
                let mut kept = Vec::new();
                Listed::of(&r, &p).put(&mut kept);
                for order in [SortKey::Activity, SortKey::FollowUp, SortKey::Name] {
                    let made = Line::new(&r, &p, today, order);
                    let read = Line::listed(Listed::get(&kept).unwrap(), today, order);
                    assert_eq!(read.cells, made.cells, "row {k}, date {date:?}: {r:?}");
                    assert!(read.key == made.key && read.money == made.money, "row {k}");
                }
            }
        }
        // Times beyond 64 bits of nanoseconds, and (the usual order's quick
        // way) times within them, with ties and a record without any.
        let usual: Vec<Row> = rows
            .iter()
            .enumerate()
            .map(|(k, r)| Row {
                last_activity: r.last_activity.map(|_| {
                    let at: jiff::Timestamp = "1969-12-31T23:59:59.5Z".parse().unwrap();
                    at + jiff::SignedDuration::from_secs(k as i64 % 3 * 86_400 * 365 * 60)
                }),
                ..r.clone()
            })
            .collect();
        assert!(usual.iter().any(|r| r.last_activity.is_none()));
        for rows in [&rows, &usual] {
            for order in [SortKey::Activity, SortKey::FollowUp, SortKey::Name] {
                let mut by_rows = rows.clone();
                sort(&mut by_rows, order);
                let lines: Vec<Line> = rows
                    .iter()
                    .map(|r| Line::new(r, &p, today, order))
                    .collect();
                let got: Vec<&str> = sorted(&lines)
                    .into_iter()
                    .map(|i| rows[i].id.as_str())
                    .collect();
                let want: Vec<&str> = by_rows.iter().map(|r| r.id.as_str()).collect();
                assert_eq!(got, want, "{order:?}");
                // `--format ids` keeps only each id and its key.
                let keyed: Vec<(Order, &str)> = rows
                    .iter()
                    .map(|r| (Order::of(r, order), r.id.as_str()))
                    .collect();
                let ids: Vec<&str> = sorted_by(&keyed, |k| &k.0)
                    .into_iter()
                    .map(|i| keyed[i].1)
                    .collect();
                assert_eq!(ids, want, "ids, {order:?}");
            }
        }
    }

    #[test]
    fn permute_moves_each_element_to_its_place() {
        for order in [
            vec![2, 0, 1],
            vec![0, 1, 2],
            vec![1, 0, 3, 2],
            vec![3, 2, 1, 0],
        ] {
            let mut v: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            let want: Vec<usize> = order.iter().map(|i| i * 10).collect();
            permute(&mut v, order);
            assert_eq!(v, want);
        }
    }
}
