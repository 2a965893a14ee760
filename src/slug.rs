//! Ids: slugs made from names, safe as file names in `prospects/`.

/// Turns a name into a slug: ASCII letters and digits, words joined by `-`.
/// `Müller & Söhne GmbH` becomes `muller-sohne-gmbh`.
pub fn slugify(name: &str) -> String {
    // Every space and control character separates words, even one that
    // transliterates to nothing (U+0085, a next-line, would join them).
    let spaced: String = name
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let ascii = deunicode::deunicode(&spaced).to_lowercase();
    let mut out = String::new();
    let mut dash = false;
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(ch);
        } else if ch != '\'' {
            dash = true;
        }
    }
    out.truncate(80);
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// True when `s` is a valid id: `[a-z0-9][a-z0-9-]*`.
pub fn is_slug(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The first of `base`, `base-2`, `base-3`, … that `taken` does not hold.
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken(c))
        .expect("an unbounded range finds a free id")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_names() {
        assert_eq!(slugify("Müller & Söhne GmbH"), "muller-sohne-gmbh");
        assert_eq!(slugify("Acme Corp"), "acme-corp");
        // Names over several lines, or with any space or control between words.
        for sep in [
            "\n", "\r\n", "\t", "\u{85}", "\u{2028}", "\u{a0}", "\u{3000}", "\u{1}",
        ] {
            assert_eq!(slugify(&format!("Acme{sep}Corp")), "acme-corp", "{sep:?}");
        }
        assert_eq!(slugify("  O'Brien's   Bikes!! "), "obriens-bikes");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("東京"), "dong-jing");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn checks_slugs() {
        assert!(is_slug("acme-corp"));
        assert!(is_slug("3m"));
        assert!(!is_slug("-acme"));
        assert!(!is_slug("Acme"));
        assert!(!is_slug("a/b"));
        assert!(!is_slug(".."));
        assert!(!is_slug(""));
    }

    #[test]
    fn appends_a_number_when_taken() {
        let taken = ["acme", "acme-2"];
        assert_eq!(unique("acme", |c| taken.contains(&c)), "acme-3");
        assert_eq!(unique("beta", |c| taken.contains(&c)), "beta");
    }
}
