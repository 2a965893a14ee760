//! The rules that map a CSV's columns to a record, in the spirit of hledger's
//! CSV rules: a small YAML file beside the CSV (`deals.csv.rules.yaml`) or
//! named with `--rules`, or a built-in preset.

use anyhow::{Result, anyhow, bail};
use indexmap::IndexMap;
use serde::Deserialize;
use std::path::Path;

/// One or more column names; the first one the CSV has is used.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Columns {
    One(String),
    Any(Vec<String>),
}

impl Columns {
    /// The names, in order of preference.
    pub fn names(&self) -> Vec<&str> {
        match self {
            Columns::One(s) => vec![s.as_str()],
            Columns::Any(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// How day and month are ordered in dates like `03/04/2027`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    /// `03/31/2027` (the default; ISO dates always read as ISO).
    #[default]
    MonthFirst,
    /// `31/03/2027`.
    DayFirst,
}

/// A rules file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Field separator (default `,`).
    #[serde(default)]
    pub delimiter: Option<char>,
    /// How slashed dates are read.
    #[serde(default)]
    pub dates: DateOrder,
    /// The decimal mark of amounts, `.` or `,` (default: guessed per cell;
    /// `1.000` reads as one unless this is `,`).
    #[serde(default)]
    pub decimal: Option<char>,
    /// The user key the external id is kept in (default `crm_id`).
    #[serde(default)]
    pub key: Option<String>,
    /// Target → column: `name`, `id`, `external_id`, `contact.name`,
    /// `contact.email`, `contact.phone`, `contact.title`, `owner`, `stage`,
    /// `status`, `value`, `close_date`, `created`, `follow_up.date`,
    /// `follow_up.action`, `answers.STEP.ITEM`, `extra.KEY`.
    #[serde(default)]
    pub columns: IndexMap<String, Columns>,
    /// CRM stage name → `step`, `step:won`, `step:lost`, `won` or `lost`
    /// (case-insensitive).
    #[serde(default)]
    pub stages: IndexMap<String, String>,
    /// Status column value → `open`, `won`, `lost` or `nurturing`
    /// (case-insensitive; `won`, `lost` and `open` are known anyway).
    #[serde(default)]
    pub statuses: IndexMap<String, String>,
    /// Target → value for rows whose cell is empty or missing (`stage: present`).
    #[serde(default)]
    pub defaults: IndexMap<String, String>,
}

/// The targets a column can fill, besides `answers.STEP.ITEM` and `extra.KEY`.
pub const TARGETS: &[&str] = &[
    "name",
    "id",
    "external_id",
    "contact.name",
    "contact.email",
    "contact.phone",
    "contact.title",
    "owner",
    "stage",
    "status",
    "value",
    "close_date",
    "created",
    "follow_up.date",
    "follow_up.action",
];

impl Rules {
    /// Reads a rules file; errors name the file, line and column.
    pub fn load(path: &Path) -> Result<Rules> {
        let shown = crate::store::show(path);
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow!("could not read rules file {shown}: {e}"))?;
        let rules: Rules = crate::yaml::from_str(&text).map_err(|e| {
            anyhow!(
                "{shown}:{}:{}: {}\nhint: a rules file has columns:, stages:, statuses:, defaults:, key:, dates: and delimiter: (see the README)",
                e.line,
                e.column,
                e.message
            )
        })?;
        rules.check().map_err(|e| anyhow!("{shown}: {e:#}"))?;
        Ok(rules)
    }

    /// Checks the targets' names.
    pub fn check(&self) -> Result<()> {
        if let Some(d) = self.decimal
            && d != ','
            && d != '.'
        {
            bail!("decimal is \"{d}\"\nhint: decimal: \",\" or decimal: \".\"");
        }
        for target in self.columns.keys().chain(self.defaults.keys()) {
            let ok = TARGETS.contains(&target.as_str())
                || target.strip_prefix("answers.").is_some_and(|r| {
                    r.split_once('.')
                        .is_some_and(|(s, i)| !s.is_empty() && !i.is_empty())
                })
                || target.strip_prefix("extra.").is_some_and(|k| !k.is_empty());
            if !ok {
                bail!(
                    "unknown target \"{target}\"\nhint: targets are {}, answers.STEP.ITEM and extra.KEY",
                    TARGETS.join(", ")
                );
            }
        }
        Ok(())
    }

    /// The user key that holds the external id.
    pub fn key(&self) -> &str {
        self.key.as_deref().unwrap_or("crm_id")
    }

    /// `rules` on top of `self`: its columns, stages, statuses and defaults
    /// win; its settings replace ours when given.
    pub fn overlay(mut self, rules: Rules) -> Rules {
        self.columns.extend(rules.columns);
        self.stages.extend(rules.stages);
        self.statuses.extend(rules.statuses);
        self.defaults.extend(rules.defaults);
        if rules.delimiter.is_some() {
            self.delimiter = rules.delimiter;
        }
        if rules.key.is_some() {
            self.key = rules.key;
        }
        if rules.decimal.is_some() {
            self.decimal = rules.decimal;
        }
        if rules.dates != DateOrder::default() {
            self.dates = rules.dates;
        }
        self
    }
}
