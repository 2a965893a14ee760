//! Every clap type. Nothing below `commands/` sees these: they are turned into
//! plain values at the edge.

use crate::completion;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Arg, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCompleter;
use std::path::PathBuf;

/// Run a B2B sales process from YAML checklists; prospects are plain YAML files in git.
#[derive(Debug, Parser)]
#[command(name = "salesproc", version, about, long_about = None, max_term_width = 100)]
#[command(
    after_help = "Examples:\n  salesproc today                # what is due, stale or to revisit\n  salesproc next                 # walk it, one prospect after another\n  salesproc next \"Acme Corp\"     # walk one (a new name is offered for creation)"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    /// `--format` before the command, as scripts written for earlier versions
    /// give it; hidden: each command that prints data lists its own.
    #[arg(
        long = "format",
        short = 'f',
        value_enum,
        hide = true,
        id = "format_before"
    )]
    pub format_before: Option<Format>,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the command line (exiting with clap's message on an error). A
    /// `--format` given before the command counts as the command's own when
    /// the command prints data in that format and was not given one itself;
    /// otherwise it is the usage error the same flag after the command gives.
    pub fn parse_args() -> Cli {
        let matches = Cli::command().get_matches();
        let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        if let Some(f) = cli.format_before.take() {
            let mut path = vec!["salesproc".to_string()];
            let mut m = &matches;
            while let Some((name, sub)) = m.subcommand() {
                path.push(name.to_string());
                m = sub;
            }
            let cmd = Cli::command();
            let leaf = path[1..].iter().fold(&cmd, |c, n| {
                c.find_subcommand(n).expect("a parsed command exists")
            });
            let Some(arg) = leaf.get_arguments().find(|a| a.get_id() == "format") else {
                let name = path[1..].join(" ");
                Cli::command()
                    .error(
                        clap::error::ErrorKind::UnknownArgument,
                        format!("`salesproc {name}` prints no data, so it takes no '--format'"),
                    )
                    .exit();
            };
            // The command's own `--format`, given after it, wins.
            if m.value_source("format") != Some(clap::parser::ValueSource::CommandLine) {
                let can: Vec<String> = arg
                    .get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_string())
                    .collect();
                if !can.iter().any(|v| v == f.name()) {
                    Cli::command()
                        .error(
                            clap::error::ErrorKind::InvalidValue,
                            format!(
                                "invalid value '{}' for '--format <FORMAT>'\n  [possible values: {}]",
                                f.name(),
                                can.join(", ")
                            ),
                        )
                        .exit();
                }
                if let Some(own) = cli.command.format_arg_mut() {
                    own.format = Some(f);
                }
            }
        }
        cli
    }
}

/// Flags accepted before or after any subcommand.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// The pipeline folder [default: nearest folder with salesproc.yaml, else ~/.local/share/salesproc]
    #[arg(
        long,
        global = true,
        env = "SALESPROC_DIR",
        value_name = "DIR",
        value_hint = clap::ValueHint::DirPath,
        hide_env_values = true
    )]
    pub dir: Option<PathBuf>,
    /// Never prompt; print what would be asked instead
    #[arg(long, global = true)]
    pub no_input: bool,
    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print no status messages
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Do not commit changes to git
    #[arg(long, global = true)]
    pub no_commit: bool,
    /// Print long output (show, log, insights) directly, not through $PAGER
    #[arg(long, global = true)]
    pub no_pager: bool,
    /// In CSV and TSV output, keep cells starting with =, +, -, @ as they are (by default they
    /// get a leading ' so a spreadsheet does not run them as formulas)
    #[arg(long, global = true)]
    pub no_formula_guard: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Yaml,
    Csv,
    Tsv,
    Ids,
    Markdown,
}

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Ids => "ids",
            Format::Markdown => "markdown",
        }
    }
}

/// `--format`, flattened into each command that prints data and into no
/// other (issue 12 #20); the command's `mut_arg("format", formats(…))` says
/// which formats it prints and its default. Read it with [`Command::format`].
#[derive(Debug, Args, Clone, Copy)]
pub struct FormatArg {
    /// Output format
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
}

