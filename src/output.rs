//! Where output goes: data to stdout (in the chosen format), status and
//! warnings to stderr. Colour and TTY decisions live here.

use crate::cli::{ColorChoice, Format};
use anyhow::Result;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);
static ERR_COLOR: AtomicBool = AtomicBool::new(false);
static NO_PAGER: AtomicBool = AtomicBool::new(false);

/// `--no-pager`: long output is printed, never paged.
pub fn disable_pager() {
    NO_PAGER.store(true, Ordering::Relaxed);
}

/// The pager command, when output should be paged: stdout is a terminal,
/// `--no-pager` was not given, and `PAGER` is not empty or `cat`.
fn pager() -> Option<String> {
    if NO_PAGER.load(Ordering::Relaxed) || !std::io::stdout().is_terminal() {
        return None;
    }
    let cmd = std::env::var("PAGER").unwrap_or_else(|_| "less -FRX".into());
    let cmd = cmd.trim();
    (!cmd.is_empty() && cmd != "cat").then(|| cmd.to_string())
}

/// Runs `cmd` through the shell with `text` on its stdin and waits for it.
/// Quitting the pager early (a closed pipe) is not an error.
fn page(cmd: &str, text: &str) -> std::io::Result<()> {
    let mut c = std::process::Command::new("sh");
    c.arg("-c").arg(cmd).stdin(std::process::Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        // What git sets: quit if one screen, keep colour, leave the screen as it is.
        c.env("LESS", "FRX");
    }
    let mut child = c.spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        match stdin.write_all(text.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                drop(stdin);
                let _ = child.wait();
                return Err(e);
            }
            _ => {}
        }
    }
    child.wait()?;
    Ok(())
}

static FORMULA_GUARD: AtomicBool = AtomicBool::new(true);

/// Turns the CSV/TSV formula-injection guard on (the default) or off.
pub fn set_formula_guard(on: bool) {
    FORMULA_GUARD.store(on, Ordering::Relaxed);
}

/// Output settings for a run.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    /// The command's `--format` (its default when not given); `None` for a
    /// command that prints no data.
    pub format: Option<Format>,
    /// Colour on stdout.
    pub color: bool,
}

impl Out {
    /// Decides colour from the flag, then (for `auto`) as anstream does:
    /// `NO_COLOR`, `CLICOLOR_FORCE`, `CLICOLOR=0`, `TERM=dumb` and whether
    /// the stream is a terminal.
    pub fn new(format: Option<Format>, choice: ColorChoice, quiet: bool) -> Out {
        fn decide<S: anstream::stream::RawStream>(choice: ColorChoice, stream: &S) -> bool {
            match choice {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => matches!(
                    anstream::AutoStream::choice(stream),
                    anstream::ColorChoice::Always | anstream::ColorChoice::AlwaysAnsi
                ),
            }
        }
        QUIET.store(quiet, Ordering::Relaxed);
        ERR_COLOR.store(decide(choice, &std::io::stderr()), Ordering::Relaxed);
        Out {
            format,
            color: decide(choice, &std::io::stdout()),
        }
    }

    /// The format, or `default` when none was asked for.
    pub fn format_or(&self, default: Format) -> Format {
        self.format.unwrap_or(default)
    }

    /// Bold text when colour is on.
    pub fn bold(&self, s: &str) -> String {
        paint(self.color, anstyle::Style::new().bold(), s)
    }

    /// Dimmed text when colour is on.
    pub fn dim(&self, s: &str) -> String {
        paint(self.color, anstyle::Style::new().dimmed(), s)
    }

    /// Green text when colour is on.
    pub fn good(&self, s: &str) -> String {
        paint(self.color, anstyle::AnsiColor::Green.on_default(), s)
    }

    /// Red text when colour is on.
    pub fn bad(&self, s: &str) -> String {
        paint(self.color, anstyle::AnsiColor::Red.on_default(), s)
    }

