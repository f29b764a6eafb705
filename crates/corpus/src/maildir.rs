//! Writes mails into a Maildir (cur/, new/, tmp/; <https://cr.yp.to/proto/maildir.html>):
//! each file in `cur/` named `<arrival time>.<n>.corpus:2,` with `n` zero-padded, so name
//! order is arrival order (as `hako import` reads a Maildir), and its modification time set
//! to the arrival, which Dovecot reports as the IMAP INTERNALDATE.

use chrono::{DateTime, Utc};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// When a generated mail reached us: the date of its first (newest) Received header, else
/// its Date header.
pub fn arrival_time(raw: &[u8]) -> Option<DateTime<Utc>> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..end]);
    let unfolded = head.replace("\r\n\t", " ").replace("\r\n ", " ");
    let field = |name: &str| {
        unfolded
            .split("\r\n")
            .find_map(|l| l.strip_prefix(name).map(str::to_string))
    };
    let received = field("Received: ").and_then(|r| r.rsplit_once(';').map(|(_, d)| d.to_string()));
    [received, field("Date: ")]
        .into_iter()
        .flatten()
        .find_map(|d| {
            let d = d.split(" (").next().unwrap_or(&d).trim().to_string();
            DateTime::parse_from_rfc2822(&d)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
}

/// Writes every mail of `mails` into the Maildir `dir` (created if missing); returns how
/// many were written.
pub fn write_maildir(dir: &Path, mails: impl IntoIterator<Item = Vec<u8>>) -> io::Result<u64> {
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(dir.join(sub))?;
    }
    let mut n = 0u64;
    for raw in mails {
        let at = arrival_time(&raw).unwrap_or_else(Utc::now);
        let name = format!("{}.{n:08}.corpus:2,", at.timestamp());
        let tmp = dir.join("tmp").join(&name);
        let mut f = File::create(&tmp)?;
        f.write_all(&raw)?;
        let secs = u64::try_from(at.timestamp()).unwrap_or(0);
        f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))?;
        drop(f);
        fs::rename(&tmp, dir.join("cur").join(&name))?;
        n += 1;
    }
    Ok(n)
}
