//! A plain text table, light enough for 100,000 rows: cells are kept as
//! strings, column widths measured once, lines written one at a time. On a
//! terminal it fits the width by shortening the flexible columns (names,
//! free text) with `…`; ids, dates and statuses are never broken.

use anstyle::AnsiColor;
use std::borrow::Cow;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// One cell: its text (borrowed where it can be, so a streamed table of
/// 100,000 rows copies no text) and an optional colour.
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub text: Cow<'a, str>,
    pub color: Option<AnsiColor>,
}

impl From<String> for Cell<'_> {
    fn from(text: String) -> Self {
        Cell {
            text: Cow::Owned(text),
            color: None,
        }
    }
}

impl From<compact_str::CompactString> for Cell<'_> {
    fn from(text: compact_str::CompactString) -> Self {
        Cell::from(String::from(text))
    }
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(text: &'a str) -> Self {
        Cell {
            text: Cow::Borrowed(text),
            color: None,
        }
    }
}

impl<'a> Cell<'a> {
    /// A coloured cell (the colour shows only when colour is on).
    pub fn colored(text: impl Into<Cow<'a, str>>, color: Option<AnsiColor>) -> Self {
        Cell {
            text: text.into(),
            color,
        }
    }
}

/// A table of rows under upper-cased headers.
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<Cell<'static>>>,
    flexible: Vec<bool>,
    color: bool,
    width: Option<usize>,
}

/// True for text of printable ASCII only: its width is its length and it
/// needs no escaping.
fn plain(s: &str) -> bool {
    let mut words = s.as_bytes().chunks_exact(8);
    for w in &mut words {
        // Eight bytes at a time: nonzero exactly when a byte is below 0x20
        // or above 0x7e (the "has less" and "has more" tests of bit hacks).
        let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        let high = 0x8080_8080_8080_8080u64;
        let below = x.wrapping_sub(0x2020_2020_2020_2020) & !x;
        let above = x.wrapping_add(0x0101_0101_0101_0101) | x;
        if (below | above) & high != 0 {
            return false;
        }
    }
    words.remainder().iter().all(|b| (0x20..0x7f).contains(b))
}

/// The width of a cell's text as shown (as measured for its column).
pub fn cell_width(s: &str) -> usize {
    if plain(s) {
        s.len()
    } else {
        printable(s).width()
    }
}

/// A cell as it may reach a terminal: on one line, with control characters
/// made visible (the data formats keep the exact text).
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if plain(s) || !s.contains(|c: char| c.is_control() || ('\u{200e}'..='\u{2069}').contains(&c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let one_line = s.replace(['\n', '\r', '\t'], " ");
    std::borrow::Cow::Owned(crate::output::escape_controls(&one_line, false).into_owned())
}

impl Table {
    /// A table with these headers; `width` is the terminal's (None: no limit).
    pub fn new(headers: &[&str], color: bool, width: Option<usize>) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_uppercase()).collect(),
            rows: Vec::new(),
            flexible: vec![false; headers.len()],
            color,
            width,
        }
    }

    /// Marks a column as one that may be shortened to fit the width.
    pub fn flexible(mut self, col: usize) -> Table {
        if let Some(f) = self.flexible.get_mut(col) {
            *f = true;
        }
        self
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<Cell<'_>>) {
        self.rows.push(
            cells
                .into_iter()
                .map(|c| Cell {
                    text: Cow::Owned(c.text.into_owned()),
                    color: c.color,
                })
                .collect(),
        );
    }

    /// True when no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Writes the table; trailing blanks are trimmed from every line.
    pub fn write_to(&self, out: &mut impl Write) -> std::io::Result<()> {
        let headers: Vec<&str> = self.headers.iter().map(String::as_str).collect();
        let flexible: Vec<usize> = (0..self.flexible.len())
            .filter(|i| self.flexible[*i])
            .collect();
        stream(out, &headers, self.color, self.width, &flexible, || {
            self.rows.iter().map(|r| r.to_vec())
        })
    }

    /// The table as text.
    pub fn render(&self) -> String {
        let mut v = Vec::new();
        let _ = self.write_to(&mut v);
        String::from_utf8(v).unwrap_or_default()
    }
}

/// Writes a table whose rows are made twice by `rows` (once to measure the
/// columns, once to write them), so no row is kept: the memory is that of one
/// row, whatever the number of rows.
pub fn stream<'a, I: Iterator<Item = Vec<Cell<'a>>>>(
    out: &mut (impl Write + ?Sized),
    headers: &[&str],
    color: bool,
    width: Option<usize>,
    flexible: &[usize],
    rows: impl Fn() -> I,
) -> std::io::Result<()> {
    write_passes(out, headers, color, width, flexible, |each| {
        let mut cells = Cells::default();
        for r in rows() {
            cells.clear();
            for c in &r {
                cells.colored(&c.text, c.color);
            }
            each(&cells)?;
        }
        Ok(())
    })
}

