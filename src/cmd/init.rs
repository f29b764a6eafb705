//! `hako init`: data folder, database, inboxes from the config, and the first admin.
//! Unattended with `--admin-email` and the password in `HAKO_ADMIN_PASSWORD`; safe to run
//! again (it only adds what is missing).

use anyhow::{Context, Result, bail};
use clap::Args;
use hako_domain::{EmailAddress, Role};
use hako_store::{NewAgent, Store, StoreError};
use std::path::Path;

use crate::context::{db_path, effective_config, load_config, sync_inboxes};

#[derive(Args)]
pub struct InitArgs {
    /// Create this admin (password from HAKO_ADMIN_PASSWORD or --password-stdin).
    #[arg(long, value_name = "EMAIL")]
    admin_email: Option<String>,
    /// The admin's display name.
    #[arg(long, default_value = "Admin")]
    admin_name: String,
    /// Read the admin password from one line of standard input.
    #[arg(long)]
    password_stdin: bool,
}

pub fn run(config: Option<&Path>, a: &InitArgs) -> Result<()> {
    let config = load_config(config)?;
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("data folder {}: cannot create", config.data_dir.display()))?;
    let db = db_path(&config);
    let fresh = !db.exists();
    let mut store = Store::open(&db)?;
    // Run again on an existing folder, init keeps the inboxes edited in the web UI.
    let config = effective_config(&store, &config)?;
    sync_inboxes(&mut store, &config)?;
    crate::context::seed_templates(&mut store)?;
    println!(
        "{} {} (schema {})",
        if fresh { "created" } else { "updated" },
        db.display(),
        store.schema_version()?
    );
    for i in store.inboxes()? {
        println!("inbox {}: {} <{}>", i.name, i.display_name, i.address);
    }
    if let Some(email) = &a.admin_email {
        let email = EmailAddress::parse(email).with_context(|| format!("admin {email}"))?;
        match store.agent_by_email(email.as_str()) {
            Ok(existing) => println!("admin {}: already exists, left as is", existing.email),
            Err(StoreError::NotFound { .. }) => {
                let Some(password) = super::password_from("HAKO_ADMIN_PASSWORD", a.password_stdin)?
                else {
                    bail!(
                        "admin {email}: no password; set HAKO_ADMIN_PASSWORD or pass --password-stdin"
                    );
                };
                let inboxes = store.inboxes()?.into_iter().map(|i| i.id).collect();
                let admin = store.add_agent(
                    hako_domain::Actor::System,
                    &NewAgent {
                        name: a.admin_name.clone(),
                        email,
                        role: Role::Admin,
                        colour: None,
                        inboxes,
                        password: Some(password),
                        can_send: true,
                    },
                )?;
                println!("admin {}: created", admin.email);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
