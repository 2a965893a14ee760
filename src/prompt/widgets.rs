//! The prompts themselves, drawn with `console`: a select, a line and a
//! yes/no. Drawn here rather than by dialoguer so that every exit path
//! restores the cursor, a wrapped question is cleared whole, and the keys a
//! rep expects work (a letter jumps, Esc skips, ← goes back).

use super::Interrupted;
use console::{Key, Term, measure_text_width};
use std::io;

/// What a rep did at a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Got<T> {
    /// An answer.
    Value(T),
    /// Esc (or Enter on an empty line): leave it.
    Skip,
    /// ← : back to the previous question.
    Back,
}

/// Shows the cursor again when dropped, whatever the exit path.
struct CursorGuard<'a>(&'a Term);

impl Drop for CursorGuard<'_> {
    fn drop(&mut self) {
        let _ = self.0.show_cursor();
        let _ = self.0.flush();
    }
}

/// The lines a prompt has drawn, so a redraw clears all of them, wrapped or not.
struct Screen {
    term: Term,
    rows: usize,
}

impl Screen {
    fn new() -> Screen {
        Screen {
            term: Term::stderr(),
            rows: 0,
        }
    }

    fn width(&self) -> usize {
        usize::from(self.term.size().1).max(10)
    }

    fn clear(&mut self) -> io::Result<()> {
        if self.rows > 1 {
            self.term.move_cursor_up(self.rows - 1)?;
        }
        if self.rows > 0 {
            self.term.write_str("\r")?;
            self.term.clear_to_end_of_screen()?;
        }
        self.rows = 0;
        Ok(())
    }

    fn draw(&mut self, text: &str) -> io::Result<()> {
        self.clear()?;
        self.term.write_str(text)?;
        self.rows = rows_of(text, self.width());
        self.term.flush()
    }

    /// Replaces the prompt with its settled line.
    fn finish(&mut self, text: &str) -> io::Result<()> {
        self.clear()?;
        self.term.write_line(text)?;
        self.term.flush()
    }

    fn key(&self) -> anyhow::Result<Key> {
        // The raw read returns Ctrl-C as a key (the plain one raises SIGINT,
        // which would exit before the walk commits).
        match self.term.read_key_raw() {
            Ok(Key::CtrlC) => Err(Interrupted.into()),
            Ok(k) => Ok(k),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(Interrupted.into()),
            Err(e) => Err(anyhow::anyhow!(
                "could not prompt: {e}\nhint: use --no-input, or the commands answer and decide"
            )),
        }
    }
}

/// Terminal rows that `text` takes at `width` columns.
pub fn rows_of(text: &str, width: usize) -> usize {
    text.split('\n')
        .map(|l| measure_text_width(l).div_ceil(width).max(1))
        .sum()
}