    /// Prints data to stdout in the format asked for (`default` when none
    /// was): table and markdown output, which a terminal interprets, has
    /// control characters from records escaped; JSON, YAML, CSV, TSV and ids
    /// keep the exact text.
    pub fn emit(&self, default: Format, text: &str) -> Result<()> {
        match self.format_or(default) {
            Format::Table | Format::Markdown => print(&escape_controls(text, self.color)),
            _ => print(text),
        }
    }

    /// Like [`Out::emit`], but text for reading (table, markdown) on a
    /// terminal goes through the pager, as git does: `$PAGER`, by default
    /// `less -FRX` (which quits at once when the text fits the screen).
    /// `--no-pager`, an empty `PAGER` or `PAGER=cat` print directly; so does a
    /// pager that cannot be started.
    pub fn emit_paged(&self, default: Format, text: &str) -> Result<()> {
        if matches!(self.format_or(default), Format::Table | Format::Markdown)
            && let Some(cmd) = pager()
            && page(&cmd, &escape_controls(text, self.color)).is_ok()
        {
            return Ok(());
        }
        self.emit(default, text)
    }

    /// Like [`Out::emit_paged`] for output written piece by piece (a large
    /// table): on a terminal it streams into the pager, else to stdout.
    pub fn emit_paged_with(
        &self,
        default: Format,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        if matches!(self.format_or(default), Format::Table | Format::Markdown)
            && let Some(cmd) = pager()
        {
            let mut c = std::process::Command::new("sh");
            c.arg("-c").arg(&cmd).stdin(std::process::Stdio::piped());
            if std::env::var_os("LESS").is_none() {
                c.env("LESS", "FRX");
            }
            if let Ok(mut child) = c.spawn() {
                if let Some(stdin) = child.stdin.take() {
                    let mut w = std::io::BufWriter::with_capacity(1 << 16, stdin);
                    match write(&mut w).and_then(|_| w.flush()) {
                        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                            drop(w);
                            let _ = child.wait();
                            return Err(e.into());
                        }
                        _ => {}
                    }
                }
                let _ = child.wait();
                return Ok(());
            }
        }
        print_with(write)
    }

    /// A new table styled for this output.
    pub fn table(&self, headers: &[&str]) -> Table {
        let mut t = Table::new();
        t.load_style(comfy_table::presets::NOTHING);
        t.set_content_arrangement(ContentArrangement::Dynamic);
        if self.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        let cells: Vec<comfy_table::Cell> = headers
            .iter()
            .map(|h| {
                let c = comfy_table::Cell::new(h.to_uppercase());
                if self.color {
                    c.add_attribute(comfy_table::Attribute::Bold)
                } else {
                    c
                }
            })
            .collect();
        t.set_header(cells);
        t
    }
}

fn paint(on: bool, style: anstyle::Style, s: &str) -> String {
    if on {
        format!("{style}{s}{style:#}")
    } else {
        s.to_string()
    }
}