/// Writes a table of `rows` rows kept frozen (see [`Cells::freeze`]), row
/// `i`'s cells being those of `row(i)` at the columns for which `shown`
/// holds, and `widths` (one for each column shown) their widest. As
/// [`stream`], with no row made twice: the lines are made on every core, a
/// chunk at a time, and written in order.
#[allow(clippy::too_many_arguments)]
pub fn stream_frozen<'r>(
    out: &mut (impl Write + ?Sized),
    headers: &[&str],
    color: bool,
    width: Option<usize>,
    flexible: &[usize],
    rows: usize,
    widths: &[usize],
    row: impl Fn(usize) -> &'r Frozen + Sync,
    shown: impl Fn(usize) -> bool + Sync,
) -> std::io::Result<()> {
    let threads = crate::parallel::threads();
    let chunks = crate::parallel::chunks_of(rows, threads, 512, TABLE_CHUNK);
    let mut w = header_widths(headers);
    for (x, y) in w.iter_mut().zip(widths) {
        *x = (*x).max(*y);
    }
    write_head(out, headers, &mut w, color, width, flexible)?;
    write_lines(out, &chunks, threads, &w, |r, text| {
        // A line that is not plain is made as text, then added.
        let mut other = String::new();
        // Rows shown in sorted order lie far apart in memory: a group's
        // rows are fetched together first, so that their cache misses
        // overlap instead of coming one after another.
        let mut at = r.start;
        while at < r.end {
            let end = (at + FETCH).min(r.end);
            let touched = (at..end).fold(0u8, |x, i| x ^ row(i).first_byte());
            std::hint::black_box(touched);
            for i in at..end {
                if row(i).plain_line(text, &w, color, &shown) {
                    continue;
                }
                let cells = row(i).cells().enumerate().filter(|(col, _)| shown(*col));
                let cells = cells.map(|(_, (text, _, is_plain, c))| (text, c, Some(is_plain)));
                other.clear();
                cells_line(&mut other, cells, &w, color, false);
                other.push('\n');
                text.extend_from_slice(other.as_bytes());
            }
            at = end;
        }
    })
}

