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

/// Turns what a person typed into a value of the item's type, or says why not.
pub fn parse_value(item: &Item, raw: &[String]) -> Result<Value> {
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
            Some(n) => n,
            None => bail!(
                "\"{text}\" is not a number\nhint: {} takes {}",
                item.id,
                expected(item)
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

fn parse_number(text: &str) -> Option<Value> {
    let clean: String = text
        .chars()
        .filter(|c| !matches!(c, '_' | ',' | ' '))
        .collect();
    if let Ok(i) = clean.parse::<i64>() {
        return Some(Value::from(i));
    }
    clean
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(Value::from)
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
