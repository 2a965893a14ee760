//! Writes N realistic prospect records into a pipeline folder, for benchmarks
//! and load tests. Deterministic: the same `--seed` gives byte-identical files.
//!
//! ```sh
//! cargo run --release --example generate -- --count 100000 target/scale/100000 [--seed 7]
//! ```
//!
//! Every record is built through the tool's own step machine (`salesproc::flow`)
//! and rendered by `Store::render`, so it is exactly what `salesproc` itself
//! would write: a funnel of open, nurturing, won and lost deals over eight
//! owners, with nurture loops (`later`, reopened, continued), answers of each
//! item's type, whys, follow-ups and insights, histories of 1–24 months that
//! end before 2026-11-30. Nothing is committed to git; records are written
//! with a plain `fs::write` (a generator needs no atomicity), on every core.

use anyhow::{Context, Result, bail};
use salesproc::flow::{self, Actor};
use salesproc::process::{Audience, ItemType, Process};
use salesproc::prospect::{Contact, Outcome, Record, Status};
use salesproc::store::{MARKER, MARKER_TEXT, Store};
use serde_json::Value;
use std::fs;
use std::path::PathBuf;
use std::time::Instant;

const USAGE: &str = "usage: generate --count N DIR [--seed S]\n\
writes N deterministic, realistic prospect records into DIR/prospects (a\n\
pipeline folder is created there if missing; nothing is committed)";

fn main() {
    if let Err(e) = run() {
        eprintln!("generate: {e:#}");
        std::process::exit(1);
    }
}

struct Args {
    count: usize,
    dir: PathBuf,
    seed: u64,
}

fn parse_args() -> Result<Args> {
    let mut count = None;
    let mut dir = None;
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .with_context(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            "--count" | "-n" => count = Some(value("--count")?.parse().context("--count")?),
            "--seed" => seed = value("--seed")?.parse().context("--seed")?,
            s if s.starts_with('-') => bail!("unknown option {s}\n{USAGE}"),
            s if dir.is_none() => dir = Some(PathBuf::from(s)),
            s => bail!("unexpected argument {s}\n{USAGE}"),
        }
    }
    Ok(Args {
        count: count.with_context(|| format!("--count is required\n{USAGE}"))?,
        dir: dir.with_context(|| format!("DIR is required\n{USAGE}"))?,
        seed,
    })
}

fn run() -> Result<()> {
    let args = parse_args()?;
    let started = Instant::now();
    fs::create_dir_all(args.dir.join("prospects"))
        .with_context(|| format!("could not create {}", args.dir.display()))?;
    let marker = args.dir.join(MARKER);
    if !marker.exists() {
        fs::write(&marker, MARKER_TEXT)?;
    }
    let store = Store::open_at(&args.dir, true)?;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(16);
    let chunk = args.count.div_ceil(threads).max(1);
    let names = Names::new(args.seed);
    let tallies: Vec<Result<Tally>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..args.count)
            .step_by(chunk)
            .map(|lo| {
                let hi = (lo + chunk).min(args.count);
                let (store, names, seed) = (&store, &names, args.seed);
                s.spawn(move || write_range(store, names, seed, lo..hi))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a writer thread panicked"))
            .collect()
    });
    let mut total = Tally::default();
    for t in tallies {
        total.add(&t?);
    }
    eprintln!(
        "generate: {} records ({} KiB, {} open, {} nurturing, {} won, {} lost) in {} in {:.2} s",
        args.count,
        total.bytes / 1024,
        total.status[0],
        total.status[1],
        total.status[2],
        total.status[3],
        args.dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[derive(Default)]
struct Tally {
    bytes: usize,
    status: [usize; 4],
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.bytes += o.bytes;
        for i in 0..4 {
            self.status[i] += o.status[i];
        }
    }
}

fn write_range(
    store: &Store,
    names: &Names,
    seed: u64,
    range: std::ops::Range<usize>,
) -> Result<Tally> {
    let dir = store.prospects_dir();
    let mut tally = Tally::default();
    for i in range {
        let (id, mut record) = generate(&store.process, names, seed, i);
        let text = store.render(&mut record)?;
        let path = dir.join(format!("{id}.yaml"));
        fs::write(&path, &text).with_context(|| format!("could not write {}", path.display()))?;
        tally.bytes += text.len();
        tally.status[record.status as usize] += 1;
    }
    Ok(tally)
}