fn paint(code: &str, s: &str) -> String {
    if crate::output::stderr_color() {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn asking(prompt: &str) -> String {
    format!("{} {prompt}", paint("33;1", "?"))
}

fn settled(prompt: &str, answer: &str) -> String {
    format!("{} {prompt} · {answer}", paint("32", "✔"))
}

/// Cuts a line to `width` columns with `…`, so an option never wraps.
fn fit(s: &str, width: usize) -> String {
    if measure_text_width(s) <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A pick from a list. A letter jumps to the next option starting with it.
pub fn select(
    prompt: &str,
    items: &[&str],
    default: usize,
    back: bool,
) -> anyhow::Result<Got<usize>> {
    let mut s = Screen::new();
    s.term.hide_cursor()?;
    let _guard = CursorGuard(&Term::stderr());
    let mut at = default.min(items.len().saturating_sub(1));
    loop {
        let w = s.width();
        let mut text = asking(prompt);
        for (i, item) in items.iter().enumerate() {
            let mark = if i == at { "❯ " } else { "  " };
            let line = fit(&format!("{mark}{item}"), w);
            text.push('\n');
            text.push_str(&if i == at { paint("36", &line) } else { line });
        }
        s.draw(&text)?;
        match s.key()? {
            Key::ArrowDown | Key::Tab | Key::Char('j') if !items.is_empty() => {
                at = (at + 1) % items.len()
            }
            Key::ArrowUp | Key::BackTab | Key::Char('k') if !items.is_empty() => {
                at = (at + items.len() - 1) % items.len()
            }
            Key::Enter | Key::Char(' ') => {
                s.finish(&settled(prompt, items.get(at).copied().unwrap_or("")))?;
                return Ok(Got::Value(at));
            }
            Key::Escape => {
                s.finish(&settled(prompt, "skipped"))?;
                return Ok(Got::Skip);
            }
            Key::ArrowLeft | Key::Backspace if back => {
                s.finish(&settled(prompt, "back"))?;
                return Ok(Got::Back);
            }
            Key::Char(c) if c.is_alphanumeric() => {
                if let Some(i) = jump(items, at, c) {
                    at = i;
                }
            }
            _ => {}
        }
    }
}

/// The next option after `at` (wrapping) whose text starts with `c`.
pub fn jump(items: &[&str], at: usize, c: char) -> Option<usize> {
    let n = items.len();
    let c = c.to_lowercase().to_string();
    (1..=n)
        .map(|k| (at + k) % n)
        .find(|&i| items[i].to_lowercase().starts_with(&c))
}

/// A line of text. Enter on an empty line takes `default` (or skips when
/// there is none), Esc skips, ← on an empty line goes back. `check` is asked
/// about every non-empty answer; its message is shown and the line asked again.
pub fn line(
    prompt: &str,
    default: &str,
    back: bool,
    check: &dyn Fn(&str) -> Result<(), String>,
) -> anyhow::Result<Got<String>> {
    let mut s = Screen::new();
    let _guard = CursorGuard(&Term::stderr());
    let head = if default.is_empty() {
        format!("{} › ", asking(prompt))
    } else {
        format!("{} ({default}) › ", asking(prompt))
    };
    let mut buf = String::new();
    let mut error: Option<String> = None;
    loop {
        let text = match &error {
            Some(e) => format!("{} {e}\n{head}{buf}", paint("31", "✘")),
            None => format!("{head}{buf}"),
        };
        s.draw(&text)?;
        match s.key()? {
            Key::Char(c) if !c.is_control() => buf.push(c),
            Key::Backspace => {
                buf.pop();
            }
            Key::Escape => {
                s.finish(&settled(prompt, "skipped"))?;
                return Ok(Got::Skip);
            }
            Key::ArrowLeft if back && buf.is_empty() => {
                s.finish(&settled(prompt, "back"))?;
                return Ok(Got::Back);
            }
            Key::Enter => {
                let answer = if buf.trim().is_empty() {
                    default.to_string()
                } else {
                    buf.clone()
                };
                if answer.trim().is_empty() {
                    s.finish(&settled(prompt, ""))?;
                    return Ok(Got::Skip);
                }
                match check(&answer) {
                    Ok(()) => {
                        s.finish(&settled(prompt, &answer))?;
                        return Ok(Got::Value(answer));
                    }
                    Err(e) => error = Some(e),
                }
            }
            _ => {}
        }
    }
}

/// A yes/no question: `y` or `n` answers at once, Enter takes the default.
pub fn confirm(prompt: &str, default: bool) -> anyhow::Result<bool> {
    let mut s = Screen::new();
    s.term.hide_cursor()?;
    let _guard = CursorGuard(&Term::stderr());
    let hint = if default { "(Y/n)" } else { "(y/N)" };
    loop {
        s.draw(&format!("{} {hint} › ", asking(prompt)))?;
        let answer = match s.key()? {
            Key::Char('y' | 'Y') => true,
            Key::Char('n' | 'N') | Key::Escape => false,
            Key::Enter => default,
            _ => continue,
        };
        s.finish(&settled(prompt, if answer { "yes" } else { "no" }))?;
        return Ok(answer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_are_counted() {
        assert_eq!(rows_of("abc", 80), 1);
        assert_eq!(rows_of("", 80), 1);
        assert_eq!(rows_of(&"x".repeat(80), 80), 1);
        assert_eq!(rows_of(&"x".repeat(81), 80), 2);
        assert_eq!(rows_of("a\nb", 80), 2);
    }

    #[test]
    fn letters_jump_to_options() {
        let items = ["yes", "not yet", "later", "no"];
        assert_eq!(jump(&items, 0, 'l'), Some(2));
        assert_eq!(jump(&items, 0, 'N'), Some(1));
        assert_eq!(jump(&items, 1, 'n'), Some(3));
        assert_eq!(jump(&items, 0, 'z'), None);
    }
}
