//! `report --html`: one self-contained page (inline CSS and SVG, no script,
//! nothing fetched) that a manager can mail or put on a wiki. Readable in
//! light and dark mode, at phone width and printed on A4.

use super::forecast::{Forecast, amount};
use super::insights::{Group, Tallied};
use super::monthly::Month;
use super::personas::{PersonaItem, best_and_worst};
use super::pipeline::Pipeline;
use super::svg::{self, Bar, Range, esc};
use crate::clock;
use crate::process::{Audience, Process};
use std::fmt::Write as _;

/// What the page shows.
pub struct Page<'a> {
    pub title: &'a str,
    pub process: &'a Process,
    pub pipeline: &'a Pipeline,
    pub months: &'a [Month],
    pub forecast: &'a Forecast,
    /// Per step: open deals and their value.
    pub open_value: &'a [(usize, f64)],
    pub personas: &'a [PersonaItem],
    /// What customers said and the whys, grouped.
    pub voice: &'a Tallied,
}

const CSS: &str = include_str!("report.css");

fn pct(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{:.0}%", v * 100.0))
}

fn days(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{v:.0} d"))
}

/// Renders the page.
pub fn render(p: &Page) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n<header><h1>{}</h1><p class=\"muted\">{} · as of {}</p></header>\n",
        esc(p.title),
        esc(p.title),
        esc(&p.process.name),
        esc(&p.pipeline.as_of)
    );
    tiles(&mut s, p);
    funnel(&mut s, p);
    trends(&mut s, p);
    open_value(&mut s, p);
    forecast(&mut s, p);
    personas(&mut s, p);
    voice(&mut s, p);
    whys(&mut s, p);
    let _ = write!(
        s,
        "<footer class=\"muted\">Made by salesproc from the records' history. No scripts, nothing loaded from the network.</footer>\n</main>\n</body>\n</html>\n"
    );
    s
}

fn tiles(s: &mut String, p: &Page) {
    let r = p.pipeline;
    let open: usize = r.steps.iter().map(|x| x.open).sum();
    let f = &p.forecast.total;
    let money = |v: f64| {
        if p.forecast.values {
            amount(v)
        } else {
            "–".into()
        }
    };
    let tiles = [
        ("open deals", open.to_string()),
        ("won", r.won.to_string()),
        ("lost", r.lost.to_string()),
        ("win rate", pct(r.win_rate)),
        ("median cycle", days(r.median_cycle_days)),
        ("open value", money(f.open_value)),
        ("weighted forecast", money(f.weighted_value)),
    ];
    s.push_str("<section class=\"tiles\">");
    for (k, v) in tiles {
        let _ = write!(
            s,
            "<div class=\"tile\"><b>{}</b><span>{}</span></div>",
            esc(&v),
            esc(k)
        );
    }
    s.push_str("</section>\n");
}

fn title_of(p: &Page, step: &str) -> String {
    p.process
        .step(step)
        .map_or_else(|| step.to_string(), |x| x.checklist.title.clone())
}

fn funnel(s: &mut String, p: &Page) {
    let rows: Vec<Bar> = p
        .pipeline
        .steps
        .iter()
        .map(|f| Bar {
            label: title_of(p, &f.step),
            value: f.reached as f64,
            note: format!("{} reached · {} on", f.reached, pct(f.conversion)),
        })
        .collect();
    let _ = write!(
        s,
        "<section><h2>Funnel by step</h2><p class=\"muted\">How many records ever reached each step, and the share that went on to the next (the last: won).</p>{}</section>",
        svg::bars(
            "funnel-bar",
            "Funnel: records that reached each step",
            &rows
        )
    );
}

fn trends(s: &mut String, p: &Page) {
    let months: Vec<String> = p.months.iter().map(|m| m.month.clone()).collect();
    let rates: Vec<Option<f64>> = p.months.iter().map(|m| m.win_rate).collect();
    let cycles: Vec<Option<f64>> = p.months.iter().map(|m| m.median_cycle_days).collect();
    let max_cycle = cycles.iter().flatten().copied().fold(0.0, f64::max);
    let _ = write!(
        s,
        "<section class=\"pair\"><div><h2>Win rate by month</h2><p class=\"muted\">Won ÷ (won + lost) among the records closed that month.</p>{}</div><div><h2>Cycle time by month</h2><p class=\"muted\">Median days from first contact to the win, of that month's wins.</p>{}</div></section>",
        svg::trend(
            "win-rate",
            "Win rate by month",
            &months,
            &rates,
            1.0,
            &|v| format!("{:.0}%", v * 100.0)
        ),
        svg::trend(
            "cycle",
            "Median cycle days by month",
            &months,
            &cycles,
            max_cycle.max(1.0),
            &|v| format!("{v:.0} d")
        )
    );
}

