//! `salesproc report --html FILE`: every report on one self-contained page.

use super::{Ctx, Exit, scan_voice_summaries};
use crate::clock;
use crate::output;
use crate::process::Process;
use crate::prospect::Status;
use crate::report::forecast::{By, Learner, Settings};
use crate::report::html::{self, Page};
use crate::report::insights as voc;
use crate::report::monthly::Monthly;
use crate::report::personas::Fit;
use crate::report::pipeline as funnel;
use crate::store::{show, write_atomic};
use crate::summary::{Summary, Want};
use anyhow::Result;
use std::path::Path;

/// Open deals and their value per step, one record at a time.
struct OpenValue(Vec<(usize, f64)>);

impl OpenValue {
    fn add(&mut self, p: &Process, s: &Summary) {
        let Some(t) = &s.funnel else { return };
        if t.status != Status::Open {
            return;
        }
        if let Some(i) = p.index(&t.stage) {
            self.0[i].0 += 1;
            self.0[i].1 += s.row.value.unwrap_or(0.0);
        }
    }
}

/// `salesproc report --html FILE`
pub fn run(ctx: &Ctx, file: &Path) -> Result<Exit> {
    let store = ctx.store()?;
    let p = &store.process;
    let day = clock::today().to_string();
    let at = funnel::AsOf {
        date: &day,
        cutoff: None,
        now: clock::now(),
    };
    let mut steps = funnel::Funnel::new(p, &at);
    let mut months = Monthly::new(p, None);
    let mut learner = Learner::new(p, None);
    let mut fit = Fit::new(p);
    let filter = voc::Filter {
        audience: None,
        since: None,
    };
    let mut tally = voc::Tally::new(&filter, &store.config.themes).with_heard();
    let mut open = OpenValue(vec![(0, 0.0); p.steps.len()]);
    let want = Want {
        funnel: true,
        personas: true,
        voice: true,
        ..Want::ROWS
    };
    let fold = Some(tally.fold());
    let (_, exit) = scan_voice_summaries(&store, want, fold, |s| {
        steps.add(&s);
        months.add(&s);
        learner.add(&s);
        fit.add(s.row.status, &s.personas);
        open.add(p, &s);
        tally.add(&s);
        None::<()>
    })?;
    let voice = tally.finish();
    let pipeline = steps.finish();
    let month_rows = months.finish();
    let forecast = learner.finish(clock::today(), By::Month, &Settings::default());
    let personas = fit.finish();
    let page = html::render(&Page {
        title: "Pipeline report",
        process: p,
        pipeline: &pipeline,
        months: &month_rows,
        forecast: &forecast,
        open_value: &open.0,
        personas: &personas,
        voice: &voice,
    });
    // `-` is standard output, as for every other file a command takes.
    if file == std::path::Path::new("-") {
        output::print_with(|w| w.write_all(page.as_bytes()))?;
        return Ok(exit);
    }
    write_atomic(file, &page)?;
    output::status(&format!("wrote {}", show(file)));
    Ok(exit)
}
