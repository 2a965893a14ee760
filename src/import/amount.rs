//! Money and dates as spreadsheets and CRMs write them.

use jiff::civil::Date;

/// Parses an amount with a known decimal mark (`,` or `.`); `None` guesses
/// as [`parse_amount`] does.
pub fn parse_amount_with(text: &str, decimal: Option<char>) -> Option<f64> {
    match decimal {
        Some(',') => parse_amount(&text.replace('.', "").replacen(',', ".", 1)),
        Some(_) => parse_amount(&text.replace(',', "")),
        None => parse_amount(text),
    }
}

/// Parses an amount: `48000`, `48,000`, `48 000,50`, `€48,000.00`, `USD 1.234,5`.
/// When both `,` and `.` appear, the last one is the decimal point; a lone
/// `,` followed by exactly three digits separates thousands.
pub fn parse_amount(text: &str) -> Option<f64> {
    let t: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-'))
        .collect();
    if t.is_empty() || !t.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    // Anything but digits, separators, spaces and a currency is not an amount.
    if text.chars().any(|c| {
        !(c.is_ascii_digit()
            || c.is_whitespace()
            || matches!(c, ',' | '.' | '-' | '_' | '\'' | '€' | '$' | '£' | '¥')
            || c.is_ascii_uppercase())
    }) {
        return None;
    }
    let (comma, dot) = (t.rfind(','), t.rfind('.'));
    let normal = match (comma, dot) {
        (Some(c), Some(d)) if c > d => t.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => t.replace(',', ""),
        (Some(c), None) => {
            let after = &t[c + 1..];
            if after.len() == 3 || t.matches(',').count() > 1 {
                t.replace(',', "")
            } else {
                t.replace(',', ".")
            }
        }
        _ => t,
    };
    normal.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// An amount as a JSON number: whole amounts stay integers, so they are
/// written as `48000`, not `48000.0`.
pub fn amount_number(x: f64) -> Option<serde_json::Number> {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Some(serde_json::Number::from(x as i64))
    } else {
        serde_json::Number::from_f64((x * 100.0).round() / 100.0)
    }
}

/// Parses a date as exports write it: `2027-03-31`, `2027-03-31 10:00`,
/// `2027-03-31T10:00:00Z`, `2027/03/31`, or with `day_first` `31/03/2027` and
/// `31.03.2027`, else `03/31/2027`.
pub fn parse_date(text: &str, day_first: bool) -> Option<Date> {
    let t = text.trim();
    if t.len() >= 10
        && let Ok(d) = t[..10].replace('/', "-").parse::<Date>()
    {
        return Some(d);
    }
    let head = t.split([' ', 'T']).next()?;
    let parts: Vec<&str> = head.split(['/', '.', '-']).collect();
    if parts.len() != 3 {
        return None;
    }
    let n: Vec<i32> = parts
        .iter()
        .map(|p| p.parse::<i32>().ok())
        .collect::<Option<_>>()?;
    let (y, a, b) = if parts[0].len() == 4 {
        (n[0], n[1], n[2])
    } else {
        let y = if parts[2].len() == 2 {
            2000 + n[2]
        } else {
            n[2]
        };
        if day_first || head.contains('.') {
            (y, n[1], n[0])
        } else {
            (y, n[0], n[1])
        }
    };
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(a).ok()?,
        i8::try_from(b).ok()?,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("48000"), Some(48000.0));
        assert_eq!(parse_amount("48,000"), Some(48000.0));
        assert_eq!(parse_amount("€ 48.000,50"), Some(48000.5));
        assert_eq!(parse_amount("USD 1,234,567.25"), Some(1234567.25));
        assert_eq!(parse_amount("12,5"), Some(12.5));
        assert_eq!(parse_amount("-3"), Some(-3.0));
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("lots"), None);
        assert_eq!(parse_amount_with("1.000", Some(',')), Some(1000.0));
        assert_eq!(parse_amount_with("1.000,5", Some(',')), Some(1000.5));
        assert_eq!(parse_amount_with("1,000", Some('.')), Some(1000.0));
        assert_eq!(
            amount_number(48000.0).unwrap().to_string(),
            "48000".to_string()
        );
        assert_eq!(amount_number(10.5).unwrap().to_string(), "10.5");
    }

    #[test]
    fn dates() {
        let d = |s: &str, f| parse_date(s, f).map(|d| d.to_string());
        assert_eq!(d("2027-03-31", false).as_deref(), Some("2027-03-31"));
        assert_eq!(
            d("2027-03-31 10:00:00", false).as_deref(),
            Some("2027-03-31")
        );
        assert_eq!(
            d("2027-03-31T10:00:00Z", false).as_deref(),
            Some("2027-03-31")
        );
        assert_eq!(d("03/31/2027", false).as_deref(), Some("2027-03-31"));
        assert_eq!(d("31/03/2027", true).as_deref(), Some("2027-03-31"));
        assert_eq!(d("31.03.2027", false).as_deref(), Some("2027-03-31"));
        assert_eq!(d("2027-02-30", false), None);
        assert_eq!(d("soon", false), None);
    }
}