/// Text with every control character a terminal would act on made visible
/// (`\x1b`, `\r`, `\u{9b}`, `\u{202e}`…): a record pulled from a shared
/// repository cannot retitle the window, move the cursor or hide text. Line
/// breaks and tabs stay. With `colour` on, the few SGR sequences salesproc
/// itself paints with (bold, dim, red, green, yellow, reset) stay too: they can
/// neither hide text nor do anything else.
pub fn escape_controls(text: &str, colour: bool) -> std::borrow::Cow<'_, str> {
    let needs = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(needs) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if colour
            && c == '\u{1b}'
            && let Some(len) = own_sgr(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if needs(c) {
            if (c as u32) < 0x80 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// The length of an SGR sequence at the start of `s` that uses only the
/// attributes salesproc paints with.
fn own_sgr(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\u{1b}[")?;
    let end = body.find('m')?;
    let params = &body[..end];
    let ok = params
        .split(';')
        .all(|p| matches!(p, "" | "0" | "1" | "2" | "22" | "31" | "32" | "33" | "39"));
    (ok && end <= 16).then_some(2 + end + 1)
}

/// Writes to stdout; a closed pipe (`| head`) ends the program quietly with 0.
pub fn print(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => Ok(r?),
    }
}

/// A status line on stderr (`added acme-corp`), silenced by `-q`.
pub fn status(msg: &str) {
    if !QUIET.load(Ordering::Relaxed) {
        to_stderr(&escape_controls(msg, false));
    }
}

/// One line on stderr; a closed stderr (`2>&1 | true`) loses it quietly
/// instead of panicking as `eprintln!` does.
fn to_stderr(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// A warning on stderr.
pub fn warn(msg: &str) {
    let label = paint(
        ERR_COLOR.load(Ordering::Relaxed),
        anstyle::AnsiColor::Yellow.on_default().bold(),
        "warning:",
    );
    to_stderr(&format!("{label} {}", escape_controls(msg, false)));
}

/// An error on stderr.
pub fn error(msg: &str) {
    let label = paint(
        ERR_COLOR.load(Ordering::Relaxed),
        anstyle::AnsiColor::Red.on_default().bold(),
        "error:",
    );
    to_stderr(&format!("{label} {}", escape_controls(msg, false)));
}

/// `yes` or `no`, for table cells.
pub fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// Rows that can be shown as a table, CSV/TSV or ids, besides JSON/YAML via serde.
pub trait Tabular: Serialize {
    /// Column names, lowercase, as in JSON.
    fn headers() -> Vec<&'static str>;
    /// One row of cells, in header order.
    fn row(&self) -> Vec<String>;
    /// The id printed by `--format ids`.
    fn id(&self) -> String;
}

/// Renders rows in any format; `[]` for an empty JSON list.
pub fn render_rows<T: Tabular>(out: &Out, rows: &[T], default: Format) -> Result<String> {
    Ok(match out.format_or(default) {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(rows)?),
        Format::Yaml => {
            if rows.is_empty() {
                "[]\n".into()
            } else {
                crate::yaml::to_string(&rows)?
            }
        }
        Format::Csv => delimited(rows, b',')?,
        Format::Tsv => delimited(rows, b'\t')?,
        Format::Ids => rows.iter().map(|r| format!("{}\n", r.id())).collect(),
        Format::Markdown => markdown_table(&T::headers(), rows.iter().map(Tabular::row)),
        Format::Table => {
            let mut t = out.table(&T::headers());
            for r in rows {
                t.add_row(r.row());
            }
            if rows.is_empty() {
                String::new()
            } else {
                table_text(&t)
            }
        }
    })
}

fn delimited<T: Tabular>(rows: &[T], sep: u8) -> Result<String> {
    let headers: Vec<String> = T::headers().into_iter().map(String::from).collect();
    csv_text(&headers, rows.iter().map(Tabular::row), sep)
}

/// A cell as a spreadsheet may safely open it: one starting with `=`, `+`,
/// `-` or `@` (a formula to Excel, LibreOffice and Sheets) gets a leading
/// `'`, unless it is a plain number such as `-3`. Off with `--no-formula-guard`.
pub fn guard_formula(cell: String) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@']) && cell.trim().parse::<f64>().is_err();
    if risky && FORMULA_GUARD.load(Ordering::Relaxed) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// CSV (`,`) or TSV (`\t`) text with a header row. TSV is never quoted: a
/// tab, newline or carriage return inside a cell becomes a space, so
/// `cut -f2` works. Cells are guarded against formula injection.
pub fn csv_text(
    headers: &[String],
    rows: impl IntoIterator<Item = Vec<String>>,
    sep: u8,
) -> Result<String> {
    let mut out = Vec::new();
    csv_write(&mut out, headers, rows, sep)?;
    Ok(String::from_utf8(out)?)
}

/// As [`csv_text`], written to `out` row by row (nothing kept).
pub fn csv_write(
    out: &mut dyn Write,
    headers: &[String],
    rows: impl IntoIterator<Item = Vec<String>>,
    sep: u8,
) -> Result<()> {
    let mut w = CsvOut::new(out, headers, sep)?;
    for r in rows {
        w.row(r)?;
    }
    w.finish()
}

/// A CSV (or TSV) writer that takes rows as they come: see [`csv_text`].
pub struct CsvOut<'a> {
    w: csv::Writer<&'a mut dyn Write>,
    tsv: bool,
}

/// A CSV error, with a closed pipe kept an I/O error (so `| head` ends quietly).
fn csv_io(e: csv::Error) -> anyhow::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e.into(),
        k => anyhow::anyhow!("could not write CSV: {k:?}"),
    }
}

