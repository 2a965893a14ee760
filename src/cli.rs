//! Every clap type. Nothing below `commands/` sees these: they are turned into
//! plain values at the edge.

use crate::completion;
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCompleter;
use std::path::PathBuf;

/// Run a B2B sales process from YAML checklists; prospects are plain YAML files in git.
#[derive(Debug, Parser)]
#[command(name = "salesproc", version, about, long_about = None, max_term_width = 100)]
#[command(
    after_help = "Start with `salesproc next \"Acme Corp\"`: it creates the prospect and walks its first step."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted before or after any subcommand.
#[derive(Debug, Args, Clone)]
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
    /// Output format of read commands
    #[arg(long, short = 'f', global = true, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
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
    Add(AddArgs),
    /// Walk a prospect's current step interactively (the main job)
    Next {
        /// Id, unique id prefix or name; a new name is offered for creation (`-`: pending items of
        /// each id on stdin)
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
    },
    /// Show one prospect: every step, answers, decisions, follow-up, insights
    Show {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
    },
    /// List prospects, most recently active first
    List(ListArgs),
    /// Answer one checklist item without prompts
    Answer {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
        /// Item id in the current step, or STEP/ITEM
        #[arg(add = ArgValueCompleter::new(completion::items))]
        item: String,
        /// The answer [default: prompt]. For list items, one argument is split at commas; several
        /// arguments are the elements as given, commas and all ("Jane Doe, VP Ops" "Bob Smith")
        #[arg(add = ArgValueCompleter::new(completion::values))]
        value: Vec<String>,
    },
    /// Decide on the current step: yes, no or later
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
        /// With later: when to revisit (YYYY-MM-DD, today, tomorrow, +3d, +2w)
        #[arg(long, value_name = "DATE")]
        revisit: Option<String>,
    },
    /// Set the agreed next step
    #[command(name = "follow-up")]
    FollowUp {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
        /// When (YYYY-MM-DD, today, tomorrow, +3d, +2w)
        date: String,
        /// What
        #[arg(required = true)]
        action: Vec<String>,
    },
    /// Capture a voice-of-the-customer insight
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
    Log {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
    },
    /// Edit a prospect's file in $VISUAL or $EDITOR, validated on save
    Edit {
        /// Id, unique id prefix or name
        #[arg(add = ArgValueCompleter::new(completion::prospects))]
        prospect: String,
    },
    /// The funnel: counts, conversion, days in step, win rate, cycle time
    Pipeline {
        /// Rebuild the figures as they stood at the end of this day
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Per month instead: reached, advanced, won, lost, win rate, cycle time
        #[arg(long, value_enum, value_name = "PERIOD")]
        by: Option<PipelineBy>,
    },
    /// Forecast open deals from your own history: win chance, close date, value
    Forecast(ForecastArgs),
    /// Write every report to one self-contained HTML page (funnel, trends, forecast, voice)
    Report {
        /// The HTML file to write
        #[arg(long, value_name = "FILE")]
        html: PathBuf,
    },
    /// Methodology packs: add BANT, MEDDPICC or SPIN questions to this folder's process
    Process {
        #[command(subcommand)]
        action: ProcessAction,
    },
    /// Market fit: how each persona answer spreads over won, lost and open deals
    Personas,
    /// Voice of the customer: insights, tagged answers and the whys of no and later
    Insights {
        /// Only insights for this team
        #[arg(long = "for", value_enum, value_name = "TEAM")]
        audience: Option<Audience>,
        /// Only what was said on or after this date
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
    /// Print the process as a checklist
    Checklist {
        /// Only this step
        #[arg(add = ArgValueCompleter::new(completion::steps))]
        step: Option<String>,
    },
    /// Check settings, checklists and records; one line per problem
    Validate {
        /// Only these record files (`-`: a record on stdin) [default: the whole folder]
        #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
        files: Vec<PathBuf>,
    },
    /// Rewrite every record in canonical form
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
    #[command(
        after_help = "Columns are mapped by a rules file (--rules, or FILE.csv.rules.yaml beside the CSV) or a preset; see the README. Rows are matched to records by external id, else by id, else by name, so importing again updates instead of duplicating."
    )]
    Import(ImportArgs),
    /// Export prospects as CSV for a CRM's importer or a spreadsheet
    Export {
        /// Which columns and date format: a CRM's deal import, or every field (csv)
        #[arg(long, value_enum, default_value_t = ExportPreset::Csv)]
        preset: ExportPreset,
    },
    /// Set a prospect's deal value or expected close date
    Set {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        prospect: String,
        /// The field
        #[arg(value_enum)]
        field: SetField,
        /// The value: an amount (48000, 48,000.50) or a date (YYYY-MM-DD, +30d); `none` clears it
        value: String,
    },
    /// Give a prospect to another owner
    Assign {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        prospect: String,
        /// The new owner
        owner: String,
    },
    /// Print the shell set-up for completion of commands, prospects, steps and items
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the JSON Schema of records, checklists, the process or salesproc.yaml
    Schema {
        /// Which file's schema (the record schema knows the folder's steps and items)
        #[arg(value_enum)]
        kind: SchemaKind,
    },
    /// Print the man page, or write a page per command
    Man {
        /// Write salesproc.1 and a salesproc-COMMAND.1 per command into this folder
        #[arg(long, value_name = "OUT", value_hint = clap::ValueHint::DirPath)]
        out_dir: Option<PathBuf>,
    },
}

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
    Add {
        /// The pack
        #[arg(value_parser = ["bant", "meddpicc", "spin"])]
        name: String,
    },
    /// List the packs and whether this folder uses them
    List,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
