//! stub
use super::{Ctx, Exit};
pub fn run(_ctx: &Ctx) -> anyhow::Result<Exit> { anyhow::bail!("todo") }
