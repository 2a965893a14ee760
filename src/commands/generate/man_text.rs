//! The man page sections clap does not know: exit status, environment,
//! files, examples and cross references, as roff.

/// `-` is a hyphen in roff unless escaped; a leading `.` or `'` would be a
/// request.
fn esc(s: &str) -> String {
    let s = s.replace('\\', "\\\\").replace('-', "\\-");
    if s.starts_with('.') || s.starts_with('\'') {
        format!("\\&{s}")
    } else {
        s
    }
}

/// A tagged paragraph list: `.TP`, the tag in bold, the text.
fn list(out: &mut String, title: &str, entries: &[(&str, &str)]) {
    if title.contains(' ') {
        out.push_str(&format!(".SH \"{title}\"\n"));
    } else {
        out.push_str(&format!(".SH {title}\n"));
    }
    for (tag, text) in entries {
        out.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", esc(tag), esc(text)));
    }
}

const EXIT: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "The operation failed or found problems: validate or fmt --check found something, a record could not be read (read commands print the rest first), a git commit failed (the record stays saved).",
    ),
    (
        "2",
        "Usage error: a bad flag or value, an unsupported --format, an unknown or ambiguous prospect.",
    ),
    (
        "130",
        "Interrupted (Ctrl-C); at most the answer being typed is lost.",
    ),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "SALESPROC_DIR",
        "The pipeline folder, when --dir is not given. It must hold salesproc.yaml.",
    ),
    (
        "SALESPROC_USER",
        "Who is acting, recorded in history (default: git's user.name, then owner in salesproc.yaml, then $USER).",
    ),
    (
        "SALESPROC_NO_INDEX",
        "Set to 1 to bypass the summary index in .salesproc/ and read every record.",
    ),
    (
        "SALESPROC_LOCK_TIMEOUT",
        "Seconds a write waits for another writer's lock (default 30).",
    ),
    (
        "SALESPROC_NOW",
        "An RFC 3339 time to use as now, for tests and for replaying history.",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no colour (unless --color always).",
    ),
    (
        "CLICOLOR, CLICOLOR_FORCE, TERM",
        "CLICOLOR=0 or TERM=dumb turns colour off; CLICOLOR_FORCE=1 turns it on even when the output is not a terminal.",
    ),
    (
        "PAGER",
        "The pager for long output (show, log, insights) on a terminal; default less -FRX. An empty PAGER or --no-pager prints directly.",
    ),
    ("VISUAL, EDITOR", "The editor edit opens, VISUAL first."),
    (
        "COMPLETE",
        "Set by the shell's completion script (COMPLETE=bash salesproc -- WORDS) to ask for completions.",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "salesproc.yaml",
        "Marks the pipeline folder; optional settings owner and commit.",
    ),
    (
        "checklists/",
        "Optional: process.yaml and one checklist per step, overriding the built-in process.",
    ),
    (
        "prospects/ID.yaml",
        "One record per prospect; the file stem is its id.",
    ),
    (
        ".gitattributes",
        "prospects/*.yaml merge=salesproc: the merge driver for records.",
    ),
    (
        ".salesproc.lock",
        "The folder's write lock (ignored by git).",
    ),
    (
        ".salesproc/index, .salesproc/lookup",
        "The per-clone summary index (a cache; ignored by git).",
    ),
    (
        ".salesproc/hooks/on-change, .salesproc/hooks/on-decide",
        "Executables run after a write, with the event and the record as JSON on stdin.",
    ),
    (
        "~/.local/share/salesproc",
        "The per-user default folder ($XDG_DATA_HOME/salesproc), created on first write.",
    ),
];

