//! What every command needs: the loaded config, the opened store (migrated, inboxes synced
//! from the config, due snoozes woken), and who is acting.

use anyhow::{Context, Result, bail};
use hako_config::{Config, InboxConfig};
use hako_domain::{Actor, Agent};
use hako_store::Store;
use hako_web::inbox_row;
use std::path::{Path, PathBuf};

pub struct Ctx {
    /// The config file with the inboxes edited in the web UI laid over it: what commands use.
    pub config: Config,
    /// The config file as written (and overridden by `HAKO_` variables).
    pub file: Config,
    pub store: Store,
    /// The agent named by `--as`, if any.
    pub agent: Option<Agent>,
}

pub fn load_config(explicit: Option<&Path>) -> Result<Config> {
    let path = Config::resolve_path(explicit);
    Ok(Config::load(&path)?)
}

pub fn db_path(config: &Config) -> PathBuf {
    config.data_dir.join("hako.db")
}

impl Ctx {
    /// `strict: false` tolerates inbox settings saved in the web UI that clash with the
    /// config file (warning, and using the file's): `hako inbox list|revert` must still run
    /// to mend it.
    pub fn open(config: Option<&Path>, actor: Option<&str>, strict: bool) -> Result<Ctx> {
        let config = load_config(config)?;
        let db = db_path(&config);
        if !db.exists() {
            bail!(
                "database {}: not found; run `hako init` first",
                db.display()
            );
        }
        let mut store = Store::open(&db)?;
        let file = config;
        let config = match effective_config(&store, &file) {
            Ok(c) => {
                sync_inboxes(&mut store, &c)?;
                c
            }
            // The database's inboxes stay as they are until the clash is mended.
            Err(e) if !strict => {
                eprintln!("warning: {e:#}");
                file.clone()
            }
            Err(e) => return Err(e),
        };
        store.wake_due().context("wake snoozed tickets")?;
        seed_templates(&mut store)?;
        let agent = match actor {
            Some(email) => {
                let a = store.agent_by_email(email)?;
                if !a.active {
                    bail!("user {email}: is deactivated");
                }
                Some(a)
            }
            None => None,
        };
        Ok(Ctx {
            config,
            file,
            store,
            agent,
        })
    }

    pub fn actor(&self) -> Actor {
        self.agent
            .as_ref()
            .map(|a| Actor::Agent(a.id))
            .unwrap_or(Actor::System)
    }

    /// The acting agent, for operations that need a person (take, note).
    pub fn require_agent(&self, what: &str) -> Result<&Agent> {
        self.agent
            .as_ref()
            .with_context(|| format!("{what}: needs --as EMAIL (or HAKO_ACTOR) naming an agent"))
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.config.timezone
    }
}

/// The inboxes saved in the web UI, read back from the database.
pub fn edited_inboxes(store: &Store) -> Result<Vec<InboxConfig>> {
    store
        .edited_inboxes()?
        .into_iter()
        .map(|e| Ok(hako_config::inbox_from_toml(&e.name, &e.settings)?))
        .collect()
}

/// `file` with the inboxes edited in the web UI laid over its own, checked as a whole: a
/// config file changed since then may clash with them (the same address twice, say).
pub fn effective_config(store: &Store, file: &Config) -> Result<Config> {
    let edited = edited_inboxes(store)?;
    if edited.is_empty() {
        return Ok(file.clone());
    }
    let mut config = file.clone();
    config.inbox = hako_config::overlay_inboxes(&file.inbox, edited);
    hako_config::check_inboxes(&config.inbox).context(
        "the config file clashes with inbox settings saved in the web UI; change the file, \
         or drop the web UI's settings with `hako inbox revert NAME`",
    )?;
    Ok(config)
}

/// The config (with the web UI's edits) is the source of truth for inboxes: create or update
/// each by name, and only write when something differs.
pub fn sync_inboxes(store: &mut Store, config: &Config) -> Result<()> {
    let current = store.inboxes()?;
    for ic in &config.inbox {
        let row = inbox_row(ic).map_err(anyhow::Error::msg)?;
        let same = current.iter().any(|i| {
            i.name == row.name
                && i.address == row.address
                && i.display_name == row.display_name
                && i.signature == row.signature
                && i.requires_approval == row.requires_approval
                && i.auto_reply == row.auto_reply
        });
        if !same {
            store
                .sync_inbox(&row)
                .with_context(|| format!("inbox {}", ic.name))?;
        }
    }
    Ok(())
}

/// Adds the built-in reply templates that are missing (edited ones are kept).
pub fn seed_templates(store: &mut Store) -> Result<()> {
    let have: Vec<String> = store.templates()?.into_iter().map(|t| t.name).collect();
    let defaults = hako_outbound::template::DEFAULTS;
    if defaults.iter().any(|(n, _)| !have.iter().any(|h| h == n)) {
        store.seed_templates(&defaults)?;
    }
    Ok(())
}
