//! Time: the current instant (overridable with `SALESPROC_NOW` for tests and
//! for replaying history), timestamps and dates as the records write them.

use anyhow::{Result, bail};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan, tz::TimeZone};

/// The current instant, or `SALESPROC_NOW` (RFC 3339) when set.
pub fn now() -> Timestamp {
    std::env::var("SALESPROC_NOW")
        .ok()
        .and_then(|s| s.parse::<Timestamp>().ok())
        .unwrap_or_else(Timestamp::now)
}

/// Today's date: the local date, or the UTC date of `SALESPROC_NOW` when set.
pub fn today() -> Date {
    if std::env::var_os("SALESPROC_NOW").is_some() {
        return now().to_zoned_datetime(TimeZone::UTC).date();
    }
    now().to_zoned_datetime(TimeZone::system()).date()
}

/// A timestamp as records write it: UTC, RFC 3339, to the second.
pub fn stamp(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `stamp(now())`.
pub fn now_stamp() -> String {
    stamp(now())
}

/// Parses a record's `at` value.
pub fn parse_at(s: &str) -> Option<Timestamp> {
    s.parse::<Timestamp>().ok()
}

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    s.parse::<Date>().ok()
}

/// Parses a date a person typed: `YYYY-MM-DD`, `today`, `tomorrow`, `+3d`, `+2w`.
pub fn parse_user_date(s: &str) -> Result<Date> {
    let t = s.trim();
    let today = today();
    let parsed = match t {
        "today" => Some(today),
        "tomorrow" => today.checked_add(1.day()).ok(),
        _ => relative(t, today).or_else(|| parse_iso_date(t)),
    };
    match parsed {
        Some(d) => Ok(d),
        None => bail!(
            "\"{t}\" is not a date\nhint: write YYYY-MM-DD (e.g. {today}), today, tomorrow, +3d or +2w"
        ),
    }
}

fn relative(s: &str, today: Date) -> Option<Date> {
    let rest = s.strip_prefix('+')?;
    let (num, unit) = rest.split_at(rest.len().checked_sub(1)?);
    let n: i64 = num.parse().ok()?;
    let days = match unit {
        "d" => n,
        "w" => n * 7,
        _ => return None,
    };
    today.checked_add(days.days()).ok()
}

/// Days from `a` to `b`, fractional.
pub fn days_between(a: Timestamp, b: Timestamp) -> f64 {
    (b.as_second() - a.as_second()) as f64 / 86_400.0
}

/// The last second of a date, in UTC (for `--as-of`).
pub fn end_of_day(d: Date) -> Option<Timestamp> {
    d.at(23, 59, 59, 0)
        .to_zoned_datetime(TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// The UTC date of an instant, `YYYY-MM-DD`.
pub fn date_of(t: Timestamp) -> Date {
    t.to_zoned_datetime(TimeZone::UTC).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert!(parse_iso_date("2026-12-03").is_some());
        assert!(parse_iso_date("2026-2-3").is_none());
        assert!(parse_iso_date("2026-02-30").is_none());
        assert!(parse_iso_date("next week").is_none());
    }

    #[test]
    fn relative_dates() {
        let base: Date = "2026-11-27".parse().unwrap();
        assert_eq!(relative("+3d", base).unwrap().to_string(), "2026-11-30");
        assert_eq!(relative("+2w", base).unwrap().to_string(), "2026-12-11");
        assert!(relative("+x", base).is_none());
    }

    #[test]
    fn stamps_to_the_second() {
        let t: Timestamp = "2026-11-27T10:02:11.123Z".parse().unwrap();
        assert_eq!(stamp(t), "2026-11-27T10:02:11Z");
    }
}