/// Rows: every format.
const ROWS: &[Format] = &[
    Format::Table,
    Format::Json,
    Format::Yaml,
    Format::Csv,
    Format::Tsv,
    Format::Ids,
    Format::Markdown,
];
/// Figures with a text layout of their own, no markdown: pipeline, forecast,
/// validate (ids: the steps', months', deals' or files').
const FIGURES: &[Format] = &[
    Format::Table,
    Format::Json,
    Format::Yaml,
    Format::Csv,
    Format::Tsv,
    Format::Ids,
];
/// A report without ids: personas.
const REPORT: &[Format] = &[
    Format::Table,
    Format::Json,
    Format::Yaml,
    Format::Csv,
    Format::Tsv,
];
/// A report that is also a document: insights.
const DOCUMENT: &[Format] = &[
    Format::Table,
    Format::Json,
    Format::Yaml,
    Format::Csv,
    Format::Tsv,
    Format::Markdown,
];
/// The printable checklist: markdown first.
const CHECKLIST: &[Format] = &[
    Format::Markdown,
    Format::Table,
    Format::Json,
    Format::Yaml,
    Format::Csv,
    Format::Tsv,
    Format::Ids,
];

/// Narrows a command's `--format` to the formats it prints, the first one
/// being its default: a format it cannot print is clap's usage error (exit
/// 2, listing the possible values) rather than a silent fallback.
fn formats(allowed: &'static [Format]) -> impl FnOnce(Arg) -> Arg {
    let values = allowed.iter().filter_map(ValueEnum::to_possible_value);
    let parser = PossibleValuesParser::new(values)
        .map(|s: String| Format::from_str(&s, true).expect("each possible value is a format"));
    move |a: Arg| a.value_parser(parser).default_value(allowed[0].name())
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Files that have a JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// prospects/ID.yaml
    Record,
    /// checklists/STEP.yaml
    Checklist,
    /// checklists/process.yaml
    Process,
    /// salesproc.yaml
    Config,
}

/// A decision on a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Decision {
    Yes,
    No,
    Later,
}

/// Who an insight is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Audience {
    Product,
    Marketing,
    Sales,
}

