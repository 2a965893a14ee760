//! Bringing a pipeline in from a CRM export or a spreadsheet: CSV rows read
//! through [`rules::Rules`] into [`Incoming`] rows (each checked, each bad
//! cell reported with its line and column), then planned against the
//! folder's records ([`plan`]) and written in one batch.

pub mod amount;
pub mod plan;
pub mod presets;
pub mod rules;

use crate::process::Process;
use crate::prospect::Status;
use amount::{amount_number, parse_amount_with, parse_date};
use anyhow::{Result, anyhow, bail};
use jiff::Timestamp;
use rules::{DateOrder, Rules};
use serde::Serialize;
use serde_json::Value;

/// One CSV row, mapped and checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Incoming {
    /// The CSV line the row starts on (the header is line 1).
    pub line: u64,
    pub id: Option<String>,
    pub external: Option<String>,
    pub name: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_title: Option<String>,
    pub owner: Option<String>,
    /// The step, when the row names one.
    pub stage: Option<String>,
    pub status: Option<Status>,
    pub value: Option<serde_json::Number>,
    pub close_date: Option<String>,
    pub created: Option<Timestamp>,
    pub follow_up_date: Option<String>,
    pub follow_up_action: Option<String>,
    /// `(step, item, value)`.
    pub answers: Vec<(String, String, Value)>,
    /// User keys: `(key, text)`.
    pub extra: Vec<(String, String)>,
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub message: String,
}

/// Where each target is read from: `(target, column index, column name)`.
struct Layout {
    targets: Vec<(String, usize, String)>,
}

fn layout(headers: &csv::StringRecord, rules: &Rules, p: &Process) -> Result<Layout> {
    let norm = |s: &str| s.trim().trim_start_matches('\u{feff}').to_lowercase();
    let heads: Vec<String> = headers.iter().map(norm).collect();
    let mut targets = Vec::new();
    for (target, cols) in &rules.columns {
        let found = cols
            .names()
            .into_iter()
            .find_map(|c| heads.iter().position(|h| *h == norm(c)));
        if let Some(i) = found {
            if let Some(rest) = target.strip_prefix("answers.") {
                let (step, item) = rest.split_once('.').unwrap_or((rest, ""));
                p.item(step, &format!("{step}/{item}"))
                    .map_err(|e| anyhow!("rules: answers.{rest}: {e:#}"))?;
            }
            targets.push((target.clone(), i, headers[i].trim().to_string()));
        }
    }
    // Columns named like salesproc's own export map themselves: `step.item`
    // is an answer, `extra.KEY` a user key.
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        if targets.iter().any(|(_, j, _)| *j == i) {
            continue;
        }
        let target = if let Some(k) = h.strip_prefix("extra.").filter(|k| !k.is_empty()) {
            format!("extra.{k}")
        } else if let Some((s, it)) = h.split_once('.')
            && p.step(s)
                .is_some_and(|st| st.checklist.items.iter().any(|x| x.id == it))
        {
            format!("answers.{s}.{it}")
        } else {
            continue;
        };
        if !targets.iter().any(|(t, _, _)| *t == target) {
            targets.push((target, i, h.to_string()));
        }
    }
    if !targets.iter().any(|(t, _, _)| t == "name") {
        let want: Vec<&str> = rules
            .columns
            .get("name")
            .map(|c| c.names())
            .unwrap_or_default();
        let columns = headers.iter().collect::<Vec<_>>().join(", ");
        // One column holding `;` or tabs: the file is split by another mark.
        let split = match (headers.len(), rules.delimiter) {
            (1, None) if columns.contains(';') => {
                "; its columns look split by `;`: put `delimiter: \";\"` in a rules file (--rules FILE)"
            }
            (1, None) if columns.contains('\t') => {
                "; its columns look split by tabs: put `delimiter: \"\\t\"` in a rules file (--rules FILE)"
            }
            _ => "",
        };
        bail!(
            "the CSV has no name column{}\nhint: its columns are {columns}; map one with `columns: {{name: COLUMN}}` in a rules file{split}",
            if want.is_empty() {
                String::new()
            } else {
                format!(" ({})", want.join(", "))
            },
        );
    }
    Ok(Layout { targets })
}

