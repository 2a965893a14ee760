//! Answer values by item type: parsing what a person typed, checking what a
//! file holds, and showing a value as a person reads it.

use crate::clock;
use crate::process::{Item, ItemType};
use anyhow::{Result, bail};
use serde_json::Value;

/// Reads a check answer, whether written as a bool or by hand as yes/no.
pub fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "on" => Some(true),
            "no" | "n" | "false" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Turns what a person typed into a value of the item's type, or says why
/// not (a usage error: exit 2).
pub fn parse_value(item: &Item, raw: &[String]) -> Result<Value> {
    parse_typed(item, raw).map_err(|e| match e.downcast::<crate::commands::UsageError>() {
        Ok(u) => u.into(),
        Err(e) => crate::commands::UsageError(format!("{e:#}")).into(),
    })
}

fn parse_typed(item: &Item, raw: &[String]) -> Result<Value> {
    let joined = raw.join(" ");
    let text = joined.trim();
    if item.kind != ItemType::List && text.is_empty() {
        bail!(
            "no value given for {}\nhint: {} takes {}",
            item.id,
            item.id,
            expected(item)
        );
    }
    Ok(match item.kind {
        ItemType::Check => match as_bool(&Value::String(text.into())) {
            Some(b) => Value::Bool(b),
            None => bail!(
                "\"{text}\" is not yes or no\nhint: {} takes {}",
                item.id,
                expected(item)
            ),
        },
        ItemType::Text => Value::String(joined),
        ItemType::Choice => match item.options.iter().find(|o| o.eq_ignore_ascii_case(text)) {
            Some(o) => Value::String(o.clone()),
            None => bail!(
                "\"{text}\" is not an option of {}\nhint: {} takes {}",
                item.id,
                item.id,
                expected(item)
            ),
        },
        ItemType::Number => match parse_number(text) {
            Ok(n) => n,
            Err(why) => bail!(
                "{why}\nhint: {} takes a number (e.g. 250, 12.5, 48,000, 48k or 1.5M)",
                item.id
            ),
        },
        ItemType::Date => Value::String(clock::parse_user_date(text)?.to_string()),
        ItemType::List => {
            // One argument is a comma list; several are the elements as
            // given, so an element may hold a comma ("Jane Doe, VP Ops").
            let split = raw.len() == 1;
            let parts: Vec<Value> = raw
                .iter()
                .flat_map(|r| {
                    if split {
                        r.split(',').collect::<Vec<_>>()
                    } else {
                        vec![r.as_str()]
                    }
                })
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect();
            if parts.is_empty() {
                bail!(
                    "no value given for {}\nhint: {} takes {}",
                    item.id,
                    item.id,
                    expected(item)
                );
            }
            Value::Array(parts)
        }
    })
}

/// Reads a number or an amount of money as people write it: `48000`,
/// `48,000`, `48 000`, `48k`, `1.5M`, `€48,000`, `12.5`. Anything that could
/// be read two ways (`2,5`, `1.000,50`, `250.000`) is refused with a message
/// saying how to write it, and so is a negative number.
pub fn parse_number(text: &str) -> Result<Value, String> {
    let t = text.trim();
    let t = strip_currency(t);
    if t.starts_with('-') || t.starts_with('−') {
        return Err(format!("\"{text}\" is negative; an amount here cannot be"));
    }
    let t = t.strip_prefix('+').unwrap_or(t).trim();
    let (core, factor) = split_suffix(t);
    let digits = plain_digits(core.trim()).map_err(|why| format!("\"{text}\" {why}"))?;
    let n: f64 = digits
        .parse()
        .ok()
        .filter(|f: &f64| f.is_finite())
        .ok_or_else(|| format!("\"{text}\" is not a number"))?;
    let n = n * factor;
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Ok(Value::from(n as i64))
    } else {
        Ok(Value::from(n))
    }
}

fn strip_currency(t: &str) -> &str {
    let mut t = t.trim();
    for sym in ["€", "$", "£", "EUR", "USD", "GBP", "eur", "usd", "gbp"] {
        t = t.strip_prefix(sym).unwrap_or(t).trim();
        t = t.strip_suffix(sym).unwrap_or(t).trim();
    }
    t
}