/// Writes the lines `make` adds to a text for each chunk of rows, made on
/// every core and written in order, `w` being the columns' widths.
fn write_lines(
    out: &mut (impl Write + ?Sized),
    chunks: &[std::ops::Range<usize>],
    threads: usize,
    w: &[usize],
    make: impl Fn(std::ops::Range<usize>, &mut Vec<u8>) + Sync,
) -> std::io::Result<()> {
    // Once a write fails (a closed pipe), chunks not yet made are not made.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let mut result = Ok(());
    // The lines of 100,000 rows (18 MB) are made in a few buffers.
    let spare = crate::parallel::Spare::<Vec<u8>>::default();
    let line_width = w.iter().map(|x| x + 2).sum::<usize>();
    crate::parallel::in_order(
        chunks,
        threads,
        1,
        |r, _: &mut ()| {
            let mut text = spare.take();
            text.reserve(r.len() * line_width);
            if !stop.load(std::sync::atomic::Ordering::Relaxed) {
                make(r.clone(), &mut text);
            }
            text
        },
        |_, got| {
            let mut text = got.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if result.is_ok() {
                result = out.write_all(&text);
                if result.is_err() {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            text.clear();
            spare.give(text);
        },
    );
    result
}

/// Rows fetched from memory together when a table is written (see [`stream_frozen`]).
const FETCH: usize = 16;

/// Rows are measured and made into lines this many at a time, at most.
const TABLE_CHUNK: usize = 2048;

/// A row handed to [`write_passes`]' callback.
type Each<'e> = dyn FnMut(&Cells) -> std::io::Result<()> + 'e;

/// The widths of the upper-cased headers, the least width of each column.
fn header_widths(headers: &[&str]) -> Vec<usize> {
    headers.iter().map(|h| h.to_uppercase().width()).collect()
}

/// Widens the columns `w` to fit a row's cells.
pub fn measure(cells: &Cells, w: &mut [usize]) {
    for ((text, _, is_plain), x) in cells.iter().zip(w.iter_mut()) {
        let width = if is_plain == Some(true) {
            text.len()
        } else {
            cell_width(text)
        };
        *x = (*x).max(width);
    }
}

/// Fits the columns `w` to the terminal's `width` and writes the header line.
fn write_head(
    out: &mut (impl Write + ?Sized),
    headers: &[&str],
    w: &mut [usize],
    color: bool,
    width: Option<usize>,
    flexible: &[usize],
) -> std::io::Result<()> {
    fit_widths(w, width, flexible);
    let headers: Vec<String> = headers.iter().map(|h| h.to_uppercase()).collect();
    let head = headers.iter().map(|h| (h.as_str(), None, None));
    let mut line = String::new();
    cells_line(&mut line, head, w, color, true);
    writeln!(out, "{line}")
}

/// Writes a table whose rows `pass` hands, one at a time, to the callback it
/// is given: first to measure the columns, then to write them.
fn write_passes(
    out: &mut (impl Write + ?Sized),
    headers: &[&str],
    color: bool,
    width: Option<usize>,
    flexible: &[usize],
    pass: impl Fn(&mut Each) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut w = header_widths(headers);
    pass(&mut |cells| {
        measure(cells, &mut w);
        Ok(())
    })?;
    write_head(out, headers, &mut w, color, width, flexible)?;
    let mut line = String::new();
    pass(&mut |cells| {
        line.clear();
        cells_line(&mut line, cells.iter(), &w, color, false);
        line.push('\n');
        out.write_all(line.as_bytes())
    })
}

/// Padding for most cells, pushed at once rather than a space at a time.
const SPACES: &str = "                                                                ";

/// One line of cells, added to `line` without its newline: each `(text,
/// colour, plain)` padded to its column's width (`plain`, when known, says
/// the text is printable ASCII).
fn cells_line<'c>(
    line: &mut String,
    cells: impl Iterator<Item = (&'c str, Option<AnsiColor>, Option<bool>)>,
    w: &[usize],
    color: bool,
    header: bool,
) {
    use std::fmt::Write as _;
    let bold = anstyle::Style::new().bold();
    let start = line.len();
    let mut cells = cells.take(w.len()).enumerate().peekable();
    while let Some((i, (text, c, is_plain))) = cells.next() {
        let (text, width): (Cow<str>, usize) =
            if is_plain.unwrap_or_else(|| plain(text)) && text.len() <= w[i] {
                (Cow::Borrowed(text), text.len())
            } else {
                let shown = printable(text);
                let text = fit(&shown, w[i]).into_owned();
                let width = text.width();
                (Cow::Owned(text), width)
            };
        let pad = w[i].saturating_sub(width);
        line.push(' ');
        match (color, header, c) {
            (true, true, _) => {
                let _ = write!(line, "{bold}{text}{bold:#}");
            }
            (true, false, Some(col)) => {
                let s = col.on_default();
                let _ = write!(line, "{s}{text}{s:#}");
            }
            _ => line.push_str(&text),
        }
        if cells.peek().is_some() {
            match SPACES.get(..pad + 1) {
                Some(spaces) => line.push_str(spaces),
                None => line.extend(std::iter::repeat_n(' ', pad + 1)),
            }
        }
    }
    let end = start + line[start..].trim_end().len();
    line.truncate(end);
}

/// The widths of the columns fitted to a terminal `limit`: the widest
/// flexible column gives a column first, down to 8.
fn fit_widths(w: &mut [usize], limit: Option<usize>, flexible: &[usize]) {
    let Some(limit) = limit else {
        return;
    };
    let total = |w: &[usize]| w.iter().map(|x| x + 2).sum::<usize>();
    while total(w) > limit {
        let Some((i, _)) = w
            .iter()
            .enumerate()
            .filter(|(i, x)| flexible.contains(i) && **x > 8)
            .max_by_key(|(_, x)| **x)
        else {
            break;
        };
        w[i] -= 1;
    }
}

/// One row of a table: its cells made in place
/// in one buffer (no string per cell).
#[derive(Default)]
pub struct Cells {
    text: String,
    /// Each cell's span in `text`, whether it is printable ASCII, its colour.
    cells: Vec<(usize, usize, bool, Option<AnsiColor>)>,
}

impl Cells {
    /// Adds the next cell.
    pub fn cell(&mut self, text: &str) {
        self.colored(text, None);
    }

    /// Adds the next cell, coloured when colour is on.
    pub fn colored(&mut self, text: &str, color: Option<AnsiColor>) {
        self.text.push_str(text);
        self.close(color);
    }

    /// Adds the next cell, formatted in place.
    pub fn format(&mut self, args: std::fmt::Arguments) {
        use std::fmt::Write as _;
        let _ = self.text.write_fmt(args);
        self.close(None);
    }

    fn close(&mut self, color: Option<AnsiColor>) {
        let start = self.cells.last().map_or(0, |c| c.1);
        let is_plain = plain(&self.text[start..]);
        self.cells.push((start, self.text.len(), is_plain, color));
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
    }

    /// Each cell's text, colour and whether it is printable ASCII.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, Option<AnsiColor>, Option<bool>)> {
        self.cells
            .iter()
            .map(|&(start, end, is_plain, color)| (&self.text[start..end], color, Some(is_plain)))
    }

    /// The cells made so far, kept in one allocation of about their text's
    /// size: for rows made on many cores and kept until a sort has seen them
    /// all (at 100,000 rows, a fifth of the memory of the records' rows).
    pub fn freeze(&self) -> Frozen {
        let mut head = String::with_capacity(2 * self.cells.len());
        for &(start, end, is_plain, color) in &self.cells {
            let code = color.map_or(0, |c| c as usize + 1);
            number(&mut head, usize::from(is_plain) | code << 1);
            number(&mut head, end - start);
            if !is_plain {
                number(&mut head, cell_width(&self.text[start..end]));
            }
        }
        let mut b = String::with_capacity(4 + head.len() + self.text.len());
        number(&mut b, self.cells.len());
        number(&mut b, head.len());
        b.push_str(&head);
        b.push_str(&self.text);
        Frozen(b.into_boxed_str())
    }

    /// Adds the cells of `row` at the columns for which `keep` holds.
    #[cfg(test)]
    pub fn thaw(&mut self, row: &Frozen, keep: impl Fn(usize) -> bool) {
        for (col, (text, _, is_plain, color)) in row.cells().enumerate() {
            if keep(col) {
                self.text.push_str(text);
                let end = self.text.len();
                self.cells.push((end - text.len(), end, is_plain, color));
            }
        }
    }
}

/// A row's cells, made once (see [`Cells::freeze`]): their number and the
/// length of what follows it, then for each cell its kind (printable ASCII,
/// colour), length and (when not printable ASCII) width, then the text of
/// all of them. The numbers are written in ASCII (see [`number`]), so the
/// whole is text, and each cell's text a slice of it (no check of UTF-8 again).
#[derive(Debug, Clone, PartialEq)]
pub struct Frozen(Box<str>);

/// The colours a frozen cell may have, in `AnsiColor`'s order.
const COLORS: [AnsiColor; 16] = {
    use AnsiColor::*;
    [
        Black,
        Red,
        Green,
        Yellow,
        Blue,
        Magenta,
        Cyan,
        White,
        BrightBlack,
        BrightRed,
        BrightGreen,
        BrightYellow,
        BrightBlue,
        BrightMagenta,
        BrightCyan,
        BrightWhite,
    ]
};

/// Writes `n` six bits a byte, lowest first, as ASCII: `0x40` marks a byte
/// that more follow.
fn number(out: &mut String, mut n: usize) {
    while n >= 0x40 {
        out.push(char::from((n & 0x3f) as u8 | 0x40));
        n >>= 6;
    }
    out.push(char::from(n as u8));
}

/// The number at `*at` (see [`number`]), moving past it.
fn read_number(b: &[u8], at: &mut usize) -> usize {
    let mut n = 0usize;
    let mut shift = 0;
    while let Some(&byte) = b.get(*at) {
        *at += 1;
        n |= usize::from(byte & 0x3f) << shift;
        if byte & 0x40 == 0 {
            break;
        }
        shift += 6;
    }
    n
}

/// The number at `*at` as [`read_number`] reads it, if it is whole and
/// written as [`number`] writes it (ASCII, no needless last byte, within a
/// `usize`).
fn checked_number(b: &[u8], at: &mut usize) -> Option<usize> {
    let mut n = 0usize;
    let mut shift = 0;
    loop {
        let byte = *b.get(*at)?;
        if byte & 0x80 != 0 || shift + 6 > usize::BITS || (shift > 0 && byte == 0) {
            return None;
        }
        *at += 1;
        n |= usize::from(byte & 0x3f) << shift;
        if byte & 0x40 == 0 {
            return Some(n);
        }
        shift += 6;
    }
}

impl Frozen {
    /// The text the cells are kept in (see [`Frozen::from_text`]).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Cells kept as `text` by [`Frozen::as_str`]; `None` when it is not
    /// such a text: every number, span and colour is checked, and each
    /// cell's kind and width are what [`Cells::freeze`] would say of its
    /// text now (so cells kept by a build whose idea of width differed are
    /// refused, not shown misaligned).
    pub fn from_text(text: &str) -> Option<Frozen> {
        Frozen::from_text_widths(text, &mut [])
    }

    /// As [`Frozen::from_text`], putting each cell's width, as
    /// [`Frozen::cells`] gives it, into `widths` (as many as it holds): a
    /// line is measured as it is checked, not walked again to be measured.
    pub fn from_text_widths(text: &str, widths: &mut [u32]) -> Option<Frozen> {
        let b = text.as_bytes();
        let mut at = 0;
        let n = checked_number(b, &mut at)?;
        let head_len = checked_number(b, &mut at)?;
        let head_end = at.checked_add(head_len).filter(|e| *e <= b.len())?;
        let mut pos = head_end;
        // Most lines are printable ASCII throughout: then so is every cell.
        let all_plain = plain(text.get(head_end..)?);
        for k in 0..n {
            let kind = checked_number(b, &mut at)?;
            let len = checked_number(b, &mut at)?;
            let cell = text.get(pos..pos.checked_add(len)?)?;
            pos += len;
            let is_plain = kind & 1 == 1;
            if is_plain != (all_plain || plain(cell)) || kind >> 1 > COLORS.len() {
                return None;
            }
            let width = if is_plain {
                len
            } else {
                Some(checked_number(b, &mut at)?).filter(|w| *w == cell_width(cell))?
            };
            if let Some(x) = widths.get_mut(k) {
                *x = u32::try_from(width).unwrap_or(u32::MAX);
            }
        }
        (at == head_end && pos == b.len()).then(|| Frozen(text.into()))
    }

    /// How many cells there are.
    pub fn len(&self) -> usize {
        read_number(self.0.as_bytes(), &mut 0)
    }

    /// True when there is no cell.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text of cell `col` (empty past the last).
    pub fn text(&self, col: usize) -> &str {
        // As `cells` reads them, only the lengths of the cells before it
        // added up (the due check of every line of `list` asks for one).
        let b = self.0.as_bytes();
        let mut at = 0;
        let n = read_number(b, &mut at);
        let head_len = read_number(b, &mut at);
        let body = at + head_len;
        if col >= n {
            return "";
        }
        let mut pos = body;
        for _ in 0..col {
            let kind = read_number(b, &mut at);
            pos += read_number(b, &mut at);
            if kind & 1 == 0 {
                read_number(b, &mut at);
            }
        }
        read_number(b, &mut at);
        let len = read_number(b, &mut at);
        self.0.get(pos..pos + len).unwrap_or_default()
    }

    /// The cells with cell `col` in `color` (none: uncoloured).
    pub fn with_color(self, col: usize, color: Option<AnsiColor>) -> Frozen {
        if col >= self.len() {
            return self;
        }
        let mut b = self.0.into_boxed_bytes().into_vec();
        let mut at = 0;
        read_number(&b, &mut at);
        read_number(&b, &mut at);
        for _ in 0..col {
            let kind = read_number(&b, &mut at);
            read_number(&b, &mut at);
            if kind & 1 == 0 {
                read_number(&b, &mut at);
            }
        }
        // A kind is one byte: a colour's code is at most 16.
        if let Some(kind) = b.get_mut(at) {
            let code = color.map_or(0, |c| c as u8 + 1);
            *kind = (*kind & 1) | code << 1;
        }
        Frozen(String::from_utf8(b).unwrap_or_default().into_boxed_str())
    }

    /// Adds this row's line (with its newline) to `line` as [`cells_line`]
    /// makes it, when every cell shown is printable ASCII that fits its
    /// column's width in `w` and none is to be coloured; otherwise adds
    /// nothing and returns false. Most rows are such rows, and made this
    /// way they cost half as much.
    fn plain_line(
        &self,
        line: &mut Vec<u8>,
        w: &[usize],
        color: bool,
        shown: impl Fn(usize) -> bool,
    ) -> bool {
        // The cells are read here as [`Frozen::cells`] reads them, and the
        // line is made blank to its full width, each cell then copied to its
        // column's place (a third of the cost of pushing cells and padding).
        let b = self.0.as_bytes();
        let mut at = 0;
        let n = read_number(b, &mut at);
        let head_len = read_number(b, &mut at);
        let Some(text) = b.get(at + head_len..) else {
            return false;
        };
        let start = line.len();
        // Each column is a space, its width, and a space before the next.
        let full = (w.iter().sum::<usize>() + 2 * w.len()).saturating_sub(1);
        line.resize(start + full, b' ');
        let mut pos = 0;
        let mut k = 0;
        let mut place = start + 1;
        for col in 0..n {
            let kind = read_number(b, &mut at);
            let len = read_number(b, &mut at);
            let is_plain = kind & 1 == 1;
            if !is_plain {
                read_number(b, &mut at);
            }
            let from = pos;
            pos += len;
            if !shown(col) {
                continue;
            }
            let Some(&width) = w.get(k) else {
                break;
            };
            // Coloured: the colour code is not zero.
            if !is_plain || (color && kind >> 1 != 0) || len > width {
                line.truncate(start);
                return false;
            }
            let cell = text.get(from..pos).unwrap_or_default();
            if let Some(to) = line.get_mut(place..place + cell.len()) {
                to.copy_from_slice(cell);
            }
            place += width + 2;
            k += 1;
        }
        let end = line[start..]
            .iter()
            .rposition(|c| *c != b' ')
            .map_or(start, |last| start + last + 1);
        line.truncate(end);
        line.push(b'\n');
        true
    }

    /// The first byte, read to bring a row into the cache before it is used.
    fn first_byte(&self) -> u8 {
        self.0.as_bytes().first().copied().unwrap_or(0)
    }

    /// Each cell's text, width (as [`measure`] takes it), whether it is
    /// printable ASCII, and colour.
    pub fn cells(&self) -> impl Iterator<Item = (&str, usize, bool, Option<AnsiColor>)> {
        let b = self.0.as_bytes();
        let mut at = 0;
        let n = read_number(b, &mut at);
        let head_len = read_number(b, &mut at);
        // The head is ASCII: the text starts on a character's boundary, and
        // each cell ends on one.
        let text = self.0.get(at + head_len..).unwrap_or_default();
        let mut pos = 0;
        (0..n).map(move |_| {
            let kind = read_number(b, &mut at);
            let len = read_number(b, &mut at);
            let is_plain = kind & 1 == 1;
            let cell = text.get(pos..pos + len).unwrap_or_default();
            pos += len;
            let width = if is_plain {
                len
            } else {
                read_number(b, &mut at)
            };
            let color = match kind >> 1 {
                0 => None,
                c => COLORS.get(c - 1).copied(),
            };
            (cell, width, is_plain, color)
        })
    }
}

/// Shortens `s` to `width` columns with a final `…`.
fn fit(s: &str, width: usize) -> std::borrow::Cow<'_, str> {
    if s.width() <= width {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw + 1 > width {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    std::borrow::Cow::Owned(out)
}

/// The terminal's width when stdout is one.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let (_, cols) = console::Term::stdout().size_checked()?;
    Some(usize::from(cols))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `plain`, eight bytes at a time, says what a byte-by-byte look says,
        /// wherever a control, DEL or non-ASCII character falls.
        #[test]
        fn plain_agrees_with_the_byte_by_byte_look(s in "([ -~]{0,9}|[\\x00-\\x1f\\x7f]|\\PC){0,12}") {
            let slowly = s.bytes().all(|b| (0x20..0x7f).contains(&b));
            proptest::prop_assert_eq!(plain(&s), slowly);
        }
    }

    /// Cells kept frozen come back as they were made: text, kind and
    /// colour, and each one's width as `measure` takes it; `thaw` keeps only
    /// the columns asked for.
    #[test]
    fn frozen_cells_thaw_as_they_were_made() {
        use proptest::prelude::*;
        let cell = prop_oneof![
            "[ -~]{0,12}",
            "\\PC{0,12}",
            "[\\x00-\\x1f\\x7f]{0,4}",
            ".{60,200}",
            "[a-z]{5000,9000}",
        ];
        let row = proptest::collection::vec((cell, proptest::option::of(0..16usize)), 0..24);
        proptest!(|(row in row, skip in 0..30usize)| {
            let mut cells = Cells::default();
            for (text, color) in &row {
                cells.colored(text, color.map(|c| COLORS[c]));
            }
            let frozen = cells.freeze();
            let mut w = vec![0; row.len()];
            measure(&cells, &mut w);
            let got: Vec<_> = frozen.cells().collect();
            prop_assert_eq!(got.len(), row.len());
            for (k, ((text, width, is_plain, color), (made, made_color, made_plain))) in
                got.iter().zip(cells.iter()).enumerate()
            {
                prop_assert_eq!(*text, made);
                prop_assert_eq!(*color, made_color);
                prop_assert_eq!(Some(*is_plain), made_plain);
                prop_assert_eq!(*width, w[k]);
                prop_assert_eq!(*width, cell_width(text));
            }
            let mut thawed = Cells::default();
            thawed.thaw(&frozen, |col| col != skip);
            let want: Vec<_> = cells.iter().enumerate().filter(|(k, _)| *k != skip).map(|(_, c)| c).collect();
            prop_assert_eq!(thawed.iter().collect::<Vec<_>>(), want);
            // Kept as text and read back, it is the same; recoloured, only
            // the one cell's colour changes.
            prop_assert_eq!(Frozen::from_text(frozen.as_str()), Some(frozen.clone()));
            prop_assert_eq!(frozen.len(), row.len());
            prop_assert_eq!(frozen.text(skip), row.get(skip).map_or("", |c| c.0.as_str()));
            for color in [None, Some(AnsiColor::Yellow), Some(AnsiColor::BrightWhite)] {
                let recolored = frozen.clone().with_color(skip, color);
                let made: Vec<_> = cells.iter().enumerate()
                    .map(|(k, (t, c, p))| (t, if k == skip { color } else { c }, p))
                    .collect();
                let got: Vec<_> = recolored.cells().map(|(t, _, p, c)| (t, c, Some(p))).collect();
                prop_assert_eq!(got, made);
            }
            // Any cut of it, or a byte changed in its head, is refused or
            // reads as some other whole cells (never a panic).
            let text = frozen.as_str();
            let cut = skip * 7 % (text.len() + 1);
            if let Some(part) = text.get(..cut) {
                prop_assert!(cut == text.len() || Frozen::from_text(part).is_none() || frozen.is_empty());
            }
            let mut bytes = text.as_bytes().to_vec();
            if let Some(b) = bytes.get_mut(skip % 4) {
                *b = b.wrapping_add(1);
                if let Some(f) = std::str::from_utf8(&bytes).ok().and_then(Frozen::from_text) {
                    for (text, width, is_plain, _) in f.cells() {
                        prop_assert_eq!(is_plain, plain(text));
                        prop_assert_eq!(width, cell_width(text));
                    }
                    let recolored = f.clone().with_color(0, Some(AnsiColor::Red));
                    prop_assert_eq!(Frozen::from_text(recolored.as_str()), Some(recolored.clone()));
                }
            }
        });
        for (k, c) in COLORS.iter().enumerate() {
            assert_eq!(*c as usize, k);
        }
    }

    #[test]
    fn columns_line_up_and_trailing_blanks_go() {
        let mut t = Table::new(&["id", "name", "status"], false, None);
        t.row(vec!["acme".into(), "Acme Corp".into(), "open".into()]);
        t.row(vec!["b".into(), "B".into(), "won".into()]);
        assert_eq!(
            t.render(),
            " ID    NAME       STATUS\n acme  Acme Corp  open\n b     B          won\n"
        );
    }

    #[test]
    fn a_narrow_terminal_shortens_only_flexible_columns() {
        let long = "A very long company name that goes on and on";
        let mut t = Table::new(&["id", "name", "follow-up"], false, Some(40)).flexible(1);
        t.row(vec!["acme-corp".into(), long.into(), "2026-12-03".into()]);
        let out = t.render();
        for l in out.lines() {
            assert!(l.width() <= 40, "{l:?}");
        }
        assert!(
            out.contains("2026-12-03") && out.contains("acme-corp") && out.contains('…'),
            "{out}"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let mut t = Table::new(&["name"], false, None);
        t.row(vec!["Evil\u{1b}]0;pwned\u{7}Corp".into()]);
        let out = t.render();
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("Evil\\x1b]0;pwned\\x07Corp"), "{out}");
    }

    #[test]
    fn cells_made_in_place_give_the_same_table_as_cells_made_as_strings() {
        let rows: Vec<Vec<(&str, Option<AnsiColor>)>> = vec![
            vec![
                ("acme", None),
                ("Acme Corp", None),
                ("won", Some(AnsiColor::Green)),
            ],
            vec![
                ("b", None),
                ("Bö \u{1b}]0;x\u{7} wide 漢字 name", None),
                ("", None),
            ],
            vec![("c", None), ("", None), ("lost", Some(AnsiColor::Red))],
        ];
        for (color, width) in [
            (false, None),
            (true, None),
            (false, Some(20)),
            (true, Some(14)),
        ] {
            let mut made = Vec::new();
            stream(
                &mut made,
                &["id", "name", "status"],
                color,
                width,
                &[1],
                || {
                    rows.iter()
                        .map(|r| r.iter().map(|&(t, c)| Cell::colored(t, c)).collect())
                },
            )
            .unwrap();
            let frozen: Vec<Frozen> = rows
                .iter()
                .map(|r| {
                    let mut cells = Cells::default();
                    for &(t, c) in r {
                        if t.is_empty() {
                            cells.format(format_args!("{t}"));
                        } else {
                            cells.colored(t, c);
                        }
                    }
                    cells.freeze()
                })
                .collect();
            let mut in_place = Vec::new();
            stream_frozen(
                &mut in_place,
                &["id", "name", "status"],
                color,
                width,
                &[1],
                rows.len(),
                &widest(&frozen),
                |i| &frozen[i],
                |_| true,
            )
            .unwrap();
            let made = String::from_utf8(made).unwrap();
            assert_eq!(made, String::from_utf8(in_place).unwrap());
            assert!(!made.contains('\u{7}'), "{made:?}");
            if !color && width.is_none() {
                assert_eq!(
                    made,
                    " ID    NAME                            STATUS\n acme  Acme Corp                       won\n b     Bö \\x1b]0;x\\x07 wide 漢字 name\n c                                     lost\n"
                );
            }
        }
    }

    /// The widest cell of each column of `rows`.
    fn widest(rows: &[Frozen]) -> Vec<usize> {
        let mut w = Vec::new();
        for r in rows {
            for (col, (_, width, _, _)) in r.cells().enumerate() {
                if w.len() <= col {
                    w.push(0);
                }
                w[col] = w[col].max(width);
            }
        }
        w
    }

    /// Kept cells that [`Cells::freeze`] would not have made are refused:
    /// a number with a needless last byte, a wrong width or kind.
    #[test]
    fn kept_cells_are_refused_unless_freeze_would_make_them() {
        let mut cells = Cells::default();
        cells.cell("ab");
        cells.cell("日本");
        let good = cells.freeze();
        let text = good.as_str();
        assert_eq!(Frozen::from_text(text), Some(good.clone()));
        // One cell count (2) written in two bytes, the second needless.
        let padded = format!("{}\0{}", char::from(0x42), &text[1..]);
        assert_eq!(Frozen::from_text(&padded), None);
        // "日本" is 4 columns wide: say 3.
        let narrow = text.replacen(char::from(4), &char::from(3).to_string(), 1);
        assert_ne!(narrow, text);
        assert_eq!(Frozen::from_text(&narrow), None);
        // "ab" said not to be printable ASCII (kind 0, with a width 2).
        let mut b = String::new();
        number(&mut b, 2);
        let mut head = String::new();
        for n in [0, 2, 2, 0, 6, 4] {
            number(&mut head, n);
        }
        number(&mut b, head.len());
        let wrong = format!("{b}{head}ab日本");
        assert_eq!(Frozen::from_text(&wrong), None);
    }

    #[test]
    fn many_rows_made_on_every_core_come_out_in_order_as_one_by_one() {
        let n = 20_000;
        let text = |i: usize| {
            let blank = if i.is_multiple_of(5) { " " } else { "" };
            format!("row {i}{}{blank}", "é".repeat(i % 13))
        };
        // Every seventh row's status coloured.
        // Every eleventh row's last cell empty, every fifth text ending in
        // a space: trailing blanks go.
        let status = |i: usize| match (i % 7, i % 11) {
            (0, _) => ("won", Some(AnsiColor::Green)),
            (3, _) => ("lost", Some(AnsiColor::Red)),
            (_, 5) => ("", None),
            _ => ("open", None),
        };
        // A column not shown, between two that are.
        let frozen: Vec<Frozen> = (0..n)
            .map(|i| {
                let mut cells = Cells::default();
                cells.format(format_args!("{i}"));
                cells.cell("hidden");
                cells.cell(&text(i));
                cells.colored(status(i).0, status(i).1);
                cells.freeze()
            })
            .collect();
        let widths: Vec<usize> = widest(&frozen)
            .into_iter()
            .enumerate()
            .filter(|(col, _)| *col != 1)
            .map(|(_, w)| w)
            .collect();
        for (color, width) in [
            (false, Some(30)),
            (true, Some(30)),
            (true, None),
            (false, None),
        ] {
            let headers = ["n", "text", "status"];
            let mut parallel = Vec::new();
            stream_frozen(
                &mut parallel,
                &headers,
                color,
                width,
                &[1],
                n,
                &widths,
                |i| &frozen[i],
                |col| col != 1,
            )
            .unwrap();
            let mut one_by_one = Vec::new();
            stream(&mut one_by_one, &headers, color, width, &[1], || {
                (0..n).map(|i| {
                    vec![
                        Cell::from(i.to_string()),
                        Cell::from(text(i)),
                        Cell::colored(status(i).0, status(i).1),
                    ]
                })
            })
            .unwrap();
            assert_eq!(parallel.len(), one_by_one.len());
            assert!(
                parallel == one_by_one,
                "the tables differ ({color}, {width:?})"
            );
            assert_eq!(String::from_utf8(parallel).unwrap().lines().count(), n + 1);
        }
    }

    #[test]
    fn a_failed_write_ends_a_table_made_on_every_core() {
        struct Closed(usize);
        impl Write for Closed {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                if self.0 < b.len() {
                    return Err(std::io::ErrorKind::BrokenPipe.into());
                }
                self.0 -= b.len();
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let made = std::sync::atomic::AtomicUsize::new(0);
        let mut cells = Cells::default();
        cells.cell("123456");
        let row = cells.freeze();
        let got = stream_frozen(
            &mut Closed(1000),
            &["n"],
            false,
            None,
            &[],
            100_000,
            &[6],
            |_| {
                made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                &row
            },
            |_| true,
        );
        assert_eq!(got.unwrap_err().kind(), std::io::ErrorKind::BrokenPipe);
        // Not every line made after the pipe closed.
        assert!(made.into_inner() < 50_000);
    }
}
