//! What one walk did, for its one commit message:
//! `acme-corp: research answered 4, yes → introduce; next step 2026-12-03`.

use std::collections::BTreeSet;

/// The parts of a walk, in order.
#[derive(Debug, Default)]
pub struct Journal {
    parts: Vec<String>,
    step: Option<(String, BTreeSet<String>, Vec<String>)>,
}

impl Journal {
    /// A new step begins.
    pub fn start(&mut self, step: &str) {
        self.flush();
        self.step = Some((step.to_string(), BTreeSet::new(), Vec::new()));
    }

    /// An item of the current step was answered (or changed).
    pub fn answered(&mut self, item: &str) {
        if let Some((_, items, _)) = &mut self.step {
            items.insert(item.to_string());
        }
    }

    /// Something that happened on the current step (`yes → introduce`).
    pub fn note(&mut self, what: &str) {
        if let Some((_, _, notes)) = &mut self.step {
            notes.push(what.to_string());
        } else {
            self.part(what);
        }
    }

    /// A part of its own (`next step 2026-12-03`).
    pub fn part(&mut self, what: &str) {
        self.flush();
        self.parts.push(what.to_string());
    }

    fn flush(&mut self) {
        if let Some((step, items, notes)) = self.step.take() {
            let mut said = Vec::new();
            if !items.is_empty() {
                said.push(format!("answered {}", items.len()));
            }
            said.extend(notes);
            if !said.is_empty() {
                self.parts.push(format!("{step} {}", said.join(", ")));
            }
        }
    }

    /// The commit message, `None` when nothing happened (or it was taken).
    pub fn take_message(&mut self, id: &str) -> Option<String> {
        self.flush();
        let parts = std::mem::take(&mut self.parts);
        (!parts.is_empty()).then(|| format!("{id}: {}", parts.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_reads_as_one_line() {
        let mut j = Journal::default();
        assert_eq!(j.take_message("x"), None);
        j.start("research");
        for i in ["a", "b", "c", "d", "a"] {
            j.answered(i);
        }
        j.note("yes → introduce");
        j.part("next step 2026-12-03");
        j.start("introduce");
        assert_eq!(
            j.take_message("acme-corp").unwrap(),
            "acme-corp: research answered 4, yes → introduce; next step 2026-12-03"
        );
        assert_eq!(j.take_message("acme-corp"), None, "taken once");
    }
}