fn split_suffix(t: &str) -> (&str, f64) {
    for (suffix, factor) in [("bn", 1e9), ("k", 1e3), ("K", 1e3), ("m", 1e6), ("M", 1e6)] {
        if let Some(core) = t.strip_suffix(suffix)
            && core.ends_with(|c: char| c.is_ascii_digit())
        {
            return (core, factor);
        }
    }
    (t, 1.0)
}

/// The digits with one optional `.` decimal point, or why they are not a
/// number: separators must group thousands by three.
fn plain_digits(core: &str) -> Result<String, &'static str> {
    let grouped = |s: &str, sep: char| {
        let parts: Vec<&str> = s.split(sep).collect();
        parts[0].len() <= 3
            && !parts[0].is_empty()
            && parts[1..].iter().all(|p| p.len() == 3)
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
    };
    let no_spaces: String = core
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_' | '\''))
        .collect();
    if no_spaces != core {
        let spaced: String = core
            .chars()
            .map(|c| {
                if matches!(c, '\u{a0}' | '\u{202f}' | '_' | '\'') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let int = spaced.split('.').next().unwrap_or("");
        if !grouped(int, ' ') {
            return Err("has spaces that do not group thousands");
        }
    }
    let s = no_spaces;
    if s.is_empty() {
        return Err("is not a number");
    }
    let (commas, dots) = (s.matches(',').count(), s.matches('.').count());
    match (commas, dots) {
        (0, 0) => Ok(s),
        (_, 0) if grouped(&s, ',') => Ok(s.replace(',', "")),
        (_, 0) => Err("is ambiguous: is the comma a decimal point? write 2.5 or 2500"),
        (0, 1) => {
            let after = s.split('.').nth(1).unwrap_or("");
            if after.len() == 3 && s.split('.').next().is_some_and(|b| b != "0") {
                Err(
                    "is ambiguous: is the dot a decimal point or a thousands separator? write 250000 or 250",
                )
            } else {
                Ok(s)
            }
        }
        (0, _) if grouped(&s, '.') => Ok(s.replace('.', "")),
        (_, 1) => {
            let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
            if grouped(int, ',') && frac.chars().all(|c| c.is_ascii_digit()) {
                Ok(format!("{}.{frac}", int.replace(',', "")))
            } else {
                Err(
                    "is ambiguous: write it with a dot for decimals and no other separator, e.g. 1000.50",
                )
            }
        }
        _ => Err(
            "is ambiguous: write it with a dot for decimals and no other separator, e.g. 1000.50",
        ),
    }
}

/// Which side of today a date item's answer should fall on: "When was / did
/// …" asks about something that happened.
pub fn expect_of(item: &Item) -> clock::Expect {
    let ask = item.ask.to_lowercase();
    if ask.starts_with("when was") || ask.starts_with("when did") {
        clock::Expect::Past
    } else {
        clock::Expect::Any
    }
}

/// A warning for a date answer on the wrong side of today (a proposal sent
/// next month), or years away.
pub fn date_warning(item: &Item, v: &Value) -> Option<String> {
    if item.kind != ItemType::Date {
        return None;
    }
    let d = clock::parse_iso_date(v.as_str()?)?;
    clock::sanity(d, expect_of(item))
}

/// What an item accepts, as a noun phrase for messages and hints.
pub fn expected(item: &Item) -> String {
    match item.kind {
        ItemType::Check => "yes or no".into(),
        ItemType::Text => "any text".into(),
        ItemType::Choice => format!("one of {}", item.options.join(", ")),
        ItemType::Number => "a number (e.g. 250 or 12.5)".into(),
        ItemType::Date => "a date as YYYY-MM-DD".into(),
        ItemType::List => "one or more values, separated by commas".into(),
    }
}

/// Checks a stored value against the item's type (for `validate`).
pub fn check_value(item: &Item, v: &Value) -> Result<(), String> {
    let ok = match item.kind {
        ItemType::Check => as_bool(v).is_some(),
        ItemType::Text => v.is_string(),
        ItemType::Choice => v
            .as_str()
            .is_some_and(|s| item.options.iter().any(|o| o == s)),
        ItemType::Number => v.is_number(),
        ItemType::Date => v
            .as_str()
            .is_some_and(|s| clock::parse_iso_date(s).is_some()),
        ItemType::List => v
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x.is_string() || x.is_number())),
    };
    if ok || v.is_null() {
        Ok(())
    } else {
        Err(format!(
            "answer to {} must be {}, not {}",
            item.id,
            expected(item),
            short(v)
        ))
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// A value as a person reads it: lists comma-joined, bools as yes/no.
pub fn display_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => {
            if *b {
                "yes".into()
            } else {
                "no".into()
            }
        }
        Value::Array(a) => a.iter().map(display_value).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::Process;
    use serde_json::json;

    #[test]
    fn values_are_checked_by_type() {
        let p = Process::builtin();
        let item = |s: &str| p.item("research", s).unwrap().1.clone();
        let v = |s: &str, raw: &[&str]| {
            parse_value(
                &item(s),
                &raw.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(v("website-reviewed", &["Yes"]).unwrap(), json!(true));
        assert_eq!(v("website-reviewed", &["false"]).unwrap(), json!(false));
        assert!(v("website-reviewed", &["maybe"]).is_err());
        assert_eq!(v("company-size", &["1,200"]).unwrap(), json!(1200));
        assert_eq!(v("company-size", &["12.5"]).unwrap(), json!(12.5));
        assert!(v("company-size", &["lots"]).is_err());
        assert_eq!(v("lead-source", &["Referral"]).unwrap(), json!("referral"));
        let err = v("lead-source", &["radio"]).unwrap_err().to_string();
        assert!(err.contains("referral, inbound"), "{err}");
        let needs = p.item("introduce", "stated-needs").unwrap().1.clone();
        // Several arguments are the elements as given, commas and all; one
        // argument is a comma list.
        assert_eq!(
            parse_value(&needs, &["Jane Doe, VP Ops".into(), "Bob Smith".into()]).unwrap(),
            json!(["Jane Doe, VP Ops", "Bob Smith"])
        );
        assert_eq!(
            parse_value(&needs, &["a, b,c".into()]).unwrap(),
            json!(["a", "b", "c"])
        );
        let date = p.item("introduce", "first-contact").unwrap().1.clone();
        assert_eq!(
            parse_value(&date, &["2026-11-03".into()]).unwrap(),
            json!("2026-11-03")
        );
        assert!(parse_value(&date, &["03/11/2026".into()]).is_err());
    }

    #[test]
    fn money_is_read_as_people_write_it_or_refused() {
        let n = |s: &str| parse_number(s);
        for (text, want) in [
            ("48000", json!(48000)),
            ("48,000", json!(48000)),
            ("48 000", json!(48000)),
            ("48k", json!(48000)),
            ("1.5M", json!(1500000)),
            ("€48,000", json!(48000)),
            ("48,000 EUR", json!(48000)),
            ("$1,234.50", json!(1234.5)),
            ("12.5", json!(12.5)),
            ("0.125", json!(0.125)),
            ("1.000.000", json!(1000000)),
        ] {
            assert_eq!(n(text).unwrap(), want, "{text}");
        }
        for bad in [
            "2,5", "1.000,50", "250.000", "-5000", "48 00", "12,34,5", "lots", "1,5M",
        ] {
            assert!(n(bad).is_err(), "{bad} must be refused");
        }
        assert!(n("2,5").unwrap_err().contains("ambiguous"));
        assert!(n("-5000").unwrap_err().contains("negative"));
    }

    #[test]
    fn stored_values_are_checked_for_validate() {
        let p = Process::builtin();
        let item = |s: &str| p.item("research", s).unwrap().1.clone();
        assert!(
            check_value(&item("website-reviewed"), &json!("YES")).is_ok(),
            "a hand-written yes is fine"
        );
        assert!(
            check_value(&item("company-size"), &json!("many"))
                .unwrap_err()
                .contains("must be a number")
        );
        assert!(
            check_value(&item("lead-source"), &json!("Referral")).is_err(),
            "options are exact in files"
        );
        assert_eq!(display_value(&json!(["a", "b"])), "a, b");
        assert_eq!(display_value(&json!(false)), "no");
    }
}