/// Record status, for filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Open,
    Nurturing,
    Won,
    Lost,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a pipeline folder (salesproc.yaml, checklists/, prospects/, git)
    #[command(after_help = EX_INIT)]
    Init {
        /// Folder to create [default: the current folder]
        dir: Option<PathBuf>,
        /// Do not run `git init` or set up the merge driver
        #[arg(long)]
        no_git: bool,
        /// The process: the built-in B2B one, or it with a methodology pack's questions
        #[arg(long, value_enum, default_value_t = ProcessKind::B2b, value_name = "PROCESS")]
        process: ProcessKind,
    },
    /// Add a prospect at the first step; prints its id
    #[command(after_help = EX_ADD)]
    Add(AddArgs),
    /// Walk a prospect's current step (the main job), or today's agenda one by one
    #[command(after_help = EX_NEXT)]
    #[command(mut_arg("format", |a| formats(ROWS)(a)
        .help("Output format without a terminal (the pending items, or the agenda)")))]
    Next {
        /// Id, unique id prefix or name; a new name is offered for creation (`-`: pending items of
        /// each id on stdin) [default: each prospect on today's agenda, in order]
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Show one prospect: every step, answers, decisions, follow-up, insights
    #[command(after_help = EX_SHOW, mut_arg("format", formats(ROWS)))]
    Show {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
        #[command(flatten)]
        format: FormatArg,
    },
    /// List prospects, most recently active first
    #[command(after_help = EX_LIST, mut_arg("format", formats(ROWS)))]
    List(ListArgs),
    /// Answer one checklist item without prompts
    #[command(after_help = EX_ANSWER)]
    Answer {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
        /// Item id in the current step, or STEP/ITEM
        #[arg(add = ArgValueCompleter::new(completion::items))]
        item: String,
        /// The answer [default: prompt]. For list items, one argument is split at commas; several
        /// arguments are the elements as given, commas and all ("Jane Doe, VP Ops" "Bob Smith")
        #[arg(allow_negative_numbers = true, add = ArgValueCompleter::new(completion::values))]
        value: Vec<String>,
    },
    /// Decide on the current step: yes, no or later
    #[command(after_help = EX_DECIDE)]
    Decide {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
        /// yes advances, no disqualifies, later sends back for nurturing
        #[arg(value_enum)]
        decision: Decision,
        /// Why (required for no and later)
        #[arg(long, short)]
        why: Option<String>,
        /// With later: when to revisit (YYYY-MM-DD, today, tomorrow, +3d, -1w, in 3 days, friday, eom)
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        revisit: Option<String>,
    },
    /// Set the agreed next step
    #[command(after_help = EX_FOLLOW_UP)]
    #[command(name = "follow-up")]
    FollowUp {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
        /// When (YYYY-MM-DD, today, tomorrow, +3d, in 3 days, friday, next friday, eom)
        date: String,
        /// What
        #[arg(required = true)]
        action: Vec<String>,
    },
    /// Capture a voice-of-the-customer insight
    #[command(after_help = EX_INSIGHT)]
    Insight {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
        /// Who should hear it
        #[arg(long = "for", value_enum, value_name = "TEAM")]
        audience: Audience,
        /// What the customer said or showed (`-` reads it from stdin)
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// Print a prospect's history, oldest first
    #[command(after_help = EX_LOG, mut_arg("format", formats(ROWS)))]
    Log {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Edit a prospect's file in $VISUAL or $EDITOR, validated on save
    #[command(after_help = EX_EDIT)]
    Edit {
        /// Id, unique id prefix or name
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
    },
    /// The funnel: counts, conversion, days in step, win rate, cycle time
    #[command(after_help = EX_PIPELINE, mut_arg("format", formats(FIGURES)))]
    Pipeline {
        /// Rebuild the figures as they stood at the end of this day
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Per month instead: reached, advanced, won, lost, win rate, cycle time
        #[arg(long, value_enum, value_name = "PERIOD")]
        by: Option<PipelineBy>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Forecast open deals from your own history: win chance, close date, value
    #[command(after_help = EX_FORECAST, mut_arg("format", formats(FIGURES)))]
    Forecast(ForecastArgs),
    /// Write every report to one self-contained HTML page (funnel, trends, forecast, voice)
    #[command(after_help = EX_REPORT)]
    Report {
        /// The HTML file to write (`-`: standard output)
        #[arg(long, value_name = "FILE")]
        html: PathBuf,
    },
    /// Methodology packs: add BANT, MEDDPICC or SPIN questions to this folder's process
    #[command(after_help = EX_PROCESS)]
    Process {
        #[command(subcommand)]
        action: ProcessAction,
    },
    /// Market fit: how each persona answer spreads over won, lost and open deals
    #[command(after_help = EX_PERSONAS, mut_arg("format", formats(REPORT)))]
    Personas {
        #[command(flatten)]
        format: FormatArg,
    },
    /// Voice of the customer: insights, tagged answers and the whys of no and later
    #[command(after_help = EX_INSIGHTS, mut_arg("format", formats(DOCUMENT)))]
    Insights {
        /// Only insights for this team
        #[arg(long = "for", value_enum, value_name = "TEAM")]
        audience: Option<Audience>,
        /// Only what was said on or after this date
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print the process as a checklist
    #[command(after_help = EX_CHECKLIST, mut_arg("format", formats(CHECKLIST)))]
    Checklist {
        /// Only this step
        #[arg(add = ArgValueCompleter::new(completion::steps))]
        step: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Check settings, checklists and records; one line per problem
    #[command(after_help = EX_VALIDATE, mut_arg("format", formats(FIGURES)))]
    Validate {
        /// Only these record files (`-`: a record on stdin) [default: the whole folder]
        #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Rewrite every record in canonical form
    #[command(after_help = EX_FMT)]
    Fmt {
        /// Only list the files that are not canonical; exit 1 if any
        #[arg(long)]
        check: bool,
        /// Only these record files, not committed (`-`: a record on stdin, formatted to stdout)
        /// [default: every record]
        #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
        files: Vec<PathBuf>,
    },
    /// Git merge driver for prospect records (set up by `init`)
    #[command(after_help = EX_MERGE_FILE)]
    #[command(name = "merge-file")]
    MergeFile {
        /// The common ancestor's version
        base: PathBuf,
        /// Our version; the result is written here
        ours: PathBuf,
        /// Their version
        theirs: PathBuf,
    },
    /// Import prospects from a CSV: a CRM's deal export or a spreadsheet
    #[command(mut_arg("format", |a| formats(ROWS)(a).help("Output format of --dry-run's plan")))]
    #[command(
        after_help = "Columns are mapped by a rules file (--rules, or FILE.csv.rules.yaml beside the CSV) or a preset; see the README. Rows are matched to records by external id, else by id, else by name, so importing again updates instead of duplicating.\n\nExamples:\n  salesproc import deals.csv --preset hubspot --dry-run\n  salesproc import deals.csv --preset hubspot\n  salesproc import sheet.csv --rules sheet.rules.yaml"
    )]
    Import(ImportArgs),
    /// Export prospects as CSV for a CRM's importer or a spreadsheet
    #[command(after_help = EX_EXPORT, mut_arg("format", formats(&[Format::Csv])))]
    Export {
        /// Which columns and date format: a CRM's deal import, or every field (csv)
        #[arg(long, value_enum, default_value_t = ExportPreset::Csv)]
        preset: ExportPreset,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Set a prospect's deal value or expected close date
    #[command(after_help = EX_SET)]
    Set {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        prospect: String,
        /// The field
        #[arg(value_enum)]
        field: SetField,
        /// The value: an amount (48000, 48,000.50, 48k, 1.5M) or a date (YYYY-MM-DD, +30d); `none` clears it
        value: String,
    },
    /// Give a prospect to another owner
    #[command(after_help = EX_ASSIGN)]
    Assign {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        prospect: String,
        /// The new owner
        owner: String,
    },
    /// The rep's day: due follow-ups, stale prospects, revisits
    #[command(visible_alias = "agenda")]
    #[command(after_help = EX_TODAY, mut_arg("format", formats(ROWS)))]
    Today {
        /// Also what is due in the next seven days
        #[arg(long)]
        week: bool,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Mark the agreed next step done, and agree the next one
    #[command(after_help = EX_DONE)]
    Done {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        prospect: String,
        /// What came of it
        #[arg(long, short)]
        note: Option<String>,
        /// The next step: a date and an action [default: ask in a terminal]
        #[arg(long, num_args = 2.., value_names = ["DATE", "ACTION"])]
        next: Vec<String>,
    },
    /// Revert the last change salesproc made (to one prospect)
    #[command(after_help = EX_UNDO)]
    Undo {
        /// Only the last change to this prospect
        prospect: Option<String>,
    },
    /// Reopen a won or lost deal at its step
    #[command(after_help = EX_REOPEN)]
    Reopen {
        /// Id, unique id prefix or name
        prospect: String,
        /// Why it is open again
        #[arg(long, short, required = true)]
        why: String,
    },
    /// Find prospects by name, contact, answers, insights, notes and whys
    #[command(after_help = EX_SEARCH, mut_arg("format", formats(ROWS)))]
    Search {
        /// Words to find (case-insensitive; every word must match)
        #[arg(required = true)]
        text: Vec<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print the version
    #[command(after_help = EX_VERSION)]
    Version,
    /// Print the shell set-up for completion of commands, prospects, steps and items
    #[command(after_help = EX_COMPLETIONS)]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the JSON Schema of records, checklists, the process or salesproc.yaml
    #[command(after_help = EX_SCHEMA, mut_arg("format", formats(&[Format::Json])))]
    Schema {
        /// Which file's schema (the record schema knows the folder's steps and items)
        #[arg(value_enum)]
        kind: SchemaKind,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print the man page, or write a page per command
    #[command(after_help = EX_MAN)]
    Man {
        /// Write salesproc.1 and a salesproc-COMMAND.1 per command into this folder
        #[arg(long, value_name = "OUT", value_hint = clap::ValueHint::DirPath)]
        out_dir: Option<PathBuf>,
    },
}

/// Every command's `--format`, for `&` and `&mut` alike (one list to keep).
macro_rules! format_of {
    ($cmd:expr, $($borrow:tt)+) => {
        match $cmd {
            Command::Next { format, .. }
            | Command::Show { format, .. }
            | Command::Log { format, .. }
            | Command::Pipeline { format, .. }
            | Command::Personas { format }
            | Command::Insights { format, .. }
            | Command::Checklist { format, .. }
            | Command::Validate { format, .. }
            | Command::Export { format, .. }
            | Command::Today { format, .. }
            | Command::Search { format, .. }
            | Command::Schema { format, .. } => Some(format),
            Command::List(a) => Some($($borrow)+ a.format),
            Command::Forecast(a) => Some($($borrow)+ a.format),
            Command::Import(a) => Some($($borrow)+ a.format),
            Command::Process {
                action: ProcessAction::List { format },
            } => Some(format),
            Command::Init { .. }
            | Command::Add(_)
            | Command::Answer { .. }
            | Command::Decide { .. }
            | Command::FollowUp { .. }
            | Command::Insight { .. }
            | Command::Edit { .. }
            | Command::Report { .. }
            | Command::Process {
                action: ProcessAction::Add { .. },
            }
            | Command::Fmt { .. }
            | Command::MergeFile { .. }
            | Command::Set { .. }
            | Command::Assign { .. }
            | Command::Done { .. }
            | Command::Undo { .. }
            | Command::Reopen { .. }
            | Command::Version
            | Command::Completions { .. }
            | Command::Man { .. } => None,
        }
    };
}

impl Command {
    /// The output format of a command that prints data (its default when
    /// `--format` was not given); `None` for a command that prints none.
    pub fn format(&self) -> Option<Format> {
        let arg: Option<&FormatArg> = format_of!(self, &);
        arg.and_then(|f| f.format)
    }

    /// The `--format` of a command that prints data.
    pub fn format_arg_mut(&mut self) -> Option<&mut FormatArg> {
        format_of!(self, &mut)
    }
}

// Every command's `--help` ends with two or three examples (issue 12 #20).
const EX_INIT: &str =
    "Examples:\n  salesproc init deals && cd deals\n  salesproc init --no-git ~/pipeline";
const EX_ADD: &str = "Examples:\n  salesproc add \"Acme Corp\" --contact \"Jane Doe\" --title \"VP Operations\"\n  salesproc add \"Acme Corp\" --id acme-corp-berlin   # a second Acme Corp, on purpose";
const EX_NEXT: &str = "Examples:\n  salesproc next                 # walk today's agenda, one prospect after another\n  salesproc next acme            # walk Acme's current step\n  salesproc list --due --format ids | salesproc next -   # pending items, no prompts";
const EX_SHOW: &str =
    "Examples:\n  salesproc show acme\n  salesproc show acme --format markdown > acme.md";
const EX_LIST: &str = "Examples:\n  salesproc list --due\n  salesproc list --stage propose --owner kim\n  salesproc list --sort follow-up --limit 10";
const EX_ANSWER: &str = "Examples:\n  salesproc answer acme industry Logistics\n  salesproc answer acme learn/budget 48k\n  salesproc answer acme stated-needs \"speed, fewer errors\"";
const EX_DECIDE: &str = "Examples:\n  salesproc decide acme yes\n  salesproc decide acme later --why \"budget frozen\" --revisit \"next friday\"\n  salesproc list --stage propose --format ids | salesproc decide - later --why \"fiscal year\"";
const EX_FOLLOW_UP: &str = "Examples:\n  salesproc follow-up acme tomorrow Send the security questionnaire\n  salesproc follow-up acme \"in 2 weeks\" Call Jane about the pilot";
const EX_INSIGHT: &str = "Examples:\n  salesproc insight acme --for product Needs SSO with Okta\n  salesproc insight acme --for marketing Found us through the Logistics Summit talk";
const EX_LOG: &str = "Examples:\n  salesproc log acme\n  salesproc log acme --format json";
const EX_EDIT: &str = "Examples:\n  salesproc edit acme\n  EDITOR=nano salesproc edit acme";
const EX_PIPELINE: &str =
    "Examples:\n  salesproc pipeline\n  salesproc pipeline --as-of 2026-09-30 --format json";
const EX_PERSONAS: &str =
    "Examples:\n  salesproc personas\n  salesproc personas --format csv > personas.csv";
const EX_INSIGHTS: &str = "Examples:\n  salesproc insights --for product --since \"30 days ago\"\n  salesproc insights --format markdown > voice-of-the-customer.md";
const EX_CHECKLIST: &str =
    "Examples:\n  salesproc checklist\n  salesproc checklist qualify --format markdown";
const EX_VALIDATE: &str =
    "Examples:\n  salesproc validate\n  salesproc validate || echo \"fix the lines above\"";
const EX_FMT: &str = "Examples:\n  salesproc fmt\n  salesproc fmt --check";
const EX_MERGE_FILE: &str = "Examples:\n  git config merge.salesproc.driver \"salesproc merge-file %O %A %B\"   # what init sets up\n  salesproc merge-file base.yaml ours.yaml theirs.yaml   # by hand: the result is in ours.yaml";
const EX_TODAY: &str =
    "Examples:\n  salesproc today\n  salesproc agenda --week\n  salesproc today --format json";
const EX_DONE: &str = "Examples:\n  salesproc done acme --note \"Sent; Jane reads it this week\"\n  salesproc done acme --next friday Call Jane about the questionnaire";
const EX_UNDO: &str = "Examples:\n  salesproc undo\n  salesproc undo acme";
const EX_REOPEN: &str = "Examples:\n  salesproc reopen acme --why \"New budget approved for Q2\"\n  salesproc reopen globex -w \"They came back after the merger\"";
const EX_SEARCH: &str =
    "Examples:\n  salesproc search okta\n  salesproc search \"security review\" --format ids";
const EX_VERSION: &str =
    "Examples:\n  salesproc version\n  salesproc --version             # the same line";
const EX_COMPLETIONS: &str = "Examples:\n  salesproc completions bash > ~/.local/share/bash-completion/completions/salesproc\n  salesproc completions zsh > ~/.zfunc/_salesproc";
const EX_FORECAST: &str = "Examples:\n  salesproc forecast\n  salesproc forecast --by owner\n  salesproc forecast --as-of 2026-06-30 --backtest";
const EX_REPORT: &str = "Examples:\n  salesproc report --html pipeline.html\n  salesproc --dir deals report --html /tmp/report.html\n  salesproc report --html - | gzip > report.html.gz";
const EX_PROCESS: &str = "Examples:\n  salesproc process list\n  salesproc process add meddpicc";
const EX_PROCESS_ADD: &str = "Examples:\n  salesproc process add meddpicc\n  salesproc process add bant && salesproc checklist qualify";
const EX_PROCESS_LIST: &str =
    "Examples:\n  salesproc process list\n  salesproc process list --format json";
const EX_EXPORT: &str = "Examples:\n  salesproc export --preset hubspot > hubspot.csv\n  salesproc export > everything.csv";
const EX_SET: &str = "Examples:\n  salesproc set acme value 48000\n  salesproc set acme close-date 2027-03-31\n  salesproc set acme value none";
const EX_ASSIGN: &str = "Examples:\n  salesproc assign acme kim\n  salesproc list --owner sam --format ids | salesproc assign - kim";
const EX_SCHEMA: &str =
    "Examples:\n  salesproc schema record > schemas/record.schema.json\n  salesproc schema config";
const EX_MAN: &str = "Examples:\n  salesproc man > salesproc.1 && man ./salesproc.1\n  salesproc man --out-dir ~/.local/share/man/man1   # a page per command";

/// `add` arguments.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Company or prospect name
    pub name: String,
    /// Contact person's name
    #[arg(long)]
    pub contact: Option<String>,
    /// Contact person's title
    #[arg(long)]
    pub title: Option<String>,
    /// Contact person's email
    #[arg(long)]
    pub email: Option<String>,
    /// Contact person's phone
    #[arg(long)]
    pub phone: Option<String>,
    /// Who owns the deal [default: owner or me in salesproc.yaml, else your git user.email's
    /// local part, else $USER]
    #[arg(long, add = ArgValueCompleter::new(completion::owners))]
    pub owner: Option<String>,
    /// Id to use instead of one made from the name
    #[arg(long, value_name = "SLUG")]
    pub id: Option<String>,
}

/// The process `init` sets up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProcessKind {
    /// The built-in B2B process alone
    B2b,
    /// Budget, authority, need, timeline
    Bant,
    /// Metrics, economic buyer, decision criteria and process, paper process, pain, champion, competition
    Meddpicc,
    /// Situation, problem, implication, need-payoff
    Spin,
}

impl ProcessKind {
    /// The pack's name, or `None` for the plain process.
    pub fn pack(self) -> Option<&'static str> {
        match self {
            ProcessKind::B2b => None,
            ProcessKind::Bant => Some("bant"),
            ProcessKind::Meddpicc => Some("meddpicc"),
            ProcessKind::Spin => Some("spin"),
        }
    }
}

/// `process` subcommands.
#[derive(Debug, Subcommand)]
pub enum ProcessAction {
    /// Add a methodology pack's questions to this folder (checklists/packs/NAME.yaml)
    #[command(after_help = EX_PROCESS_ADD)]
    Add {
        /// The pack
        #[arg(value_parser = ["bant", "meddpicc", "spin"])]
        name: String,
    },
    /// List the packs and whether this folder uses them
    #[command(after_help = EX_PROCESS_LIST, mut_arg("format", formats(ROWS)))]
    List {
        #[command(flatten)]
        format: FormatArg,
    },
}

/// How `pipeline` groups over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PipelineBy {
    Month,
}

/// How `forecast` groups deals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForecastBy {
    Month,
    Quarter,
    Owner,
}

/// `forecast` arguments.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// Forecast as it would have been made at the end of this day
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Group deals by expected close month, quarter, or by owner
    #[arg(long, value_enum, default_value_t = ForecastBy::Month)]
    pub by: ForecastBy,
    /// With --as-of: compare the forecast with what happened since (and a Brier score)
    #[arg(long, requires = "as_of")]
    pub backtest: bool,
    #[command(flatten)]
    pub format: FormatArg,
}

/// A record field `set` changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SetField {
    /// The deal value, in the folder's currency
    Value,
    /// The expected close date
    #[value(alias = "close_date")]
    CloseDate,
}

/// A CRM whose deal export `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportPreset {
    Hubspot,
    Pipedrive,
    Salesforce,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportPreset {
    /// HubSpot's deal import: Deal Name, Pipeline, Deal Stage, Amount, Close Date (MM/DD/YYYY)…
    Hubspot,
    /// Pipedrive's deal import: Deal - Title, Deal - Value, Deal - Stage, Deal - Status…
    Pipedrive,
    /// Salesforce's opportunity import: Opportunity Name, Stage, Close Date (MM/DD/YYYY)…
    Salesforce,
    /// Every field, answers as step.item columns; `salesproc import` reads it back
    Csv,
}

/// `import` arguments.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file (`-` reads stdin)
    pub file: PathBuf,
    /// The rules file mapping columns to records [default: FILE.rules.yaml beside the CSV]
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Read a CRM's deal export by its column names (a rules file adds to it)
    #[arg(long, value_enum)]
    pub preset: Option<ImportPreset>,
    /// Print what would be created, updated and skipped; write nothing
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `list` filters.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only records at this step
    #[arg(long, value_name = "STEP", add = ArgValueCompleter::new(completion::steps))]
    pub stage: Option<String>,
    /// Only records in this phase
    #[arg(long, value_name = "PHASE", add = ArgValueCompleter::new(completion::phases))]
    pub phase: Option<String>,
    /// Only records with this status
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Only records of this owner
    #[arg(long, add = ArgValueCompleter::new(completion::owners))]
    pub owner: Option<String>,
    /// Only open records with no activity for longer than the step's stale_after_days
    #[arg(long)]
    pub stale: bool,
    /// Only open or nurturing records whose follow-up is today or overdue
    #[arg(long)]
    pub due: bool,
    /// The columns to print, in order (every format): id, name, owner, contact, phase, stage,
    /// status, progress, value, close_date, follow_up, follow_up_action, created, last_activity
    #[arg(long, alias = "fields", value_delimiter = ',', value_name = "COLUMNS")]
    pub columns: Vec<String>,
    /// Order [default: activity, most recent first]
    #[arg(long, value_enum, value_name = "KEY")]
    pub sort: Option<SortKey>,
    /// At most this many rows
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `list --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    /// Next follow-up first; none last
    FollowUp,
    /// Most recently active first
    Activity,
    /// By name, A to Z
    Name,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn format_names_are_the_values_clap_takes() {
        for f in Format::value_variants() {
            assert_eq!(f.to_possible_value().unwrap().get_name(), f.name());
        }
    }
}