fn open_value(s: &mut String, p: &Page) {
    let values = p.forecast.values;
    let rows: Vec<Bar> = p
        .process
        .steps
        .iter()
        .zip(p.open_value)
        .filter(|(_, (n, _))| *n > 0)
        .map(|(step, (n, v))| Bar {
            label: step.checklist.title.clone(),
            value: if values { *v } else { *n as f64 },
            note: if values && *v > 0.0 {
                format!("{} · {n} open", amount(*v))
            } else {
                format!("{n} open")
            },
        })
        .collect();
    let what = if values {
        "Open value by step"
    } else {
        "Open deals by step (no values recorded)"
    };
    let _ = write!(s, "<section><h2>{what}</h2>");
    if rows.is_empty() {
        s.push_str("<p>No open deals.</p>");
    } else {
        s.push_str(&svg::bars("value-bar", what, &rows));
    }
    s.push_str("</section>\n");
}

fn forecast(s: &mut String, p: &Page) {
    let f = p.forecast;
    let (unit, mid): (&str, fn(&super::forecast::Period) -> f64) = if f.values {
        ("won value", |x| x.weighted_value)
    } else {
        ("won deals", |x| x.expected_wins)
    };
    let rows: Vec<Range> = f
        .periods
        .iter()
        .map(|x| Range {
            label: x.period.clone(),
            mid: mid(x),
            low: x.won_low,
            high: x.won_high,
        })
        .collect();
    let fmt = |v: f64| {
        if f.values {
            amount(v)
        } else {
            format!("{v:.1}")
        }
    };
    // Short figures in the chart (`177k (144k – 192k)`), so its notes fit a
    // phone's width; the table below has them in full.
    let short = |v: f64| {
        if !f.values {
            format!("{v:.1}")
        } else if v >= 999_500.0 {
            format!("{:.1}M", v / 1_000_000.0)
        } else if v >= 10_000.0 {
            format!("{:.0}k", v / 1000.0)
        } else {
            amount(v)
        }
    };
    let _ = write!(
        s,
        "<section><h2>Forecast</h2><p class=\"muted\">Open deals by expected close month. Bar: the expected {unit}; whisker: the 80% interval. Each deal's chance comes from this folder's own step-to-step conversion (smoothed toward 75% with a prior worth four deals).{}</p>",
        if f.values {
            ""
        } else {
            " No deal has a value: counts only."
        }
    );
    if rows.is_empty() {
        s.push_str("<p>No open deals to forecast.</p>");
    } else {
        s.push_str(&svg::intervals(
            "Forecast by period with 80% interval",
            &rows,
            &short,
        ));
    }
    s.push_str("<div class=\"wide\"><table><thead><tr><th>period</th><th class=\"n\">deals</th>");
    if f.values {
        s.push_str("<th class=\"n\">open value</th><th class=\"n\">weighted</th>");
    }
    let _ = write!(
        s,
        "<th class=\"n\">expected wins</th><th class=\"n\">80% {unit}</th></tr></thead><tbody>"
    );
    for x in f.periods.iter().chain([&f.total]) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"n\">{}</td>",
            esc(&x.period),
            x.deals
        );
        if f.values {
            let _ = write!(
                s,
                "<td class=\"n\">{}</td><td class=\"n\">{}</td>",
                amount(x.open_value),
                amount(x.weighted_value)
            );
        }
        let _ = write!(
            s,
            "<td class=\"n\">{:.1}</td><td class=\"n\">{} – {}</td></tr>",
            x.expected_wins,
            fmt(x.won_low),
            fmt(x.won_high)
        );
    }
    s.push_str("</tbody></table></div></section>\n");
}

