//! `salesproc schema record|checklist|process|config`: JSON Schemas (draft
//! 2020-12) of the files a team edits, for editors and for other tools. The
//! record schema knows the folder's steps and items; the files under
//! `schemas/` are the built-in process's, and a test keeps them equal to this
//! command's output.

use super::{Ctx, Exit};
pub use crate::cli::SchemaKind as Kind;
use crate::output;
use crate::process::{Item, ItemType, Process};
use anyhow::Result;
use serde_json::{Value, json};

/// Prints one schema as pretty JSON.
pub fn run(ctx: &Ctx, kind: Kind) -> Result<Exit> {
    let process = match kind {
        Kind::Record => ctx.store()?.process,
        _ => Process::builtin(),
    };
    output::print(&render(kind, &process))?;
    Ok(Exit::Success)
}

/// The schema's text, ending in a newline.
pub fn render(kind: Kind, process: &Process) -> String {
    let schema = match kind {
        Kind::Record => record(process),
        Kind::Checklist => checklist(),
        Kind::Process => process_file(),
        Kind::Config => config(),
    };
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
const DATE: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const TIME: &str =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";

fn string() -> Value {
    json!({"type": "string"})
}

fn nullable(mut v: Value) -> Value {
    let Some(obj) = v.as_object_mut() else {
        return v;
    };
    match obj.get_mut("type") {
        Some(Value::String(t)) => {
            let t = t.clone();
            obj.insert("type".into(), json!([t, "null"]));
        }
        _ => {
            if let Some(Value::Array(e)) = obj.get_mut("enum") {
                e.push(Value::Null);
            }
        }
    }
    v
}

/// What a stored answer to `item` may be (null: not answered).
fn answer(item: &Item) -> Value {
    let mut v = match item.kind {
        ItemType::Check => json!({"anyOf": [
            {"type": "boolean"},
            {"enum": ["yes", "no", "Yes", "No", "YES", "NO", "y", "n", "true", "false", "on", "off"]},
            {"type": "null"}
        ]}),
        ItemType::Text => nullable(string()),
        ItemType::Choice => {
            json!({"enum": item.options.iter().map(|o| json!(o)).chain([Value::Null]).collect::<Vec<_>>()})
        }
        ItemType::Number => nullable(json!({"type": "number"})),
        ItemType::Date => json!({"anyOf": [{"type": "string", "pattern": DATE}, {"type": "null"}]}),
        ItemType::List => json!({"anyOf": [
            {"type": "array", "items": {"type": ["string", "number"]}},
            {"type": "null"}
        ]}),
    };
    let mut help = format!("{} ({})", item.ask, item.kind.name());
    if let Some(h) = &item.help {
        help.push_str(&format!(" {h}"));
    }
    v.as_object_mut()
        .expect("an object")
        .insert("description".into(), json!(help));
    v
}

fn answers(process: &Process) -> Value {
    let mut steps = serde_json::Map::new();
    for step in &process.steps {
        let items: serde_json::Map<String, Value> = step
            .checklist
            .items
            .iter()
            .map(|i| (i.id.clone(), answer(i)))
            .collect();
        steps.insert(
            step.id.clone(),
            json!({
                "description": step.checklist.title,
                "type": ["object", "null"],
                "properties": items,
                "additionalProperties": false
            }),
        );
    }
    json!({
        "description": "Answers: step id → item id → value.",
        "type": "object",
        "properties": steps,
        "additionalProperties": false
    })
}

/// A prospect record, `prospects/ID.yaml`.
pub fn record(process: &Process) -> Value {
    let steps: Vec<&str> = process.steps.iter().map(|s| s.id.as_str()).collect();
    let event = json!({
        "type": "object",
        "required": ["at", "event"],
        "properties": {
            "at": {"type": "string", "pattern": TIME, "description": "UTC RFC 3339 time"},
            "by": string(),
            "event": {"enum": crate::prospect::events::ALL},
            "step": {"enum": steps},
            "item": string(),
            "outcome": {"enum": ["yes", "no", "later"]},
            "why": string(),
            "revisit": {"type": "string", "pattern": DATE},
            "to": {"enum": steps},
            "status": {"enum": ["open", "nurturing", "won", "lost"]},
            "date": {"type": "string", "pattern": DATE},
            "action": string()
        }
    });
    json!({
        "$schema": DRAFT,
        "title": "salesproc prospect record",
        "description": format!("A prospect of the process \"{}\". Keys not listed here are kept as they are.", process.name),
        "type": "object",
        "required": ["name", "stage", "status"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "contact": {
                "type": "object",
                "properties": {"name": string(), "title": string(), "email": string(), "phone": string()}
            },
            "owner": string(),
            "stage": {"enum": steps, "description": "The current step"},
            "status": {"enum": ["open", "nurturing", "won", "lost"]},
            "follow_up": {
                "type": "object",
                "properties": {
                    "date": {"type": "string", "pattern": DATE},
                    "action": string()
                }
            },
            "value": {"type": "number", "minimum": 0, "description": "The deal value, in the folder's currency"},
            "close_date": {"type": "string", "pattern": DATE, "description": "The expected close date"},
            "answers": answers(process),
            "insights": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["at", "for", "text"],
                    "properties": {
                        "at": {"type": "string", "pattern": TIME},
                        "for": {"enum": ["product", "marketing", "sales"]},
                        "text": string(),
                        "by": string()
                    }
                }
            },
            "history": {"type": "array", "items": event}
        }
    })
}