impl<'a> CsvOut<'a> {
    /// Starts with the header row.
    pub fn new(out: &'a mut dyn Write, headers: &[String], sep: u8) -> Result<CsvOut<'a>> {
        let tsv = sep == b'\t';
        let w = csv::WriterBuilder::new()
            .delimiter(sep)
            .quote_style(if tsv {
                csv::QuoteStyle::Never
            } else {
                csv::QuoteStyle::Necessary
            })
            .from_writer(out);
        let mut c = CsvOut { w, tsv };
        c.row(headers.to_vec())?;
        Ok(c)
    }

    /// One row; cells are guarded against formula injection, and a TSV cell
    /// has its tabs and line breaks made spaces.
    pub fn row(&mut self, cells: Vec<String>) -> Result<()> {
        let tsv = self.tsv;
        let clean = |c: String| {
            let c = guard_formula(c);
            if tsv {
                c.replace(['\t', '\n', '\r'], " ")
            } else {
                c
            }
        };
        self.w
            .write_record(cells.into_iter().map(clean))
            .map_err(csv_io)
    }

    /// Writes out what is buffered.
    pub fn finish(mut self) -> Result<()> {
        self.w.flush()?;
        Ok(())
    }
}

/// A list made one element at a time as it is serialized: 100,000 rows
/// are never all in memory as rows, nor as text.
pub struct Seq<F>(pub F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// Writes rows in a data format (JSON, YAML, CSV, TSV, markdown) to stdout
/// as they are made, exactly as [`render_rows`] and [`Out::emit`] would.
pub fn print_rows<T, F, I>(out: &Out, format: Format, rows: F) -> Result<()>
where
    T: Tabular + Serialize,
    F: Fn() -> I,
    I: Iterator<Item = T>,
{
    let colour = out.color;
    let headers: Vec<String> = T::headers().into_iter().map(String::from).collect();
    print_with(|w| match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, &Seq(&rows)).map_err(std::io::Error::from)?;
            w.write_all(b"\n")
        }
        Format::Yaml => match rows().next() {
            None => w.write_all(b"[]\n"),
            Some(_) => crate::yaml::to_writer(w, &Seq(&rows)),
        },
        Format::Csv | Format::Tsv => {
            let sep = if format == Format::Csv { b',' } else { b'\t' };
            csv_write(w, &headers, rows().map(|r| r.row()), sep).map_err(as_io)
        }
        _ => {
            let h: Vec<&str> = headers.iter().map(String::as_str).collect();
            markdown_write(w, &h, rows().map(|r| r.row()), colour)
        }
    })
}

/// A GitHub-flavoured markdown table, written a line at a time, with
/// control characters made visible as [`Out::emit`] does for markdown.
pub fn markdown_write(
    w: &mut dyn Write,
    headers: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    colour: bool,
) -> std::io::Result<()> {
    let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let head = format!(
        "| {} |\n|{}\n",
        headers.join(" | "),
        "---|".repeat(headers.len())
    );
    w.write_all(escape_controls(&head, colour).as_bytes())?;
    for r in rows {
        let line = format!(
            "| {} |\n",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        );
        w.write_all(escape_controls(&line, colour).as_bytes())?;
    }
    Ok(())
}

/// A GitHub-flavoured markdown table.
pub fn markdown_table(headers: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut s = format!(
        "| {} |\n|{}\n",
        headers.join(" | "),
        "---|".repeat(headers.len())
    );
    for r in rows {
        s.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    s
}

/// Serializes a document (not a list) as JSON or YAML.
pub fn render_doc<T: Serialize>(format: Format, doc: &T) -> Result<String> {
    Ok(match format {
        Format::Yaml => crate::yaml::to_string(doc)?,
        _ => format!("{}\n", serde_json::to_string_pretty(doc)?),
    })
}

/// True when stderr gets colour (prompts, warnings).
pub fn stderr_color() -> bool {
    ERR_COLOR.load(Ordering::Relaxed)
}

/// A rendered table without the trailing blanks comfy-table pads lines with.
pub fn table_text(t: &Table) -> String {
    t.to_string()
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

/// A ratio as a whole percentage, `–` when there is none.
pub fn percent(x: Option<f64>) -> String {
    x.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "–".into())
}

/// Days with one decimal, `–` when there are none.
pub fn days(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into())
}

