//! stub
use super::{Ctx, Exit};
use crate::cli::Audience;
pub fn pipeline(_ctx: &Ctx, _a: Option<String>) -> anyhow::Result<Exit> { anyhow::bail!("todo") }
pub fn personas(_ctx: &Ctx) -> anyhow::Result<Exit> { anyhow::bail!("todo") }
pub fn insights(_ctx: &Ctx, _a: Option<Audience>, _s: Option<String>) -> anyhow::Result<Exit> { anyhow::bail!("todo") }