/// Refuses a CSV that is not UTF-8 text, naming the line of the first byte
/// that is not, and how to convert it.
fn utf8(bytes: &[u8]) -> Result<()> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        bail!(
            "the file is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8\nhint: save it as \"CSV UTF-8\", or convert it: iconv -f UTF-16 -t UTF-8 FILE > FILE-utf8.csv"
        );
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        bail!(
            "line {line}: not UTF-8 text (byte 0x{:02x}); the file is likely in a Windows or Latin-1 encoding\nhint: save it as \"CSV UTF-8\", or convert it: iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE-utf8.csv",
            bytes[at]
        );
    }
    Ok(())
}

/// Reads every row of a CSV; rows with a bad cell become errors, the rest
/// [`Incoming`]. A CSV that cannot be read at all (no header, no name column,
/// broken quoting) is an error.
pub fn read(
    input: impl std::io::Read,
    rules: &Rules,
    p: &Process,
) -> Result<(Vec<Incoming>, Vec<RowError>)> {
    // Read whole (every row is kept anyway), so a row's line can be told
    // from its bytes.
    let mut bytes = Vec::new();
    let mut input = input;
    input.read_to_end(&mut bytes)?;
    utf8(&bytes)?;
    let mut r = csv::ReaderBuilder::new()
        .delimiter(rules.delimiter.map(|c| c as u8).unwrap_or(b','))
        .flexible(true)
        .from_reader(bytes.as_slice());
    let headers = r.headers()?.clone();
    let lay = layout(&headers, rules, p)?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| anyhow!("could not read the CSV: {e}"))?;
        let line = rec.position().map_or(0, |at| {
            // After a `\r\n` (what CRMs and Excel write) the reader places
            // a row at the `\n`, on the line before its own.
            let at_newline = bytes.get(at.byte() as usize) == Some(&b'\n');
            at.line() + u64::from(at_newline)
        });
        // A cell over several lines of a `\r\n` file keeps `\n` alone.
        let rec = if rec.iter().any(|c| c.contains('\r')) {
            rec.iter()
                .map(|c| c.replace("\r\n", "\n"))
                .collect::<csv::StringRecord>()
        } else {
            rec
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match row(&rec, line, &lay, rules, p) {
            Ok(i) => rows.push(i),
            Err(e) => errors.push(e),
        }
    }
    Ok((rows, errors))
}

