//! stub
use super::{Ctx, Exit};
pub fn run(_ctx: &Ctx, _c: bool) -> anyhow::Result<Exit> { anyhow::bail!("todo") }