// ---------------------------------------------------------------- randomness

/// splitmix64: small, fast, and good enough for test data.
struct Rng(u64);

impl Rng {
    fn for_record(seed: u64, i: usize) -> Rng {
        let mut r = Rng(seed ^ 0x5eed_5a1e_5000_0000);
        r.0 =
            r.0.wrapping_add((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// 0..n
    fn below(&mut self, n: u64) -> u64 {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as u64
    }

    /// lo..=hi
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    /// 1..=max distinct elements, in pool order.
    fn some<'a>(&mut self, xs: &[&'a str], max: usize) -> Vec<&'a str> {
        let n = self.range(1, max.min(xs.len()) as i64) as usize;
        let mut taken = vec![false; xs.len()];
        let mut k = 0;
        while k < n {
            let j = self.below(xs.len() as u64) as usize;
            if !taken[j] {
                taken[j] = true;
                k += 1;
            }
        }
        xs.iter()
            .zip(taken)
            .filter_map(|(x, t)| t.then_some(*x))
            .collect()
    }

    /// Picks from (weight, value) pairs.
    fn weighted<'a, T>(&mut self, xs: &'a [(u32, T)]) -> &'a T {
        let total: u32 = xs.iter().map(|x| x.0).sum();
        let mut r = self.below(total as u64) as u32;
        for (w, v) in xs {
            if r < *w {
                return v;
            }
            r -= w;
        }
        &xs[xs.len() - 1].1
    }
}

// ---------------------------------------------------------------- names

/// Company names: a bijection from the record number onto prefix × core ×
/// suffix (so the first 100,000 names are all different), then a number.
struct Names {
    offset: u64,
}

const PREFIXES: &[&str] = &[
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Blue Harbor",
    "Silver Creek",
    "Red Rock",
    "Granite",
    "Summit",
    "Evergreen",
    "Lakeside",
    "Ironwood",
    "Bright Path",
    "Clearwater",
    "Oakridge",
    "Pinnacle",
    "Riverbend",
    "Stonebridge",
    "Tidewater",
    "Westfield",
    "Alder",
    "Beacon",
    "Cedar Point",
    "Driftwood",
    "Eastgate",
    "Foxglove",
    "Golden Gate",
    "Highland",
    "Juniper",
    "Keystone",
    "Larkspur",
    "Maple Leaf",
    "Nordic",
    "Orion",
    "Polaris",
    "Quarry Hill",
    "Redwood",
    "Sandstone",
    "Trillium",
    "Upland",
    "Vantage",
    "Willow",
    "Yellowstone",
    "Zenith",
    "Aurora",
    "Bayview",
    "Copperfield",
    "Dunmore",
    "Elmstead",
    "Fairhaven",
    "Glenwood",
];

/// Core words, each with the industry the company would name itself by.
const CORES: &[(&str, &str)] = &[
    ("Logistics", "Logistics"),
    ("Freight", "Third-party logistics"),
    ("Retail", "Retail"),
    ("Outfitters", "Retail"),
    ("Health", "Healthcare"),
    ("Clinics", "Healthcare"),
    ("Energy", "Energy"),
    ("Solar", "Renewable energy"),
    ("Foods", "Food and beverage"),
    ("Brewing", "Food and beverage"),
    ("Analytics", "Software"),
    ("Systems", "Software"),
    ("Labs", "Biotech"),
    ("Pharma", "Pharmaceuticals"),
    ("Insurance", "Insurance"),
    ("Mutual", "Insurance"),
    ("Capital", "Financial services"),
    ("Bank", "Banking"),
    ("Builders", "Construction"),
    ("Engineering", "Engineering"),
    ("Media", "Media"),
    ("Publishing", "Publishing"),
    ("Motors", "Automotive"),
    ("Parts", "Manufacturing"),
    ("Textiles", "Manufacturing"),
    ("Metals", "Manufacturing"),
    ("Telecom", "Telecommunications"),
    ("Networks", "Telecommunications"),
    ("Travel", "Travel"),
    ("Hotels", "Hospitality"),
    ("Academy", "Education"),
    ("College", "Education"),
    ("Consulting", "Professional services"),
    ("Legal", "Professional services"),
    ("Realty", "Real estate"),
    ("Properties", "Real estate"),
    ("Farms", "Agriculture"),
    ("Chemicals", "Specialty chemicals"),
    ("Aerospace", "Aerospace"),
    ("Marine", "Shipping"),
    ("Shipping", "Shipping"),
    ("Utilities", "Utilities"),
    ("Water", "Utilities"),
    ("Games", "Gaming"),
    ("Studios", "Media"),
    ("Security", "Security services"),
    ("Medical", "Medical devices"),
    ("Supply", "Wholesale distribution"),
    ("Wholesale", "Wholesale distribution"),
    ("Cold Chain", "Cold-chain logistics"),
];