fn row(
    rec: &csv::StringRecord,
    line: u64,
    lay: &Layout,
    rules: &Rules,
    p: &Process,
) -> Result<Incoming, RowError> {
    let mut inc = Incoming {
        line,
        ..Incoming::default()
    };
    // A `'` before `=`, `+`, `-` or `@` is a formula guard (salesproc's own
    // exports write one): the value is what follows it.
    let cell = |i: usize| {
        rec.get(i)
            .map(str::trim)
            .map(|s| match s.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
                _ => s,
            })
            .filter(|s| !s.is_empty())
    };
    let err = |column: &str, message: String| RowError {
        line,
        column: column.to_string(),
        message,
    };
    let day_first = rules.dates == DateOrder::DayFirst;
    let mut cells: Vec<(&str, String, &str)> = lay
        .targets
        .iter()
        .filter_map(|(t, i, c)| Some((t.as_str(), cell(*i)?.to_string(), c.as_str())))
        .collect();
    for (t, v) in &rules.defaults {
        if !cells.iter().any(|(ct, _, _)| ct == t) {
            cells.push((t.as_str(), v.clone(), "(default)"));
        }
    }
    let mut stage_status = None;
    for (target, text, col) in cells {
        let text = text.as_str();
        match target {
            "name" => inc.name = text.to_string(),
            "id" => {
                if !crate::slug::is_slug(text) {
                    return Err(err(col, format!("\"{text}\" is not a valid id")));
                }
                inc.id = Some(text.to_string());
            }
            "external_id" => inc.external = Some(text.to_string()),
            "contact.name" => inc.contact_name = Some(text.to_string()),
            "contact.email" => inc.contact_email = Some(text.to_string()),
            "contact.phone" => inc.contact_phone = Some(text.to_string()),
            "contact.title" => inc.contact_title = Some(text.to_string()),
            "owner" => inc.owner = Some(text.to_string()),
            "stage" => {
                let (step, status) = stage(text, rules, p).map_err(|m| err(col, m))?;
                inc.stage = step;
                stage_status = status;
            }
            "status" => inc.status = Some(status(text, rules).map_err(|m| err(col, m))?),
            "value" => {
                let n = parse_amount_with(text, rules.decimal)
                    .and_then(amount_number)
                    .ok_or_else(|| err(col, format!("\"{text}\" is not an amount")))?;
                inc.value = Some(n);
            }
            "close_date" | "follow_up.date" => {
                let d = parse_date(text, day_first)
                    .ok_or_else(|| err(col, format!("\"{text}\" is not a date")))?
                    .to_string();
                if target == "close_date" {
                    inc.close_date = Some(d);
                } else {
                    inc.follow_up_date = Some(d);
                }
            }
            "follow_up.action" => inc.follow_up_action = Some(text.to_string()),
            "created" => {
                inc.created = Some(
                    timestamp(text, day_first)
                        .ok_or_else(|| err(col, format!("\"{text}\" is not a date")))?,
                );
            }
            t if t.starts_with("answers.") => {
                let rest = &t["answers.".len()..];
                let (step, item) = rest.split_once('.').unwrap_or((rest, ""));
                let (_, it) = p
                    .item(step, &format!("{step}/{item}"))
                    .map_err(|e| err(col, format!("{e:#}")))?;
                let v = crate::value::parse_value(it, &[text.to_string()]).map_err(|e| {
                    err(
                        col,
                        format!("{}", e).lines().next().unwrap_or("").to_string(),
                    )
                })?;
                inc.answers.push((step.to_string(), item.to_string(), v));
            }
            t if t.starts_with("extra.") => {
                inc.extra
                    .push((t["extra.".len()..].to_string(), text.to_string()));
            }
            _ => {}
        }
    }
    if inc.name.is_empty() {
        let col = lay
            .targets
            .iter()
            .find(|(t, _, _)| t == "name")
            .map(|(_, _, c)| c.as_str())
            .unwrap_or("name");
        return Err(err(col, "missing name".into()));
    }
    // A status column wins over a stage that implies one (`Closed Won`).
    if inc.status.is_none() {
        inc.status = stage_status;
    }
    if inc.status == Some(Status::Won) {
        inc.stage = p.steps.last().map(|s| s.id.clone());
    }
    Ok(inc)
}

