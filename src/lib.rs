//! salesproc: run a B2B sales process from YAML checklists, with every
//! prospect a plain YAML file in a git-friendly folder.
//!
//! The binary is a thin shell over this library; the library is public so
//! that examples (the record generator) and benchmarks write records through
//! the tool's own code.

pub mod cli;
pub mod clock;
pub mod commands;
pub mod completion;
pub mod config;
pub mod fastyaml;
pub mod fixes;
pub mod flow;
pub mod git;
pub mod history;
pub mod hooks;
pub mod import;
pub mod index;
pub mod journal;
pub mod listing;
pub mod lookup;
pub mod merge;
pub mod output;
pub mod parallel;
pub mod process;
pub mod prompt;
pub mod prospect;
pub mod report;
pub mod slug;
pub mod store;
pub mod summary;
pub mod table;
pub mod validate;
pub mod value;
pub mod yaml;
