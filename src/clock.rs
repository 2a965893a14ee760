//! Time: the current instant (overridable with `SALESPROC_NOW` for tests and
//! for replaying history), timestamps and dates as the records write them.

use anyhow::Result;
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
    now().to_zoned_datetime(local_zone()).date()
}

/// The system's time zone. jiff's `TimeZone::system()` looks the zone's
/// name up in its database, and that walks all of `/usr/share/zoneinfo`
/// (two dozen folders, a millisecond or more of every `list`). Only the
/// zone's rules matter for a date, so with `TZ` unset `/etc/localtime` is
/// read as the rules it holds, as jiff does when it finds no name;
/// anything else is left to jiff.
fn local_zone() -> TimeZone {
    static ZONE: std::sync::OnceLock<TimeZone> = std::sync::OnceLock::new();
    ZONE.get_or_init(|| match std::env::var_os("TZ") {
        None => zone_file("/etc/localtime").unwrap_or_else(TimeZone::system),
        Some(_) => TimeZone::system(),
    })
    .clone()
}

/// The zone whose rules (TZif) are in the file at `path`.
fn zone_file(path: &str) -> Option<TimeZone> {
    TimeZone::tzif("Local", &std::fs::read(path).ok()?).ok()
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
    match fast_at(s) {
        Some(t) => Some(t),
        None => s.parse::<Timestamp>().ok(),
    }
}

/// The form salesproc writes, `YYYY-MM-DDTHH:MM:SSZ`, read without the
/// general parser (every record has dozens); `None` for anything else
/// (another form, an impossible date, a leap second), which then goes to
/// the general parser, so the answer is always the one it gives.
fn fast_at(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    // Each digit's value; one that is not a digit wraps to 10 or more.
    let digit = |i: usize| i64::from(b[i].wrapping_sub(b'0'));
    const DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    if !DIGITS.iter().fold(true, |ok, &i| ok & (digit(i) <= 9)) {
        return None;
    }
    let two = |i: usize| digit(i) * 10 + digit(i + 1);
    let (y, m, d) = (two(0) * 100 + two(2), two(5), two(8));
    let (h, mi, sec) = (two(11), two(14), two(17));
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days_in = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > days_in || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    // Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
    let (yy, mm) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * mm + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Timestamp::from_second(days * 86_400 + h * 3600 + mi * 60 + sec).ok()
}

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    s.parse::<Date>().ok()
}

/// What every date prompt and option says it takes.
pub const DATE_HINT: &str =
    "YYYY-MM-DD, today, tomorrow, +3d, -1w, in 3 days, friday, next friday, eom";

/// Which side of today a date should fall on, for a sanity warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Something that happened (a proposal sent).
    Past,
    /// Something planned (a revisit, a next step).
    Future,
    /// Either.
    Any,
}

/// A warning when `d` is on the wrong side of today, or years away.
pub fn sanity(d: Date, expect: Expect) -> Option<String> {
    let today = today();
    match expect {
        Expect::Past if d > today => {
            return Some(format!("{d} is in the future; is that the right date?"));
        }
        Expect::Future if d < today => {
            return Some(format!("{d} is in the past; is that the right date?"));
        }
        _ => {}
    }
    let years = (d.year() - today.year()).abs();
    (years >= 5).then(|| format!("{d} is {years} years from today; is that the right date?"))
}

/// Parses a date a person typed: ISO `YYYY-MM-DD`, `today`, `yesterday`,
/// `tomorrow`, `+3d`, `-1w`, `+2m`, `in 3 days`, `3 days ago`, `friday`,
/// `next friday`, `last friday`, `eom`, `eoy`, and `D/M/YYYY` when only one
/// reading is a date. An unreadable date is a usage error naming the forms.
pub fn parse_user_date(s: &str) -> Result<Date> {
    let t = s.trim().to_lowercase();
    let today = today();
    if let Some(readings) = ambiguous_slashes(&t) {
        return Err(crate::commands::UsageError(format!(
            "\"{}\" could be {} or {}\nhint: write it as YYYY-MM-DD",
            s.trim(),
            readings.0,
            readings.1
        ))
        .into());
    }
    match parse_in(&t, today) {
        Some(d) => Ok(d),
        None => Err(crate::commands::UsageError(format!(
            "\"{}\" is not a date\nhint: write {DATE_HINT} (e.g. {today})",
            s.trim()
        ))
        .into()),
    }
}

