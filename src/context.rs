//! What every command needs: the loaded config, the opened store (migrated, inboxes synced
//! from the config, due snoozes woken), and who is acting.

use anyhow::{Context, Result, bail};
use hako_config::Config;
use hako_domain::{Actor, Agent, EmailAddress};
use hako_store::{NewInbox, Store};
use std::path::{Path, PathBuf};

pub struct Ctx {
    pub config: Config,
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
    pub fn open(config: Option<&Path>, actor: Option<&str>) -> Result<Ctx> {
        let config = load_config(config)?;
        let db = db_path(&config);
        if !db.exists() {
            bail!(
                "database {}: not found; run `hako init` first",
                db.display()
            );
        }
        let mut store = Store::open(&db)?;
        sync_inboxes(&mut store, &config)?;
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

/// The config file is the source of truth for inboxes: create or update each by name, and
/// only write when something differs.
pub fn sync_inboxes(store: &mut Store, config: &Config) -> Result<()> {
    let current = store.inboxes()?;
    for ic in &config.inbox {
        let address = EmailAddress::parse(&ic.address)
            .with_context(|| format!("inbox {}: address", ic.name))?;
        let same = current.iter().any(|i| {
            i.name == ic.name
                && i.address == address
                && i.display_name == ic.display_name
                && i.signature == ic.signature
                && i.requires_approval == ic.require_approval
                && i.auto_reply == ic.auto_reply
        });
        if !same {
            store
                .sync_inbox(&NewInbox {
                    name: ic.name.clone(),
                    address,
                    display_name: ic.display_name.clone(),
                    signature: ic.signature.clone(),
                    requires_approval: ic.require_approval,
                    auto_reply: ic.auto_reply.clone(),
                })
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
