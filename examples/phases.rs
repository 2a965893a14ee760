//! Where a cold read's time goes, one phase at a time, on one core: reading
//! the files, parsing them (the fast reader), summarizing, and encoding the
//! summaries for the index. A developer's tool for the scale work; the
//! numbers are per record, so they compare across folder sizes.
//!
//! ```sh
//! cargo run --release --example phases -- target/scale/100000 [N]
//! ```

use anyhow::{Context, Result};
use salesproc::store::Store;
use salesproc::summary::Summary;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

/// The binary's allocator, so the phases cost what they cost there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().context("usage: phases DIR [N]")?);
    let n: usize = args.next().map_or(Ok(20_000), |s| s.parse())?;
    // As the scan does before parsing thousands of records.
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let store = Store::open_at(&dir, true)?;
    let ids: Vec<String> = store.ids()?.into_iter().take(n).collect();
    let per = |t: Instant| t.elapsed().as_secs_f64() * 1e6 / ids.len() as f64;

    // Read once, as the scan does: open, stat, read; the text kept for the phases below.
    let t = Instant::now();
    let texts: Vec<String> = ids
        .iter()
        .map(|id| {
            let bytes = std::fs::read(store.path_of(id)?)?;
            Ok(String::from_utf8(bytes)?)
        })
        .collect::<Result<_>>()?;
    let read = per(t);

    // Then each record as the scan handles it: parsed, summarized, encoded
    // and dropped before the next, so memory is reused as it is there.
    let (mut parse, mut summarize, mut encode, mut free) = (0.0, 0.0, 0.0, 0.0);
    let mut lap = Instant::now();
    let mut split = |total: &mut f64| {
        let now = Instant::now();
        *total += (now - lap).as_secs_f64();
        lap = now;
    };
    for (id, text) in ids.iter().zip(&texts) {
        let record = salesproc::fastyaml::parse_record(text).context("not canonical")?;
        split(&mut parse);
        let summary = Summary::of(id, &record, &store.process);
        split(&mut summarize);
        let bytes = salesproc::index::encode(&summary, &store.process)?;
        split(&mut encode);
        drop(black_box((record, summary, bytes)));
        split(&mut free);
    }
    // The scan's own path: the history's facts straight from the text.
    let (mut lean, mut lean_summarize, mut lean_free) = (0.0, 0.0, 0.0);
    for (id, text) in ids.iter().zip(&texts) {
        let (record, facts, answers) =
            salesproc::fastyaml::parse_for_summary(text).context("not canonical")?;
        split(&mut lean);
        let summary = Summary::of_facts(id, &record, facts, Some(&answers), &store.process);
        split(&mut lean_summarize);
        drop(black_box((record, summary, answers)));
        split(&mut lean_free);
    }
    let us = |total: f64| total * 1e6 / ids.len() as f64;
    let (lean, lean_summarize, lean_free) = (us(lean), us(lean_summarize), us(lean_free));
    let (parse, summarize, encode, free) = (us(parse), us(summarize), us(encode), us(free));

    let kb = texts.iter().map(String::len).sum::<usize>() as f64 / 1024.0 / ids.len() as f64;
    println!(
        "{} records, {kb:.1} KB each; µs per record on one core:\n\
         read (open, stat, read, UTF-8) {read:.1}, all first\n\
         parse (fast reader)            {parse:.1}\n\
         summarize                      {summarize:.1}\n\
         encode for the index           {encode:.1}\n\
         free the record and summary    {free:.1}\n\
         as the scan reads: parse for a summary {lean:.1}, summarize {lean_summarize:.1}, free {lean_free:.1}",
        ids.len()
    );
    Ok(())
}