/// `parse_user_date` relative to `today`, `None` when unreadable.
pub fn parse_in(t: &str, today: Date) -> Option<Date> {
    let words: Vec<&str> = t.split_whitespace().collect();
    match words.as_slice() {
        ["today"] | ["now"] => Some(today),
        ["tomorrow"] => today.checked_add(1.day()).ok(),
        ["yesterday"] => today.checked_sub(1.day()).ok(),
        ["eom"] | ["end", "of", "month"] => Some(today.last_of_month()),
        ["eoy"] | ["end", "of", "year"] => Date::new(today.year(), 12, 31).ok(),
        ["in", n, unit] => shift(today, n.parse().ok()?, unit),
        [n, unit, "ago"] => shift(today, -n.parse::<i64>().ok()?, unit),
        ["next", day] | ["this", day] | ["on", day] => weekday_after(today, day, 1),
        ["last", day] => weekday_after(today, day, -1),
        [one] => relative(one, today)
            .or_else(|| weekday_after(today, one, 1))
            .or_else(|| parse_iso_date(one))
            .or_else(|| slashes(one).and_then(|(a, b)| if a == b { a } else { a.xor(b) })),
        _ => None,
    }
}

fn shift(today: Date, n: i64, unit: &str) -> Option<Date> {
    match unit.trim_end_matches('s') {
        "d" | "day" => today.checked_add(n.days()).ok(),
        "w" | "week" => today.checked_add((n * 7).days()).ok(),
        "m" | "month" => today.checked_add(n.months()).ok(),
        "y" | "year" => today.checked_add(n.years()).ok(),
        _ => None,
    }
}

fn weekday_after(today: Date, name: &str, nth: i32) -> Option<Date> {
    use jiff::civil::Weekday::*;
    let day = match name.get(..3)? {
        "mon" => Monday,
        "tue" => Tuesday,
        "wed" => Wednesday,
        "thu" => Thursday,
        "fri" => Friday,
        "sat" => Saturday,
        "sun" => Sunday,
        _ => return None,
    };
    let full = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    if !full.iter().any(|f| f.starts_with(name)) {
        return None;
    }
    today.nth_weekday(nth, day).ok()
}

