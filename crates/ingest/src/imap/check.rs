//! The settings page's connection test for one `[inbox.imap]` account: connect and log in
//! exactly as the sync workers do, open the first configured folder, log out. Nothing is
//! fetched or changed (with `after_ingest = "leave"` the folder is even opened read-only).

use hako_config::ImapConfig;

use super::connect;

/// What the server answered (`Ok`), or the error in the words a sync would log (`Err`).
pub async fn check(cfg: &ImapConfig) -> Result<String, String> {
    let folder = cfg.folders.first().map_or("INBOX", String::as_str);
    let mut client = connect(cfg).await.map_err(|e| e.to_string())?;
    let idle = if client.has_idle() {
        "IDLE"
    } else {
        "no IDLE: polling"
    };
    let info = client.select(folder).await.map_err(|e| e.to_string())?;
    client.logout().await.map_err(|e| e.to_string())?;
    Ok(format!(
        "logged in to {}:{} as {} ({idle}); {folder}: {} messages, UIDVALIDITY {}",
        cfg.host, cfg.port, cfg.username, info.exists, info.uidvalidity
    ))
}
