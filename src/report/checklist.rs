//! The process as a printable checklist: the seed's "download the sales
//! process checklist".

use crate::process::{ItemType, Process, Step};
use std::fmt::Write as _;

/// The process as a markdown checklist (`- [ ]` lines), for printing.
pub fn to_markdown(p: &Process, only: Option<&str>) -> String {
    let mut out = String::new();
    if only.is_none() {
        let _ = writeln!(out, "# {}\n", p.name);
    }
    let mut n = 0;
    for phase in &p.phases {
        let steps: Vec<&Step> = p.steps.iter().filter(|s| s.phase == phase.id).collect();
        if only.is_none() {
            let _ = writeln!(out, "## {}\n", phase.title);
            if let Some(purpose) = &phase.purpose {
                let _ = writeln!(out, "{purpose}\n");
            }
        }
        for step in steps {
            n += 1;
            if only.is_some_and(|o| o != step.id) {
                continue;
            }
            let c = &step.checklist;
            let _ = writeln!(out, "### {n}. {}\n\n_{}_\n", c.title, c.purpose);
            for item in &c.items {
                let mut line = format!("- [ ] {}", item.ask);
                if item.required {
                    line.push_str(" **(required)**");
                }
                match item.kind {
                    ItemType::Choice => line.push_str(&format!(" ({})", item.options.join(" / "))),
                    ItemType::Check | ItemType::Text => {}
                    k => line.push_str(&format!(" ({})", k.name())),
                }
                let _ = writeln!(out, "{line}");
                if let Some(help) = &item.help {
                    let _ = writeln!(out, "  - _{help}_");
                }
            }
            let _ = writeln!(
                out,
                "- [ ] **Decision:** yes / no / later, and why\n- [ ] **Next step** agreed, with a date\n"
            );
        }
    }
    out
}