/// True when stderr is a terminal (progress bars, waits), and no shell is
/// asking for completions (a bar would draw over the command line).
pub fn stderr_is_terminal() -> bool {
    use std::io::IsTerminal;
    !COMPLETING.load(Ordering::Relaxed) && std::io::stderr().is_terminal()
}

static COMPLETING: AtomicBool = AtomicBool::new(false);

/// Marks this run as a shell's completion request: nothing is drawn on stderr.
pub fn completing() {
    COMPLETING.store(true, Ordering::Relaxed);
}

/// Writes to stdout through `write` (buffered); a closed pipe ends the
/// program quietly with 0.
pub fn print_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let out = std::io::stdout().lock();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    let r = write(&mut w).and_then(|_| w.flush());
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => Ok(r?),
    }
}

/// An error as an I/O error for [`print_with`]: one that was an I/O error
/// (a closed pipe) stays one, so a closed pipe still ends quietly.
pub fn as_io(e: anyhow::Error) -> std::io::Error {
    match e.downcast::<std::io::Error>() {
        Ok(e) => e,
        Err(e) => std::io::Error::other(e),
    }
}

/// Writes a document to stdout as pretty JSON without building it in memory
/// first; a closed pipe ends the program quietly with 0.
pub fn print_json<T: Serialize>(doc: &T) -> Result<()> {
    let out = std::io::stdout().lock();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    let r = serde_json::to_writer_pretty(&mut w, doc)
        .map_err(std::io::Error::from)
        .and_then(|_| w.write_all(b"\n"))
        .and_then(|_| w.flush());
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => Ok(r?),
    }
}

#[cfg(test)]
mod tests {
    use super::{csv_text, escape_controls};

    #[test]
    fn tsv_never_quotes_and_formulas_are_guarded() {
        let h = vec!["a".to_string(), "b".to_string()];
        let rows = vec![vec!["x\ty\nz\r".to_string(), "\"q\"".to_string()]];
        assert_eq!(csv_text(&h, rows, b'\t').unwrap(), "a\tb\nx y z \t\"q\"\n");
        let rows = vec![vec!["=HYPERLINK(1)".to_string(), "-3".to_string()]];
        assert_eq!(
            csv_text(&h, rows.clone(), b',').unwrap(),
            "a,b\n'=HYPERLINK(1),-3\n"
        );
        let rows = vec![vec!["@SUM".to_string(), "+1-2".to_string()]];
        assert_eq!(csv_text(&h, rows, b',').unwrap(), "a,b\n'@SUM,'+1-2\n");
    }

    #[test]
    fn control_characters_are_made_visible() {
        let hostile = "Acme\u{1b}]0;pwned\u{7}\u{1b}[8mhidden\r\u{1}\u{9b}\u{202e}x\ttab\nline";
        assert_eq!(
            escape_controls(hostile, false),
            "Acme\\x1b]0;pwned\\x07\\x1b[8mhidden\\x0d\\x01\\u{9b}\\u{202e}x\ttab\nline"
        );
        // Conceal (8) is never salesproc's own, even with colour on.
        assert_eq!(escape_controls("\u{1b}[8m", true), "\\x1b[8m");
        assert_eq!(
            escape_controls("\u{1b}[1mbold\u{1b}[0m", true),
            "\u{1b}[1mbold\u{1b}[0m"
        );
        assert_eq!(
            escape_controls("\u{1b}[1mbold\u{1b}[0m", false),
            "\\x1b[1mbold\\x1b[0m"
        );
        assert!(matches!(
            escape_controls("plain", false),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
