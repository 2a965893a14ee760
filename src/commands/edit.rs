//! stub
use super::{Ctx, Exit};
pub fn run(_ctx: &Ctx, _p: &str) -> anyhow::Result<Exit> { anyhow::bail!("todo") }