/// A CRM stage as `(step, status)`, through the rules' table, then step ids
/// and titles.
fn stage(
    text: &str,
    rules: &Rules,
    p: &Process,
) -> Result<(Option<String>, Option<Status>), String> {
    let mapped = rules
        .stages
        .iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(text))
        .map(|(_, v)| v.as_str())
        .unwrap_or(text);
    let (step, status) = match mapped.split_once(':') {
        Some((s, st)) => (Some(s.trim()), Some(st.trim())),
        None => match mapped.trim().to_lowercase().as_str() {
            "won" | "lost" | "open" | "nurturing" => (None, Some(mapped.trim())),
            _ => (Some(mapped.trim()), None),
        },
    };
    let step = match step {
        None => None,
        Some(s) => Some(
            p.steps
                .iter()
                .find(|x| x.id.eq_ignore_ascii_case(s) || x.checklist.title.eq_ignore_ascii_case(s))
                .map(|x| x.id.clone())
                .ok_or_else(|| {
                    format!(
                        "unknown stage \"{text}\"; add it to `stages:` in the rules (steps are {})",
                        p.steps
                            .iter()
                            .map(|s| s.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?,
        ),
    };
    let status = match status {
        None => None,
        Some(s) => Some(
            status_word(s).ok_or_else(|| format!("unknown status \"{s}\" for stage \"{text}\""))?,
        ),
    };
    Ok((step, status))
}

fn status_word(s: &str) -> Option<Status> {
    Some(match s.trim().to_lowercase().as_str() {
        "open" | "" => Status::Open,
        "won" | "closed won" | "closed-won" | "closedwon" => Status::Won,
        "lost" | "closed lost" | "closed-lost" | "closedlost" => Status::Lost,
        "nurturing" => Status::Nurturing,
        _ => return None,
    })
}

fn status(text: &str, rules: &Rules) -> Result<Status, String> {
    let mapped = rules
        .statuses
        .iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(text))
        .map(|(_, v)| v.as_str())
        .unwrap_or(text);
    status_word(mapped).ok_or_else(|| {
        format!("unknown status \"{text}\"; statuses are open, won, lost, nurturing (map others under `statuses:`)")
    })
}

/// A created date or time: RFC 3339, `YYYY-MM-DD HH:MM[:SS]` (UTC), or a date (midnight UTC).
fn timestamp(text: &str, day_first: bool) -> Option<Timestamp> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Some(t);
    }
    if let Ok(dt) = text.replace(' ', "T").parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    parse_date(text, day_first)?
        .at(0, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::presets::Crm;

    #[test]
    fn rows_are_read_with_quotes_bom_guards_and_errors_by_line() {
        let p = Process::builtin();
        let csv = "\u{feff}Deal Name,Deal Stage,Amount,Deal Description,Industry\n\
                   \"Smith, Jones\",Closed Won,\"1,200\",\"two\nlines\",'=cmd\n\
                   ,Contract Sent,1,,\n\
                   Ölwerk,Nope,1,,\n";
        let (rows, errors) = read(csv.as_bytes(), &Crm::HubSpot.rules(), &p).unwrap();
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(r.name, "Smith, Jones");
        assert_eq!(
            (r.stage.as_deref(), r.status),
            (Some("agree"), Some(Status::Won))
        );
        assert_eq!(
            r.value.as_ref().map(|n| n.to_string()).as_deref(),
            Some("1200")
        );
        assert_eq!(
            r.extra,
            vec![("notes".to_string(), "two\nlines".to_string())]
        );
        assert_eq!(r.answers[0].2, Value::String("=cmd".into()));
        assert_eq!(
            errors
                .iter()
                .map(|e| (e.line, e.column.as_str()))
                .collect::<Vec<_>>(),
            vec![(4, "Deal Name"), (5, "Deal Stage")]
        );
    }

    /// A CSV with `\r\n` line ends (as CRMs and Excel write it) reads as
    /// the same CSV with `\n`: the same rows, cells and error lines.
    #[test]
    fn crlf_rows_read_as_lf_rows_with_the_same_lines() {
        let p = Process::builtin();
        let lf = "Deal Name,Deal Stage,Deal Description\n\
                  Acme,Closed Won,\"two\nlines\"\n\
                  ,Contract Sent,\n\
                  \"B\nCo\",Nope,\n\
                  Zed,Closed Won,\n";
        let crlf = lf.replace('\n', "\r\n");
        let rules = Crm::HubSpot.rules();
        let (rows, errors) = read(lf.as_bytes(), &rules, &p).unwrap();
        let (crows, cerrors) = read(crlf.as_bytes(), &rules, &p).unwrap();
        let lines = |e: &[RowError]| e.iter().map(|e| e.line).collect::<Vec<_>>();
        assert_eq!(lines(&errors), vec![4, 5]);
        assert_eq!(lines(&cerrors), lines(&errors));
        let seen = |r: &[Incoming]| {
            r.iter()
                .map(|i| (i.line, i.name.clone(), i.extra.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(seen(&crows), seen(&rows));
        assert_eq!(rows[0].extra[0].1, "two\nlines");
        assert_eq!(rows.last().map(|r| r.line), Some(7));
    }

    /// A CSV in another encoding, or split by another mark, is refused
    /// with the line and the way to convert or read it.
    #[test]
    fn other_encodings_and_marks_are_named_with_the_fix() {
        let p = Process::builtin();
        let rules = Rules::default();
        let latin1 = b"name,stage\nM\xfcller GmbH,research\n";
        let e = read(&latin1[..], &rules, &p).unwrap_err().to_string();
        assert!(e.starts_with("line 2: not UTF-8 text (byte 0xfc)"), "{e}");
        assert!(e.contains("iconv -f WINDOWS-1252 -t UTF-8"), "{e}");
        let utf16 = b"\xff\xfen\x00a\x00m\x00e\x00\n\x00";
        let e = read(&utf16[..], &rules, &p).unwrap_err().to_string();
        assert!(e.contains("UTF-16") && e.contains("iconv -f UTF-16"), "{e}");
        let e = read("Deal;Stage\nAcme;research\n".as_bytes(), &rules, &p)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`delimiter: \";\"`"), "{e}");
    }

    #[test]
    fn a_csv_without_a_name_column_is_refused() {
        let p = Process::builtin();
        let e = read("a,b\n1,2\n".as_bytes(), &Rules::default(), &p).unwrap_err();
        assert!(e.to_string().contains("no name column"), "{e}");
    }
}
