//! Every clap type. Nothing below `commands/` sees these: they are turned into
//! plain values at the edge.

use clap::{Args, Parser, Subcommand, ValueEnum};
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
    Init {
        /// Folder to create [default: the current folder]
        dir: Option<PathBuf>,
        /// Do not run `git init` or set up the merge driver
        #[arg(long)]
        no_git: bool,
    },
    /// Add a prospect at the first step; prints its id
    Add(AddArgs),
    /// Walk a prospect's current step interactively (the main job)
    Next {
        /// Id, unique id prefix or name; a new name is offered for creation (`-`: pending items of
        /// each id on stdin)
        prospect: String,
    },
    /// Show one prospect: every step, answers, decisions, follow-up, insights
    Show {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        prospect: String,
    },
    /// List prospects, most recently active first
    List(ListArgs),
    /// Answer one checklist item without prompts
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
    Log {
        /// Id, unique id prefix or name (`-` reads ids from stdin)
        prospect: String,
    },
    /// Edit a prospect's file in $VISUAL or $EDITOR, validated on save
    Edit {
        /// Id, unique id prefix or name
        prospect: String,
    },
    /// The funnel: counts, conversion, days in step, win rate, cycle time
    Pipeline {
        /// Rebuild the figures as they stood at the end of this day
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
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
        step: Option<String>,
    },
    /// Check settings, checklists and records; one line per problem
    Validate,
    /// Rewrite every record in canonical form
    Fmt {
        /// Only list the files that are not canonical; exit 1 if any
        #[arg(long)]
        check: bool,
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
    /// Print a shell completion script
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page
    Man,
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