const SUFFIXES: &[&str] = &[
    "Inc",
    "Ltd",
    "GmbH",
    "Group",
    "AG",
    "LLC",
    "Partners",
    "Co",
    "Holdings",
    "SA",
    "BV",
    "AB",
    "Oy",
    "Corp",
    "International",
    "Europe",
    "Nordic",
    "Americas",
    "Worldwide",
    "Services",
    "Solutions",
    "Direct",
    "Plus",
    "One",
    "Works",
    "Hub",
    "Collective",
    "Alliance",
    "Trust",
    "Company",
    "Enterprises",
    "Industries",
    "Global",
    "Pacific",
    "Atlantic",
    "& Sons",
    "Cooperative",
    "Limited",
    "Ventures",
    "Associates",
];

impl Names {
    fn new(seed: u64) -> Names {
        Names {
            offset: Rng::for_record(seed, usize::MAX).next(),
        }
    }

    /// The i-th company name and its core word's index.
    fn get(&self, i: usize) -> (String, usize) {
        let total = (PREFIXES.len() * CORES.len() * SUFFIXES.len()) as u64;
        // 7919 is prime and does not divide `total`: k ↦ k·7919 + offset (mod total) is a bijection.
        let k = ((i as u64 % total) * 7919 + self.offset % total) % total;
        let s = (k % SUFFIXES.len() as u64) as usize;
        let rest = k / SUFFIXES.len() as u64;
        let c = (rest % CORES.len() as u64) as usize;
        let p = (rest / CORES.len() as u64) as usize;
        let mut name = format!("{} {} {}", PREFIXES[p], CORES[c].0, SUFFIXES[s]);
        let round = i as u64 / total;
        if round > 0 {
            name.push_str(&format!(" {}", round + 1));
        }
        (name, c)
    }
}

// ---------------------------------------------------------------- pools

