//! stub
use super::{Ctx, Exit};
use std::path::Path;
pub fn run(_ctx: &Ctx, _b: &Path, _o: &Path, _t: &Path) -> anyhow::Result<Exit> { anyhow::bail!("todo") }