/// One step's checklist, `checklists/STEP.yaml`.
pub fn checklist() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "salesproc checklist (one step)",
        "type": "object",
        "required": ["step", "title", "purpose", "items"],
        "additionalProperties": false,
        "properties": {
            "step": string(),
            "phase": string(),
            "title": string(),
            "purpose": string(),
            "stale_after_days": {"type": "integer", "minimum": 0},
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "ask", "type"],
                    "additionalProperties": false,
                    "properties": {
                        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                        "ask": string(),
                        "type": {"enum": ["check", "text", "choice", "number", "date", "list"]},
                        "options": {"type": "array", "items": string()},
                        "required": {"type": "boolean"},
                        "persona": string(),
                        "insight": {"enum": ["product", "marketing", "sales"]},
                        "fills": {"enum": ["value", "close_date"], "description": "The record field this item's answer fills"},
                        "help": string()
                    }
                }
            }
        }
    })
}

/// The process, `checklists/process.yaml`.
pub fn process_file() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "salesproc process (phases and step order)",
        "type": "object",
        "required": ["phases"],
        "additionalProperties": false,
        "properties": {
            "name": string(),
            "later_returns_to": string(),
            "stale_after_days": {"type": "integer", "minimum": 0},
            "phases": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "title", "steps"],
                    "additionalProperties": false,
                    "properties": {
                        "id": string(),
                        "title": string(),
                        "purpose": string(),
                        "steps": {"type": "array", "items": string()}
                    }
                }
            }
        }
    })
}

/// `salesproc.yaml`.
pub fn config() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "salesproc.yaml (pipeline folder settings)",
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": {
            "owner": {"type": "string", "description": "Default owner of new records"},
            "commit": {"type": "boolean", "description": "Commit each change to git (default true)"},
            "me": {"type": "string", "description": "Who you are: the owner of the records you create"},
            "currency": {"type": "string", "description": "The currency of deal values (EUR, USD…)"},
            "themes": {
                "type": "array",
                "description": "The folder's own themes for the whys of later, before the built-in ones",
                "items": {
                    "type": "object",
                    "required": ["theme", "words"],
                    "additionalProperties": false,
                    "properties": {"theme": string(), "words": {"type": "array", "items": string()}}
                }
            }
        }
    })
}