const OWNERS: &[(u32, &str)] = &[
    (18, "sam"),
    (16, "kim"),
    (14, "alex"),
    (13, "priya"),
    (12, "jordan"),
    (11, "maria"),
    (9, "chen"),
    (7, "olu"),
];
const FIRST: &[&str] = &[
    "Jane", "Omar", "Sofia", "Lars", "Mei", "Daniel", "Aisha", "Tom", "Ingrid", "Rahul", "Carla",
    "Jonas", "Fatima", "Peter", "Yuki", "Elena", "Kofi", "Anna", "Mateo", "Hannah", "Ivan",
    "Grace", "Lucas", "Nora",
];
const LAST: &[&str] = &[
    "Doe", "Haddad", "Lind", "Berg", "Wong", "Schmidt", "Khan", "Miller", "Olsen", "Patel",
    "Rossi", "Meyer", "Nasser", "Novak", "Tanaka", "Petrova", "Mensah", "Kowalski", "Garcia",
    "Fischer", "Ivanov", "Okafor", "Silva", "Dubois",
];
const TITLES: &[&str] = &[
    "VP Operations",
    "Head of IT",
    "CFO",
    "COO",
    "Operations Manager",
    "Director of Finance",
    "CTO",
    "Head of Procurement",
    "Supply Chain Lead",
    "IT Manager",
    "CEO",
    "Head of Sales",
];
const MARKET: &[&str] = &[
    "Expanding into the EU.",
    "Two competitors already in place.",
    "New regulation on reporting from next year.",
    "Margins under pressure from rising costs.",
    "Recently acquired a smaller rival.",
    "Hiring fast in operations.",
    "Moving from on-premise to cloud tools.",
    "Consolidating vendors after a merger.",
    "Seasonal peaks double their volume.",
    "Board pushing for digital transformation.",
];
const NEEDS: &[&str] = &[
    "faster quotes, fewer manual steps",
    "one view of all orders",
    "audit trail for compliance",
    "cut onboarding time",
    "real-time stock levels, fewer stock-outs",
    "fewer spreadsheets",
    "self-service reporting",
    "integrate with SAP",
    "approval workflows",
    "better forecasting",
];
const DRIVERS: &[&str] = &[
    "Growth: volume doubled in two years.",
    "Cost: the board wants 10% off operating costs.",
    "Risk: an audit finding on manual records.",
    "Compliance deadline next spring.",
    "A new COO with a mandate to modernise.",
    "Customer complaints about slow delivery.",
];
const ROLES: &[(u32, &str)] = &[
    (30, "decision-maker"),
    (25, "influencer"),
    (20, "champion"),
    (15, "user"),
    (10, "gatekeeper"),
];
const DECISION_MAKERS: &[&str] = &[
    "CFO",
    "CEO",
    "COO",
    "VP Operations",
    "Head of IT",
    "CTO",
    "Procurement lead",
    "Director of Finance",
    "Head of Sales",
    "Board",
];
const BUYING: &[(u32, &str)] = &[
    (25, "single-signer"),
    (30, "committee"),
    (20, "procurement"),
    (10, "board-approval"),
    (15, "trial-first"),
];
const BUDGET_HOLDERS: &[&str] = &[
    "The CFO",
    "The COO, with board sign-off above 50k",
    "Head of IT from the digital budget",
    "Procurement, after the business case",
    "The CEO",
    "Each region's director",
];
const GOALS: &[&str] = &[
    "Cut order handling time in half by next year.",
    "One system for all sites before the audit.",
    "Grow revenue 20% without hiring in operations.",
    "Replace the legacy tool before its support ends.",
    "Real-time visibility for the leadership team.",
    "Reduce stock-outs during the seasonal peak.",
];
const PAINS: &[&str] = &[
    "manual re-keying",
    "no single source of truth",
    "slow month-end close",
    "audit findings",
    "legacy system end of life",
    "staff turnover",
    "poor visibility across sites",
    "integration gaps",
];
const AUDIENCE: &[&str] = &[
    "CFO",
    "COO",
    "Head of IT",
    "Operations Manager",
    "Procurement lead",
    "CEO",
    "IT architect",
    "Finance team",
    "End users",
];
const VALUE_POINTS: &[&str] = &[
    "The time saved per order, shown on their own numbers.",
    "The audit trail demo.",
    "Live integration with their ERP.",
    "The payback period under a year.",
    "Customer story from the same industry.",
];
const FEATURES: &[&str] = &[
    "SSO with Okta",
    "SAP connector",
    "mobile app",
    "custom reports",
    "multi-currency",
    "on-premise option",
    "audit log export",
    "API rate limits raised",
];
const BENEFITS: &[&str] = &[
    "faster onboarding",
    "audit trail",
    "fewer manual steps",
    "real-time dashboards",
    "lower total cost",
    "dedicated support",
];
const COMPETITORS: &[&str] = &[
    "in-house build",
    "Salesforce",
    "HubSpot",
    "a local integrator",
    "spreadsheets",
    "SAP add-on",
    "Acme Suite",
];
const OBJECTIONS: &[&str] = &[
    "price per seat too high",
    "worried about migration effort",
    "needs data residency in the EU",
    "security review takes months",
    "unclear support hours",
    "contract term too long",
    "training time for the team",
];
const LEGAL: &[(u32, &str)] = &[
    (20, "not-needed"),
    (25, "pending"),
    (25, "in-progress"),
    (30, "done"),
];
const OPEN_QUESTIONS: &[&str] = &[
    "Data migration plan: their IT lead answers by Friday.",
    "Support hours in APAC: we answer.",
    "Whether the pilot can start before the contract.",
    "Invoice schedule: their finance team.",
];
const WIN_REASONS: &[&str] = &[
    "The pilot showed results in two weeks.",
    "We understood their process better than anyone else.",
    "The audit trail closed their compliance gap.",
    "Price and payback were clear from day one.",
    "Their champion trusted our team.",
];
const CHANNELS: &[&str] = &["call", "email", "meeting", "video", "event", "social"];
const SOURCES: &[(u32, &str)] = &[
    (20, "referral"),
    (25, "inbound"),
    (12, "event"),
    (20, "outbound"),
    (8, "partner"),
    (10, "content"),
    (5, "other"),
];
const BUDGET_STATUS: &[&str] = &["approved", "planned", "none", "unknown"];
const NO_WHYS: &[&str] = &[
    "No budget this year",
    "Chose a competitor",
    "Not a fit: too small for our product",
    "Went with an in-house build",
    "Project cancelled",
    "Champion left the company",
    "Price too high for the value they see",
    "Security review failed",
    "No response after five attempts",
    "They need an on-premise install",
];
const LATER_WHYS: &[&str] = &[
    "Budget frozen until the next fiscal year",
    "Revisit after the Q1 budget cycle",
    "Waiting for SSO support on our roadmap",
    "Need the SAP connector first",
    "Price above what they can approve this year",
    "Locked into the current vendor until the contract renews",
    "New CIO starting; wants to review all tools",
    "Team busy with an ERP migration",
    "Reorganisation under way; no owner for the project",
];
const ACTIONS: &[&[&str]] = &[
    &[
        "Book the intro call",
        "Send a short intro email",
        "Connect on LinkedIn",
    ],
    &[
        "Book the discovery call",
        "Send the case study",
        "Call the champion",
    ],
    &[
        "Meet the budget holder",
        "Map the buying committee",
        "Send the ROI calculator",
    ],
    &[
        "Send the discovery summary",
        "Book the demo",
        "Ask for the timeline in writing",
    ],
    &[
        "Send the deck to the CFO",
        "Schedule the follow-up demo",
        "Share the reference call",
    ],
    &[
        "Send the revised proposal",
        "Walk the CFO through pricing",
        "Call about the proposal",
    ],
    &[
        "Send the security questionnaire",
        "Call to review legal redlines",
        "Answer the DPA questions",
    ],
    &[
        "Book the kick-off call",
        "Send the countersigned contract",
        "Introduce the onboarding team",
    ],
];
const PRODUCT_INSIGHTS: &[&str] = &[
    "Needs SSO with Okta before any pilot",
    "Asked twice for an SAP connector",
    "The mobile app is a must for their drivers",
    "Wants reports they can edit themselves",
    "Data must stay in the EU",
    "Bulk import from spreadsheets would save them weeks",
];
const MARKETING_INSIGHTS: &[&str] = &[
    "Found us through the logistics webinar",
    "Our pricing page confused them",
    "The case study from their industry sealed the meeting",
    "They compare us with spreadsheets, not with competitors",
    "They liked the plain-language security page",
];
const SALES_INSIGHTS: &[&str] = &[
    "The CFO joins only when a number is on the table",
    "Procurement wants three quotes whatever happens",
    "Their champion needs a one-page business case",
    "Decisions happen at the monthly leadership meeting",
    "Start with the ops team; IT follows",
];