/// The day-first and month-first readings of `a/b/yyyy` (or with `.`).
fn slashes(t: &str) -> Option<(Option<Date>, Option<Date>)> {
    let parts: Vec<&str> = t.split(['/', '.']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let (a, b, y): (i8, i8, i16) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    if y < 1000 {
        return None;
    }
    Some((Date::new(y, b, a).ok(), Date::new(y, a, b).ok()))
}

/// Both readings, when a slashed date reads as two different dates.
fn ambiguous_slashes(t: &str) -> Option<(String, String)> {
    match slashes(t)? {
        (Some(day_first), Some(month_first)) if day_first != month_first => Some((
            format!(
                "{} ({day_first}, day first)",
                day_first.strftime("%-d %B %Y")
            ),
            format!(
                "{} ({month_first}, month first)",
                month_first.strftime("%B %-d, %Y")
            ),
        )),
        _ => None,
    }
}

fn relative(s: &str, today: Date) -> Option<Date> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (num, unit) = rest.split_at(rest.len().checked_sub(1)?);
    let n: i64 = num.parse().ok()?;
    shift(today, sign * n, unit)
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
    TimeZone::UTC.to_datetime(t).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zone read straight from its file has the rules jiff's own lookup
    /// by name finds: the local one, and one with summer time.
    #[test]
    fn a_zone_read_from_its_file_keeps_its_rules() {
        let mut pairs = vec![(local_zone(), TimeZone::system())];
        if let (Some(file), Ok(named)) = (
            zone_file("/usr/share/zoneinfo/Europe/Berlin"),
            TimeZone::get("Europe/Berlin"),
        ) {
            pairs.push((file, named));
        }
        for (read, looked_up) in pairs {
            // Winter and summer, past and future.
            for secs in [
                0,
                1_700_000_000,
                1_720_000_000,
                1_735_000_000,
                2_000_000_000,
            ] {
                let t = Timestamp::from_second(secs).unwrap();
                assert_eq!(read.to_offset(t), looked_up.to_offset(t), "at {t}");
            }
        }
    }

    proptest::proptest! {
        /// The fast reader of the canonical form gives the general parser's
        /// answer whenever it gives one, and gives one for every valid
        /// canonical time but a leap second.
        #[test]
        fn the_fast_time_reader_agrees_with_jiff(
            y in 0i64..10_000, m in 0i64..14, d in 0i64..33,
            h in 0i64..26, mi in 0i64..62, sec in 0i64..62,
        ) {
            let s = format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{sec:02}Z");
            let general = s.parse::<Timestamp>().ok();
            match fast_at(&s) {
                Some(t) => proptest::prop_assert_eq!(Some(t), general, "{}", s),
                None => proptest::prop_assert!(general.is_none() || sec == 60, "{}", s),
            }
            proptest::prop_assert_eq!(parse_at(&s), general);
        }

        /// Bytes next to the digits (`/` and `:`), or anything else where a
        /// digit belongs, are never read as digits.
        #[test]
        fn the_fast_time_reader_takes_only_digits(
            s in "[0-9/:a ]{4}-[0-9/:]{2}-[0-9/:]{2}T[0-9/:]{2}:[0-9/:]{2}:[0-9/:]{2}Z",
        ) {
            let general = s.parse::<Timestamp>().ok();
            if let Some(t) = fast_at(&s) {
                proptest::prop_assert_eq!(Some(t), general, "{}", s);
            }
            proptest::prop_assert_eq!(parse_at(&s), general);
        }
    }

    #[test]
    fn the_fast_time_reader_leaves_other_forms_to_jiff() {
        for s in [
            "2026-11-28T09:15:40.5Z",
            "2026-11-28T09:15:40+01:00",
            "2026-11-28 09:15:40Z",
            "2026-11-28T09:15:60Z",
            "2024-02-29T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "+002026-11-28T09:15:40Z",
        ] {
            assert_eq!(parse_at(s), s.parse::<Timestamp>().ok(), "{s}");
        }
        assert!(fast_at("2024-02-29T00:00:00Z").is_some());
        assert!(fast_at("2023-02-29T00:00:00Z").is_none());
    }

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
    fn dates_people_type() {
        // 2026-11-27 is a Friday.
        let base: Date = "2026-11-27".parse().unwrap();
        let p = |s: &str| parse_in(s, base).map(|d| d.to_string());
        assert_eq!(p("today").unwrap(), "2026-11-27");
        assert_eq!(p("yesterday").unwrap(), "2026-11-26");
        assert_eq!(p("tomorrow").unwrap(), "2026-11-28");
        assert_eq!(p("-1w").unwrap(), "2026-11-20");
        assert_eq!(p("in 3 days").unwrap(), "2026-11-30");
        assert_eq!(p("in 2 weeks").unwrap(), "2026-12-11");
        assert_eq!(p("2 days ago").unwrap(), "2026-11-25");
        assert_eq!(p("friday").unwrap(), "2026-12-04");
        assert_eq!(p("next friday").unwrap(), "2026-12-04");
        assert_eq!(p("mon").unwrap(), "2026-11-30");
        assert_eq!(p("last tuesday").unwrap(), "2026-11-24");
        assert_eq!(p("eom").unwrap(), "2026-11-30");
        assert_eq!(p("25/12/2026").unwrap(), "2026-12-25");
        assert_eq!(p("05/05/2026").unwrap(), "2026-05-05");
        assert!(p("12/03/2026").is_none());
        assert!(p("frobday").is_none());
        assert!(p("in 3 parsecs").is_none());
        let both = ambiguous_slashes("12/03/2026").unwrap();
        assert_eq!(both.0, "12 March 2026 (2026-03-12, day first)");
        assert_eq!(both.1, "December 3, 2026 (2026-12-03, month first)");
    }

    #[test]
    fn stamps_to_the_second() {
        let t: Timestamp = "2026-11-27T10:02:11.123Z".parse().unwrap();
        assert_eq!(stamp(t), "2026-11-27T10:02:11Z");
    }
}
