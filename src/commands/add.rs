//! `salesproc add NAME [--contact … --title … --email … --owner … --id SLUG]`

use super::{Ctx, Exit, UsageError, actor};
use crate::cli::AddArgs;
use crate::prospect::Contact;
use crate::store::Store;
use crate::{flow, output, slug};
use anyhow::Result;

/// Adds a record at the first step and prints its id.
pub fn run(ctx: &Ctx, args: AddArgs) -> Result<Exit> {
    let store = ctx.store()?;
    let contact = Contact {
        name: args.contact,
        title: args.title,
        email: args.email,
        phone: args.phone,
        extra: Default::default(),
    };
    let id = create(&store, &args.name, contact, args.owner, args.id.as_deref())?;
    output::print(&format!("{id}\n"))?;
    Ok(Exit::Success)
}

/// The longest id `--id` takes (names make ids of at most 80).
const MAX_ID: usize = 120;

/// Creates a record; shared with `next`, which offers to create unknown names.
pub fn create(
    store: &Store,
    name: &str,
    contact: Contact,
    owner: Option<String>,
    id: Option<&str>,
) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(UsageError("a prospect needs a name".into()).into());
    }
    let base = match id {
        Some(id) if !slug::is_slug(id) => {
            return Err(UsageError(format!("--id \"{id}\" is not a valid id\nhint: use lowercase letters, digits and dashes, e.g. {}", slug::slugify(id))).into());
        }
        // A file name holds 255 bytes, and a write's temp file adds to it.
        Some(id) if id.len() > MAX_ID => {
            return Err(UsageError(format!(
                "--id is {} characters long; an id has at most {MAX_ID}\nhint: a shorter one, e.g. {}",
                id.len(),
                slug::slugify(&id[..MAX_ID])
            ))
            .into());
        }
        Some(id) => id.to_string(),
        None => slug::slugify(name),
    };
    if base.is_empty() {
        return Err(UsageError(format!(
            "cannot make an id from \"{name}\"\nhint: pass --id SLUG"
        ))
        .into());
    }
    let taken = || -> anyhow::Error {
        if id.is_some() {
            return UsageError(format!("id \"{base}\" is taken\nhint: choose another --id")).into();
        }
        // A second record for the same company is almost always a typo or a
        // double entry: refuse, and name the one that exists.
        anyhow::anyhow!(
            "\"{name}\" already exists as {base}\nhint: `salesproc next {base}` walks it; to add another prospect of that name, pass --id SLUG"
        )
    };
    let path = store.path_of(&base)?;
    if let Ok(m) = std::fs::metadata(&path)
        && !m.is_file()
    {
        // A FIFO or a folder in the record's place: no record to walk.
        anyhow::bail!(
            "{} is in the way of \"{name}\": it is not a regular file\nhint: move it out of prospects/; records are plain files",
            crate::store::show(&path)
        );
    }
    if path.exists() {
        return Err(taken());
    }
    let owner = owner.or_else(|| store.default_owner());
    let who = actor(store);
    let record = flow::new_record(name, contact, owner, &store.process, &who);
    let id = store.create(&base, record, taken)?;
    output::status(&format!(
        "added {id} ({name}) at {}",
        store.process.steps[0].checklist.title
    ));
    Ok(id)
}
