//! Feeds the search index (derived data) from the store: drains the queue of changed tickets
//! (filled in the same transaction as every change), rebuilds everything for `hako reindex`,
//! and checks that every stored message is indexed. The index is committed before the queue
//! entries are deleted, so a crash in between only repeats work.

use anyhow::{Context, Result};
use hako_config::Config;
use hako_domain::TicketId;
use hako_search::{MessageDoc, SearchIndex};
use hako_store::{IndexDoc, Store};
use std::collections::HashSet;
use std::path::PathBuf;

/// Tickets re-indexed per index commit.
const BATCH: u32 = 500;

pub fn index_dir(config: &Config) -> PathBuf {
    config.data_dir.join("index")
}

pub fn open(config: &Config) -> Result<SearchIndex> {
    let dir = index_dir(config);
    SearchIndex::open(&dir).with_context(|| format!("search index {}", dir.display()))
}

fn to_doc(d: IndexDoc) -> MessageDoc {
    MessageDoc {
        message_id: d.message_id,
        ticket_id: d.ticket_id,
        ticket_number: d.ticket_number,
        inbox_id: d.inbox_id,
        inbox: d.inbox,
        direction: d.direction,
        from_address: d.from_address,
        from_name: d.from_name,
        to: d.to,
        cc: d.cc,
        subject: d.subject,
        body: d.body,
        attachment_names: d.attachment_names,
        labels: d.labels,
        status: d.status,
        assignee: d.assignee,
        date: d.date,
    }
}

/// Re-indexes these tickets (all their messages, as they are now) without committing.
fn replace(store: &Store, index: &SearchIndex, tickets: &[TicketId]) -> Result<()> {
    let docs: Vec<MessageDoc> = store.index_docs(tickets)?.into_iter().map(to_doc).collect();
    let ids: Vec<i64> = tickets.iter().map(|t| t.0).collect();
    index.replace_tickets(&ids, &docs)?;
    Ok(())
}

/// Tickets `hako serve` indexes before it looks up again (logs progress, checks for a stop).
pub const DRAIN_SLICE: u64 = 5_000;

/// Indexes queued tickets, about `max` of them (whole batches); returns how many.
pub fn drain(store: &mut Store, index: &SearchIndex, max: u64) -> Result<u64> {
    let mut done = 0;
    while done < max {
        let (tickets, upto) = store.pending_index(BATCH)?;
        let Some(upto) = upto else { break };
        replace(store, index, &tickets)?;
        index.commit()?;
        store.ack_index(&tickets, upto)?;
        done += tickets.len() as u64;
    }
    Ok(done)
}

/// Rebuilds the index from the database, calling `progress(done, total)` per batch.
pub fn rebuild(
    store: &mut Store,
    config: &Config,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64> {
    let dir = index_dir(config);
    let index =
        SearchIndex::recreate(&dir).with_context(|| format!("search index {}", dir.display()))?;
    // Whatever is queued now is covered by the rebuild; later changes queue again.
    let (_, upto) = store.pending_index(u32::MAX)?;
    let total = store.ticket_rows()?;
    let (mut after, mut done) = (0, 0u64);
    loop {
        let batch = store.ticket_ids_after(after, BATCH)?;
        let Some(last) = batch.last() else { break };
        after = last.0;
        replace(store, &index, &batch)?;
        done += batch.len() as u64;
        progress(done, total);
    }
    index.commit()?;
    if let Some(upto) = upto {
        let all: Vec<TicketId> = store.pending_index(u32::MAX)?.0;
        store.ack_index(&all, upto)?;
    }
    Ok(done)
}

/// Stored messages missing from the index, and indexed ones no longer stored.
#[derive(Debug, serde::Serialize)]
pub struct Check {
    pub stored: u64,
    pub indexed: u64,
    pub missing: Vec<i64>,
    pub extra: Vec<i64>,
    pub queued_tickets: u64,
}

pub fn check(store: &Store, index: &SearchIndex) -> Result<Check> {
    let stored: Vec<i64> = store.all_message_ids()?;
    let indexed: HashSet<i64> = index.indexed_message_ids()?.into_iter().collect();
    let stored_set: HashSet<i64> = stored.iter().copied().collect();
    let mut extra: Vec<i64> = indexed.difference(&stored_set).copied().collect();
    extra.sort_unstable();
    Ok(Check {
        stored: stored.len() as u64,
        indexed: indexed.len() as u64,
        missing: stored
            .into_iter()
            .filter(|m| !indexed.contains(m))
            .collect(),
        extra,
        queued_tickets: store.index_backlog()?,
    })
}