fn personas(s: &mut String, p: &Page) {
    s.push_str("<section><h2>Personas: what wins</h2><p class=\"muted\">Per persona question, the answers with the best and the worst win rate (among answers with enough closed deals).</p><table><thead><tr><th>question</th><th>best</th><th>worst</th></tr></thead><tbody>");
    let mut any = false;
    for item in p.personas {
        let Some((best, worst)) = best_and_worst(item) else {
            continue;
        };
        any = true;
        let rate = |v: &str| {
            item.answers
                .iter()
                .find(|a| a.value == v)
                .map_or("".into(), |a| {
                    format!(
                        " <span class=\"muted\">{} ({}/{})</span>",
                        pct(a.win_rate),
                        a.won,
                        a.won + a.lost
                    )
                })
        };
        let _ = write!(
            s,
            "<tr><td>{} <span class=\"muted\">({})</span></td><td class=\"good\">{}{}</td><td class=\"bad\">{}{}</td></tr>",
            esc(&item.persona),
            esc(&title_of(p, &item.step)),
            esc(&best),
            rate(&best),
            esc(&worst),
            rate(&worst)
        );
    }
    if !any {
        s.push_str("<tr><td colspan=\"3\">Not enough closed deals yet.</td></tr>");
    }
    s.push_str("</tbody></table></section>\n");
}

/// The first few prospects of a group, and how many more.
fn names(g: &Group) -> String {
    let mut names = g
        .first
        .iter()
        .map(|n| esc(n))
        .collect::<Vec<_>>()
        .join(", ");
    let more = g.prospects.saturating_sub(g.first.len());
    if more > 0 {
        let _ = write!(names, " and {more} more");
    }
    names
}

fn voice(s: &mut String, p: &Page) {
    s.push_str("<section><h2>Voice of the customer</h2><p class=\"muted\">What customers said, grouped by the team it is for; the same words from several prospects are counted once, most heard first.</p>");
    for a in [Audience::Product, Audience::Marketing, Audience::Sales] {
        let shown: Vec<(&str, &Group)> = p
            .voice
            .heard
            .iter()
            .filter(|x| x.0 == a)
            .map(|(_, g)| (&*g.text, g))
            .collect();
        let said: usize = shown.iter().map(|x| x.1.times).sum();
        let _ = write!(
            s,
            "<h3>For {} <span class=\"muted\">({said} said, {} different)</span></h3>",
            a.name(),
            shown.len()
        );
        if shown.is_empty() {
            s.push_str("<p class=\"muted\">Nothing yet.</p>");
            continue;
        }
        s.push_str("<ul class=\"said\">");
        for (text, g) in shown.iter().take(SAID_SHOWN) {
            let _ = write!(
                s,
                "<li><b>{}</b>{} <span class=\"muted\">— {}; last {}</span></li>",
                esc(text),
                if g.prospects > 1 {
                    format!(" ×{}", g.prospects)
                } else {
                    String::new()
                },
                names(g),
                clock::date_of(g.last)
            );
        }
        if shown.len() > SAID_SHOWN {
            let _ = write!(
                s,
                "<li class=\"muted\">and {} more, each said less often (`salesproc insights` lists them all)</li>",
                shown.len() - SAID_SHOWN
            );
        }
        s.push_str("</ul>");
    }
    s.push_str("</section>\n");
}

/// At most this many distinct things said are listed per team, and this
/// many whys: a page for people, not a dump.
const SAID_SHOWN: usize = 50;

fn whys(s: &mut String, p: &Page) {
    s.push_str("<section><h2>Why later, why no</h2><div class=\"wide\"><table><thead><tr><th>last</th><th>prospects</th><th>step</th><th>decision</th><th>why</th></tr></thead><tbody>");
    for (outcome, step, g) in p.voice.whys.iter().take(SAID_SHOWN) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
            clock::date_of(g.last),
            names(g),
            esc(&title_of(p, step)),
            outcome.name(),
            outcome.name(),
            esc(&g.text)
        );
    }
    if p.voice.whys.len() > SAID_SHOWN {
        let _ = write!(
            s,
            "<tr><td colspan=\"5\" class=\"muted\">and {} more, each given less often (`salesproc insights` lists them all)</td></tr>",
            p.voice.whys.len() - SAID_SHOWN
        );
    }
    if p.voice.whys.is_empty() {
        s.push_str("<tr><td colspan=\"5\">No later or no yet.</td></tr>");
    }
    s.push_str("</tbody></table></div></section>\n");
}
