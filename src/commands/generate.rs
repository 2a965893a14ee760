//! `salesproc completions SHELL` and `salesproc man`, from the clap definitions.

use super::Exit;
use crate::cli::Cli;
use crate::output;
use anyhow::Result;
use clap::CommandFactory;

/// Prints a completion script.
pub fn completions(shell: clap_complete::Shell) -> Result<Exit> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "salesproc", &mut buf);
    output::print(&String::from_utf8_lossy(&buf))?;
    Ok(Exit::Success)
}

/// Prints the man page (roff).
pub fn man() -> Result<Exit> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    output::print(&String::from_utf8_lossy(&buf))?;
    Ok(Exit::Success)
}
