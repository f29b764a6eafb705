//! One `hako serve` per data folder. Serve holds an exclusive lock on `serve.lock` in the data
//! folder for as long as it runs: a second serve stops at once with a clear error instead of
//! fighting over the search index, and `hako reindex` knows to hand its work to the running
//! serve (which holds the index writer) instead of deleting the index under it. The lock is
//! the operating system's (flock): it goes away with the process, even after kill -9.

use anyhow::{Context, Result};
use hako_config::Config;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

fn path(config: &Config) -> PathBuf {
    config.data_dir.join("serve.lock")
}

/// The lock, held until the returned file is dropped; `None` while another process holds it.
pub fn try_hold(config: &Config) -> Result<Option<File>> {
    let path = path(config);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("{}: cannot open", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("{}: cannot lock", path.display()))
        }
    }
}
