//! `salesproc completions SHELL` and `salesproc man`, from the clap definitions.

use super::Exit;
use crate::output;
use anyhow::Result;
use clap_complete::env::EnvCompleter;

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

/// Prints the man page (roff).
pub fn man() -> Result<Exit> {
    use clap::CommandFactory;
    let mut buf = Vec::new();
    clap_mangen::Man::new(crate::cli::Cli::command()).render(&mut buf)?;
    output::print(&String::from_utf8_lossy(&buf))?;
    Ok(Exit::Success)
}
