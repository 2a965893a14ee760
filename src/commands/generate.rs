//! `salesproc completions SHELL` and `salesproc man`, from the clap definitions.

use super::Exit;
use crate::output;
use anyhow::{Context, Result};
use clap_complete::env::EnvCompleter;
use std::path::Path;

mod man_text;

/// Prints the shell's registration for dynamic completion: a small script
/// that asks `salesproc` itself (`COMPLETE=SHELL salesproc -- WORDS…`) at
/// every `<TAB>`, so prospect ids, steps, items and owners come from the
/// folder. The same text as `COMPLETE=SHELL salesproc`.
pub fn completions(shell: clap_complete::Shell) -> Result<Exit> {
    use clap_complete::{Shell, env};
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &env::Bash,
        Shell::Elvish => &env::Elvish,
        Shell::Fish => &env::Fish,
        Shell::PowerShell => &env::Powershell,
        Shell::Zsh => &env::Zsh,
        _ => anyhow::bail!("no completion for {shell}"),
    };
    let mut buf = Vec::new();
    completer.write_registration("COMPLETE", "salesproc", "salesproc", &program(), &mut buf)?;
    output::print(&String::from_utf8_lossy(&buf))?;
    Ok(Exit::Success)
}

/// How the shell should call this program back: as it was called, made
/// absolute when it was called by a relative path.
fn program() -> String {
    let arg0 = std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "salesproc".into());
    let path = if arg0.components().count() > 1 && arg0.is_relative() {
        std::env::current_dir()
            .map(|d| d.join(&arg0))
            .unwrap_or(arg0)
    } else {
        arg0
    };
    path.to_string_lossy().into_owned()
}

/// Prints the main man page, or writes a page per command into `out_dir`.
pub fn man(out_dir: Option<&Path>) -> Result<Exit> {
    use clap::CommandFactory;
    let mut cmd = crate::cli::Cli::command().disable_help_subcommand(true);
    cmd.build();
    let Some(dir) = out_dir else {
        output::print(&String::from_utf8_lossy(&page(&cmd, true)?))?;
        return Ok(Exit::Success);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let mut written = 0;
    let main = dir.join("salesproc.1");
    std::fs::write(&main, page(&cmd, true)?)
        .with_context(|| format!("could not write {}", main.display()))?;
    written += 1;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let path = dir.join(format!("{}.1", name_of(sub)));
        std::fs::write(&path, page(sub, false)?)
            .with_context(|| format!("could not write {}", path.display()))?;
        written += 1;
    }
    output::status(&format!("wrote {written} man pages to {}", dir.display()));
    Ok(Exit::Success)
}

/// `salesproc-next` for `next`.
fn name_of(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string()
}

/// One page: clap_mangen's sections, then EXIT STATUS, ENVIRONMENT, FILES,
/// EXAMPLES and SEE ALSO.
fn page(cmd: &clap::Command, main: bool) -> Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd.clone())
        .title(name_of(cmd).to_uppercase())
        .source(format!("salesproc {}", env!("CARGO_PKG_VERSION")))
        .manual("salesproc manual");
    let mut w = Vec::new();
    man.render_title(&mut w)?;
    man.render_name_section(&mut w)?;
    man.render_synopsis_section(&mut w)?;
    man.render_description_section(&mut w)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut w)?;
    }
    if main {
        man.render_subcommands_section(&mut w)?;
    }
    if cmd.get_after_long_help().is_some() || cmd.get_after_help().is_some() {
        man.render_extra_section(&mut w)?;
    }
    let sub = (!main).then(|| cmd.get_name());
    w.extend_from_slice(man_text::sections(sub, &see_also(cmd, main)).as_bytes());
    if main {
        man.render_version_section(&mut w)?;
    }
    Ok(w)
}

/// The other pages: every command's from the main page, the main page from
/// a command's.
fn see_also(cmd: &clap::Command, main: bool) -> Vec<String> {
    if !main {
        return vec!["salesproc".into()];
    }
    cmd.get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(name_of)
        .collect()
}