// ---------------------------------------------------------------- time

/// 2026-11-30 as days since 1970-01-01: every history ends before it.
const END_LIMIT_DAY: i64 = 20_787;

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's civil_from_days).
fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn date(day: i64) -> String {
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn stamp(secs: i64) -> String {
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

// ---------------------------------------------------------------- the plan

/// How long before an action happens: seconds later, a later working day, or
/// after a nurture pause.
#[derive(Clone, Copy, PartialEq)]
enum Gap {
    Tick,
    Session,
    Nurture,
}

#[derive(Clone, Copy)]
enum Act {
    Create,
    Answer(usize, usize),
    Decide(Outcome),
    Reopen,
    FollowUp,
    Insight(Audience),
}

/// Per step (research … agree): chance the record is still open there, then
/// of a `no`, then of a `later` (only from learn on); the rest is `yes`.
const STOP: [f64; 8] = [0.06, 0.08, 0.08, 0.10, 0.12, 0.14, 0.15, 0.18];
const NO: [f64; 8] = [0.07, 0.08, 0.10, 0.08, 0.08, 0.10, 0.08, 0.04];
const LATER: [f64; 8] = [0.0, 0.0, 0.0, 0.16, 0.10, 0.14, 0.12, 0.06];

/// Plans a record's life: which actions, in which order, separated by which gaps.
fn plan(p: &Process, rng: &mut Rng) -> Vec<(Gap, Act)> {
    let mut acts = vec![(Gap::Session, Act::Create)];
    let nurture_step = p.index(&p.later_returns_to).unwrap_or(0);
    let mut answered = vec![Vec::<bool>::new(); p.steps.len()];
    for (s, step) in p.steps.iter().enumerate() {
        answered[s] = vec![false; step.checklist.items.len()];
    }
    let mut step = 0;
    let mut loops = 0;
    loop {
        let items = &p.steps[step].checklist.items;
        // What happens at the end of this visit.
        let r = rng.next() as f64 / u64::MAX as f64;
        let (stop, no, later) = (STOP[step], NO[step], LATER[step]);
        let outcome = if r < stop {
            None
        } else if r < stop + no {
            Some(Outcome::No)
        } else if r < stop + no + later && step >= nurture_step {
            Some(Outcome::Later)
        } else {
            Some(Outcome::Yes)
        };
        let thorough = outcome == Some(Outcome::Yes);
        let mut first = step != 0;
        for (k, item) in items.iter().enumerate() {
            let again = answered[step][k];
            let want = if again {
                rng.chance(0.15)
            } else if item.required {
                thorough || rng.chance(0.8)
            } else {
                rng.chance(if thorough { 0.75 } else { 0.45 })
            };
            if want {
                let gap = if first { Gap::Session } else { Gap::Tick };
                first = false;
                acts.push((gap, Act::Answer(step, k)));
                answered[step][k] = true;
            }
        }
        if rng.chance(0.3) {
            let audience = match step {
                0 | 7 => Audience::Marketing,
                2 | 5 => Audience::Sales,
                _ => *rng.pick(&[Audience::Product, Audience::Product, Audience::Marketing]),
            };
            acts.push((Gap::Tick, Act::Insight(audience)));
        }
        let Some(outcome) = outcome else {
            if rng.chance(0.85) {
                acts.push((Gap::Tick, Act::FollowUp));
            }
            break;
        };
        let gap = if rng.chance(0.5) {
            Gap::Tick
        } else {
            Gap::Session
        };
        acts.push((gap, Act::Decide(outcome)));
        match outcome {
            Outcome::No => break,
            Outcome::Yes if step + 1 == p.steps.len() => break,
            Outcome::Yes => {
                step += 1;
                if rng.chance(0.7) {
                    acts.push((Gap::Tick, Act::FollowUp));
                }
            }
            Outcome::Later => {
                loops += 1;
                if loops > 2 || rng.chance(0.45) {
                    break;
                }
                acts.push((Gap::Nurture, Act::Reopen));
                step = nurture_step;
            }
        }
    }
    acts
}

// ---------------------------------------------------------------- a record

/// The i-th record: its id and its content, built with `salesproc::flow`.
fn generate(p: &Process, names: &Names, seed: u64, i: usize) -> (String, Record) {
    let mut rng = Rng::for_record(seed, i);
    let (name, core) = names.get(i);
    let id = format!("{}-{}", salesproc::slug::slugify(&name), i + 1);
    let owner = rng.weighted(OWNERS).to_string();
    let (first, last) = (*rng.pick(FIRST), *rng.pick(LAST));
    let domain = salesproc::slug::slugify(&name).replace('-', "");
    let contact = Contact {
        name: Some(format!("{first} {last}")),
        title: Some(rng.pick(TITLES).to_string()),
        email: rng.chance(0.8).then(|| {
            format!(
                "{}.{}@{domain}.example",
                first.to_lowercase(),
                last.to_lowercase()
            )
        }),
        phone: rng
            .chance(0.4)
            .then(|| format!("+1 555 {:03} {:04}", rng.below(1000), rng.below(10_000))),
        extra: Default::default(),
    };

    let acts = plan(p, &mut rng);

    // Times: each working session on a later day, between 08:00 and 17:00 UTC;
    // answers within a session seconds to minutes apart; nurture pauses of months.
    let pace = rng.range(2, 12);
    let mut day = 0i64;
    let mut sod = 0i64;
    let mut offsets = Vec::with_capacity(acts.len());
    for (gap, _) in &acts {
        match gap {
            Gap::Tick => sod += rng.range(15, 420),
            Gap::Session => {
                if !offsets.is_empty() {
                    day += 1 + rng.below(2 * pace as u64) as i64;
                }
                sod = rng.range(8 * 3600, 17 * 3600);
            }
            Gap::Nurture => {
                day += rng.range(45, 150);
                sod = rng.range(8 * 3600, 17 * 3600);
            }
        }
        offsets.push(day * 86_400 + sod);
    }
    // Spread over 1–24 months.
    let span = day.clamp(30, 730);
    let stretch = span as f64 / day.max(1) as f64;
    let closed = matches!(
        acts.last(),
        Some((_, Act::Decide(Outcome::No | Outcome::Yes)))
    );
    // Open and nurturing records were active recently (a few went stale);
    // closed ones ended any time in the last two years.
    let back = if !closed && rng.chance(0.6) {
        rng.range(0, 13)
    } else if !closed && rng.chance(0.6) {
        rng.range(14, 60)
    } else {
        rng.range(0, 730 - span.min(700))
    };
    let end_day = END_LIMIT_DAY - 1 - back;
    let start_day = end_day - span;
    let times: Vec<i64> = offsets
        .iter()
        .map(|o| {
            let (d, s) = (o / 86_400, o % 86_400);
            let d = (d as f64 * stretch).round() as i64;
            (start_day + d) * 86_400 + s
        })
        .collect();
    // Stretching keeps order across days; keep it strictly within a day too.
    let mut times: Vec<i64> = times
        .iter()
        .scan(i64::MIN, |prev, &t| {
            let t = t.max(*prev + 1);
            *prev = t;
            Some(t)
        })
        .collect();
    let overshoot = times.last().copied().unwrap_or(0) - (END_LIMIT_DAY * 86_400 - 1);
    if overshoot > 0 {
        times.iter_mut().for_each(|t| *t -= overshoot);
    }

    let who = |t: i64| Actor {
        by: owner.clone(),
        at: stamp(t),
    };
    let industry = if rng.chance(0.85) {
        CORES[core].1.to_string()
    } else {
        rng.pick(&[
            "Industrial automation",
            "Facility management",
            "Non-profit",
            "Fintech",
            "Craft brewing",
            "Veterinary clinics",
        ])
        .to_string()
    };
    let size = {
        let e = rng.range(1, 4) as u32;
        let base = 10i64.pow(e);
        (base + rng.range(0, base * 4)) / 5 * 5
    };
    let mut record = flow::new_record(&name, contact, Some(owner.clone()), p, &who(times[0]));
    for (n, (_, act)) in acts.iter().enumerate().skip(1) {
        let at = times[n];
        let actor = who(at);
        let today = at.div_euclid(86_400);
        match *act {
            Act::Create => {}
            Act::Answer(s, k) => {
                let step = &p.steps[s];
                let item = &step.checklist.items[k];
                let v = answer(
                    &mut rng,
                    &step.id,
                    &item.id,
                    item.kind,
                    &item.options,
                    today,
                    &industry,
                    size,
                );
                flow::set_answer(&mut record, &step.id, &item.id, v, &actor);
            }
            Act::Decide(outcome) => {
                let why = match outcome {
                    Outcome::Yes => None,
                    Outcome::No => Some(*rng.pick(NO_WHYS)),
                    Outcome::Later => Some(*rng.pick(LATER_WHYS)),
                };
                let revisit = (outcome == Outcome::Later).then(|| {
                    // Revisit a few days before they are called again, or some
                    // months ahead when the record is still waiting.
                    match acts.get(n + 1) {
                        Some((Gap::Nurture, _)) => {
                            date(times[n + 1].div_euclid(86_400) - rng.range(1, 10))
                        }
                        _ => date(today + rng.range(30, 180)),
                    }
                });
                // The plan only decides yes once the required items are answered.
                flow::decide(&mut record, p, outcome, why, revisit.as_deref(), &actor)
                    .expect("the plan makes only valid decisions");
            }
            Act::Reopen => {
                flow::reopen(&mut record, &actor);
            }
            Act::FollowUp => {
                let s = p.index(&record.stage).unwrap_or(0);
                let action = rng.pick(ACTIONS[s.min(ACTIONS.len() - 1)]).to_string();
                let d = date(today + rng.range(2, 21));
                flow::set_follow_up(&mut record, Some(d), Some(action), &actor);
            }
            Act::Insight(audience) => {
                let pool = match audience {
                    Audience::Product => PRODUCT_INSIGHTS,
                    Audience::Marketing => MARKETING_INSIGHTS,
                    Audience::Sales => SALES_INSIGHTS,
                };
                let text = rng.pick(pool).to_string();
                flow::add_insight(&mut record, audience, &text, &actor)
                    .expect("insight text is never empty");
            }
        }
    }
    debug_assert!(record.status != Status::Won || record.stage == "agree");
    (id, record)
}

fn s(x: impl AsRef<str>) -> Value {
    Value::String(x.as_ref().to_string())
}

/// An answer of the item's type: the built-in items get realistic values, an
/// item of a custom checklist a plain one of its type.
#[allow(clippy::too_many_arguments)]
fn answer(
    rng: &mut Rng,
    step: &str,
    item: &str,
    kind: ItemType,
    options: &[String],
    today: i64,
    industry: &str,
    size: i64,
) -> Value {
    let list = |xs: Vec<&str>| Value::Array(xs.into_iter().map(s).collect());
    let money = |rng: &mut Rng| Value::from(rng.range(5, 400) * 1000);
    match (step, item) {
        ("research", "industry") => s(industry),
        ("research", "company-size") => Value::from(size),
        ("research", "market-notes") => {
            let a = rng.some(MARKET, 3);
            if a.len() == 3 {
                s(format!("{}\n", a.join("\n")))
            } else {
                s(a.join(" "))
            }
        }
        ("research", "lead-source") => s(rng.weighted(SOURCES)),
        ("research", "website-reviewed") => Value::Bool(rng.chance(0.9)),
        ("introduce", "stated-needs") => list(rng.some(NEEDS, 3)),
        ("introduce", "drivers") => s(rng.pick(DRIVERS)),
        ("introduce", "channel") => s(rng.pick(CHANNELS)),
        ("qualify", "role-in-decision") => s(rng.weighted(ROLES)),
        ("qualify", "decision-makers") => list(rng.some(DECISION_MAKERS, 3)),
        ("qualify", "buying-process") => s(rng.weighted(BUYING)),
        ("qualify", "budget-holder") => s(rng.pick(BUDGET_HOLDERS)),
        ("learn", "goals") => s(rng.pick(GOALS)),
        ("learn", "pain-points") => list(rng.some(PAINS, 3)),
        ("learn", "timeline") => s(date(today + rng.range(30, 270))),
        ("learn", "budget") => money(rng),
        ("learn", "budget-status") => s(rng.pick(BUDGET_STATUS)),
        ("present", "audience") => list(rng.some(AUDIENCE, 4)),
        ("present", "value-points") => s(rng.pick(VALUE_POINTS)),
        ("present", "feature-requests") => list(rng.some(FEATURES, 2)),
        ("propose", "offer-value") => money(rng),
        ("propose", "key-benefits") => list(rng.some(BENEFITS, 3)),
        ("propose", "competitors") => list(rng.some(COMPETITORS, 2)),
        ("resolve", "objections") => list(rng.some(OBJECTIONS, 3)),
        ("resolve", "legal-review") => s(rng.weighted(LEGAL)),
        ("resolve", "open-questions") => s(rng.pick(OPEN_QUESTIONS)),
        ("agree", "contract-value") => money(rng),
        ("agree", "win-reason") => s(rng.pick(WIN_REASONS)),
        _ => match kind {
            ItemType::Check => Value::Bool(rng.chance(0.85)),
            ItemType::Text => s(rng.pick(GOALS)),
            // Loading refuses a choice without options.
            ItemType::Choice => s(rng.pick(options).as_str()),
            ItemType::Number => Value::from(rng.range(1, 500)),
            ItemType::Date => s(date(today)),
            ItemType::List => list(rng.some(NEEDS, 2)),
        },
    }
}
