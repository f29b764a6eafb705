//! Exporting the stored messages as a Maildir of RFC 5322 files, so notmuch can index the
//! very corpus hako searches (the search benchmark's comparison).

use anyhow::Result;
use hako_store::{IndexDoc, Store};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::search::for_each_doc;

/// Writes every stored message as an RFC 5322 file in `maildir/cur`; returns how many.
pub(super) fn export_maildir(store: &Store, maildir: &Path) -> Result<u64> {
    let _ = std::fs::remove_dir_all(maildir);
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub))?;
    }
    let cur = maildir.join("cur");
    let mut n = 0;
    let mut first: HashMap<i64, i64> = HashMap::new();
    for_each_doc(store, |docs| {
        first.clear();
        for d in docs {
            first.entry(d.ticket_id).or_insert(d.message_id);
        }
        for d in docs {
            let mut mail = Vec::with_capacity(d.body.len() + 512);
            write_mail(&mut mail, d, first[&d.ticket_id])?;
            std::fs::write(cur.join(format!("{}.hako:2,S", d.message_id)), &mail)?;
            n += 1;
        }
        Ok(())
    })?;
    Ok(n)
}

fn write_mail(w: &mut Vec<u8>, d: &IndexDoc, thread_root: i64) -> Result<()> {
    let from = if d.from_address.is_empty() {
        "agent@hako.example"
    } else {
        &d.from_address
    };
    if d.from_name.is_empty() {
        write!(w, "From: <{from}>\r\n")?;
    } else {
        write!(
            w,
            "From: {} <{from}>\r\n",
            hako_corpus::encoded_header(&d.from_name)
        )?;
    }
    let to = if d.to.is_empty() {
        "support@hako.example".to_string()
    } else {
        d.to.join(", ")
    };
    write!(w, "To: {to}\r\n")?;
    write!(
        w,
        "Subject: {}\r\n",
        hako_corpus::encoded_header(&d.subject)
    )?;
    write!(w, "Date: {}\r\n", d.date.to_rfc2822())?;
    write!(w, "Message-ID: <m{}@bench.hako.example>\r\n", d.message_id)?;
    if d.message_id != thread_root {
        write!(w, "In-Reply-To: <m{thread_root}@bench.hako.example>\r\n")?;
        write!(w, "References: <m{thread_root}@bench.hako.example>\r\n")?;
    }
    write!(
        w,
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n"
    )?;
    for line in d.body.lines() {
        write!(w, "{line}\r\n")?;
    }
    Ok(())
}
