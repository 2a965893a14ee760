//! Every clap type. Nothing below `commands/` sees these: they are turned into
//! plain values at the edge.

use clap::{Args, Parser, Subcommand, ValueEnum};
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
    #[command(subcommand)]
    pub command: Command,
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
    },
    /// Add a prospect at the first step; prints its id
    #[command(after_help = EX_ADD)]
    Add(AddArgs),
    /// Walk a prospect's current step (the main job), or today's agenda one by one
    #[command(after_help = EX_NEXT)]
    Next {
        /// Id, unique id prefix or name; a new name is offered for creation (`-`: pending items of
        /// each id on stdin) [default: each prospect on today's agenda, in order]
        prospect: Option<String>,
    },
    /// Show one prospect: every step, answers, decisions, follow-up, insights
    #[command(after_help = EX_SHOW)]
    Show {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        prospect: String,
    },
    /// List prospects, most recently active first
    #[command(after_help = EX_LIST)]
    List(ListArgs),
    /// Answer one checklist item without prompts
    #[command(after_help = EX_ANSWER)]
    Answer {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        prospect: String,
        /// Item id in the current step, or STEP/ITEM
        item: String,
        /// The answer; several values or a comma list for list items [default: prompt]
        #[arg(allow_negative_numbers = true)]
        value: Vec<String>,
    },
    /// Decide on the current step: yes, no or later
    #[command(after_help = EX_DECIDE)]
    Decide {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
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
        prospect: String,
        /// Who should hear it
        #[arg(long = "for", value_enum, value_name = "TEAM")]
        audience: Audience,
        /// What the customer said or showed
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// Print a prospect's history, oldest first
    #[command(after_help = EX_LOG)]
    Log {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        prospect: String,
    },
    /// Edit a prospect's file in $VISUAL or $EDITOR, validated on save
    #[command(after_help = EX_EDIT)]
    Edit {
        /// Id, unique id prefix or name
        prospect: String,
    },
    /// The funnel: counts, conversion, days in step, win rate, cycle time
    #[command(after_help = EX_PIPELINE)]
    Pipeline {
        /// Rebuild the figures as they stood at the end of this day
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Market fit: how each persona answer spreads over won, lost and open deals
    #[command(after_help = EX_PERSONAS)]
    Personas,
    /// Voice of the customer: insights, tagged answers and the whys of no and later
    #[command(after_help = EX_INSIGHTS)]
    Insights {
        /// Only insights for this team
        #[arg(long = "for", value_enum, value_name = "TEAM")]
        audience: Option<Audience>,
        /// Only what was said on or after this date
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
    /// Print the process as a checklist
    #[command(after_help = EX_CHECKLIST)]
    Checklist {
        /// Only this step
        step: Option<String>,
    },
    /// Check settings, checklists and records; one line per problem
    #[command(after_help = EX_VALIDATE)]
    Validate,
    /// Rewrite every record in canonical form
    #[command(after_help = EX_FMT)]
    Fmt {
        /// Only list the files that are not canonical; exit 1 if any
        #[arg(long)]
        check: bool,
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
    /// The rep's day: due follow-ups, stale prospects, revisits
    #[command(visible_alias = "agenda")]
    #[command(after_help = EX_TODAY)]
    Today {
        /// Also what is due in the next seven days
        #[arg(long)]
        week: bool,
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
    #[command(after_help = EX_SEARCH)]
    Search {
        /// Words to find (case-insensitive; every word must match)
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// Print the version
    #[command(after_help = EX_VERSION)]
    Version,
    /// Print a shell completion script
    #[command(after_help = EX_COMPLETIONS)]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page
    #[command(after_help = EX_MAN)]
    Man,
}

// Every command's `--help` ends with examples (issue 12 #20).
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
const EX_MERGE_FILE: &str = "Examples:\n  git config merge.salesproc.driver \"salesproc merge-file %O %A %B\"   # what init sets up";
const EX_TODAY: &str =
    "Examples:\n  salesproc today\n  salesproc agenda --week\n  salesproc today --format json";
const EX_DONE: &str = "Examples:\n  salesproc done acme --note \"Sent; Jane reads it this week\"\n  salesproc done acme --next friday Call Jane about the questionnaire";
const EX_UNDO: &str = "Examples:\n  salesproc undo\n  salesproc undo acme";
const EX_REOPEN: &str = "Examples:\n  salesproc reopen acme --why \"New budget approved for Q2\"";
const EX_SEARCH: &str =
    "Examples:\n  salesproc search okta\n  salesproc search \"security review\" --format ids";
const EX_VERSION: &str = "Examples:\n  salesproc version";
const EX_COMPLETIONS: &str = "Examples:\n  salesproc completions bash > ~/.local/share/bash-completion/completions/salesproc\n  salesproc completions zsh > ~/.zfunc/_salesproc";
const EX_MAN: &str = "Examples:\n  salesproc man > salesproc.1 && man ./salesproc.1";

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
    /// Who owns the deal [default: owner in salesproc.yaml]
    #[arg(long)]
    pub owner: Option<String>,
    /// Id to use instead of one made from the name
    #[arg(long, value_name = "SLUG")]
    pub id: Option<String>,
}

/// `list` filters.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only records at this step
    #[arg(long, value_name = "STEP")]
    pub stage: Option<String>,
    /// Only records in this phase
    #[arg(long, value_name = "PHASE")]
    pub phase: Option<String>,
    /// Only records with this status
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Only records of this owner
    #[arg(long)]
    pub owner: Option<String>,
    /// Only open records with no activity for longer than the step's stale_after_days
    #[arg(long)]
    pub stale: bool,
    /// Only open or nurturing records whose follow-up is today or overdue
    #[arg(long)]
    pub due: bool,
    /// Order [default: activity, most recent first]
    #[arg(long, value_enum, value_name = "KEY")]
    pub sort: Option<SortKey>,
    /// At most this many rows
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
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
}