/// Examples of each command; the main page takes `None`.
fn examples(sub: Option<&str>) -> &'static [(&'static str, &'static str)] {
    match sub {
        None => &[
            (
                "salesproc init sales && cd sales",
                "Start a pipeline folder, a git repository.",
            ),
            (
                "salesproc next \"Acme Corp\"",
                "Create a prospect and walk its first step.",
            ),
            ("salesproc list --due", "What needs a follow-up today."),
            ("salesproc pipeline", "The funnel."),
        ],
        Some("init") => &[(
            "salesproc init sales",
            "A new folder sales/ with git and the merge driver.",
        )],
        Some("add") => &[(
            "salesproc add \"Acme Corp\" --contact \"Jane Doe\" --owner sam",
            "Prints the new id, acme-corp.",
        )],
        Some("next") => &[("salesproc next acme", "Walk Acme's current step.")],
        Some("show") => &[
            ("salesproc show acme", "Every step, answer and decision."),
            (
                "salesproc show acme --format json | jq .status",
                "One field, for a script.",
            ),
        ],
        Some("list") => &[
            (
                "salesproc list --stage propose --owner sam",
                "Sam's deals in Propose.",
            ),
            (
                "salesproc list --stale --format ids",
                "Ids of stale deals, one a line.",
            ),
        ],
        Some("answer") => &[
            (
                "salesproc answer acme industry Logistics",
                "Answer an item of the current step.",
            ),
            (
                "salesproc answer acme qualify/role-in-decision champion",
                "An item of another step.",
            ),
        ],
        Some("decide") => &[
            ("salesproc decide acme yes", "Advance to the next step."),
            (
                "salesproc list --stage propose --format ids | salesproc decide - later --why \"fiscal year\" --revisit 2027-01-15",
                "Nurture every deal in Propose.",
            ),
        ],
        Some("follow-up") => &[(
            "salesproc follow-up acme +3d Send the security questionnaire",
            "Agree the next step.",
        )],
        Some("insight") => &[
            (
                "salesproc insight acme --for product Needs SSO with Okta",
                "Capture what the customer said.",
            ),
            (
                "pbpaste | salesproc insight acme --for product -",
                "The text from stdin.",
            ),
        ],
        Some("log") => &[("salesproc log acme", "The history, oldest first.")],
        Some("edit") => &[(
            "EDITOR=vim salesproc edit acme",
            "Edit the file; it is validated on save.",
        )],
        Some("pipeline") => &[
            ("salesproc pipeline", "The funnel today."),
            (
                "salesproc pipeline --as-of 2026-06-30",
                "As it stood at the end of June.",
            ),
        ],
        Some("personas") => &[("salesproc personas --format csv", "Market fit as CSV.")],
        Some("insights") => &[(
            "salesproc insights --for product --since 2026-10-01 --format markdown",
            "A document for the product team.",
        )],
        Some("checklist") => &[(
            "salesproc checklist qualify --format markdown",
            "One step, printable.",
        )],
        Some("validate") => &[
            (
                "salesproc validate",
                "Check everything; exit 1 on any problem.",
            ),
            (
                "salesproc validate prospects/acme.yaml",
                "One file, as a pre-commit hook does.",
            ),
        ],
        Some("fmt") => &[
            ("salesproc fmt", "Rewrite every record canonically."),
            (
                "salesproc fmt --check prospects/acme.yaml",
                "List it if it is not canonical; exit 1.",
            ),
        ],
        Some("merge-file") => &[(
            "git config merge.salesproc.driver \"salesproc merge-file %O %A %B\"",
            "What init sets up.",
        )],
        Some("schema") => &[(
            "salesproc schema record > schemas/record.schema.json",
            "The record schema of this folder's process, for an editor.",
        )],
        Some("completions") => &[("source <(salesproc completions bash)", "In ~/.bashrc.")],
        Some("man") => &[(
            "salesproc man --out-dir ~/.local/share/man/man1",
            "Install every page.",
        )],
        Some(_) => &[],
    }
}

/// The sections after clap's, as roff.
pub fn sections(sub: Option<&str>, see_also: &[String]) -> String {
    let mut out = String::new();
    list(&mut out, "EXIT STATUS", EXIT);
    list(&mut out, "ENVIRONMENT", ENVIRONMENT);
    list(&mut out, "FILES", FILES);
    let ex = examples(sub);
    if !ex.is_empty() {
        out.push_str(".SH EXAMPLES\n");
        for (command, what) in ex {
            out.push_str(&format!(
                ".PP\n{}\n.RS 4\n.nf\n{}\n.fi\n.RE\n",
                esc(what),
                esc(command)
            ));
        }
    }
    out.push_str(".SH \"SEE ALSO\"\n");
    let refs: Vec<String> = see_also
        .iter()
        .map(|p| format!("\\fB{}\\fR(1)", esc(p)))
        .chain(["\\fBgit\\fR(1)".to_string()])
        .collect();
    out.push_str(&refs.join(", "));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_is_escaped() {
        assert_eq!(esc("--dir"), "\\-\\-dir");
        assert_eq!(esc(".salesproc/"), "\\&.salesproc/");
        let s = sections(Some("fmt"), &["salesproc".into()]);
        assert!(s.contains(".SH EXAMPLES\n"));
        assert!(s.contains("\\fBsalesproc\\fR(1), \\fBgit\\fR(1)"));
    }
}
