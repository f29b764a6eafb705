//! Running a query: match messages (within the asker's inboxes), group them into tickets,
//! order the tickets, cut the page, and only then read stored fields and build snippets for
//! the tickets on the page.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{DateTime, Utc};
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

use crate::collect::{TicketAgg, TicketCollector};
use crate::compile::compile;
use crate::error::SearchError;
use crate::query::SearchQuery;
use crate::schema::Fields;
use crate::snippet::Highlighter;

/// Which inboxes the asking user may see. Nothing outside them is ever returned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// `None`: every inbox. `Some(vec![])`: none, so nothing matches.
    pub inboxes: Option<Vec<i64>>,
}

impl Scope {
    pub fn all() -> Scope {
        Scope { inboxes: None }
    }

    pub fn inboxes(ids: impl IntoIterator<Item = i64>) -> Scope {
        Scope {
            inboxes: Some(ids.into_iter().collect()),
        }
    }
}

/// Ticket order. Ties fall back to the newest matching message, then the ticket id
/// (descending), so an order never depends on how the index is laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// By the date of the newest matching message. Scores are not computed.
    #[default]
    Newest,
    /// By the best-scoring matching message (BM25, summed over fields).
    Relevance,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
}

impl Page {
    pub fn first(limit: usize) -> Page {
        Page { limit, offset: 0 }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SearchPage {
    /// Matching tickets, all pages together.
    pub total: u64,
    pub hits: Vec<TicketHit>,
}

/// One matching ticket. The message-level fields (`date`, `message_id`, `from_address`,
/// `snippet_html`) are those of its newest matching message when sorting by [`SortBy::Newest`]
/// and of its best-scoring one when sorting by [`SortBy::Relevance`].
#[derive(Clone, Debug, PartialEq)]
pub struct TicketHit {
    pub ticket_id: i64,
    pub ticket_number: i64,
    pub inbox: String,
    pub subject: String,
    pub status: String,
    pub labels: Vec<String>,
    pub assignee: Option<String>,
    pub from_address: String,
    pub date: DateTime<Utc>,
    pub message_id: i64,
    /// How many of the ticket's messages match.
    pub matching_messages: u32,
    /// HTML-escaped body text with `<b>…</b>` around matches.
    pub snippet_html: String,
    /// The best message score: BM25 summed over fields with [`SortBy::Relevance`]; always 0
    /// with [`SortBy::Newest`], which skips scoring, and for queries without free text.
    pub score: f32,
}

/// A key that orders tickets best first when sorted descending; ties fall back to the
/// newest matching message, then the ticket id.
fn key(sort: SortBy, t: &TicketAgg) -> (i64, i64, i64, i64) {
    let (date, message, ticket) = (t.newest.date, t.newest.message_id, t.ticket_id);
    match sort {
        SortBy::Newest => (date, message, ticket, 0),
        SortBy::Relevance => {
            // f32::total_cmp's order as an integer.
            let bits = t.best.score.to_bits() as i32;
            let score = bits ^ (((bits >> 31) as u32) >> 1) as i32;
            (i64::from(score), date, message, ticket)
        }
    }
}

/// The first `k` tickets in `sort` order, best first: a heap of `k`, cheaper than sorting
/// when a query matches many tickets and the page is near the front.
fn top(tickets: Vec<TicketAgg>, sort: SortBy, k: usize) -> Vec<TicketAgg> {
    let mut keyed: Vec<((i64, i64, i64, i64), usize)> = Vec::new();
    if k < tickets.len() / 4 {
        let mut heap = BinaryHeap::with_capacity(k + 1);
        for (i, t) in tickets.iter().enumerate() {
            let entry = Reverse((key(sort, t), i));
            if heap.len() < k {
                heap.push(entry);
            } else if heap.peek().is_some_and(|min| entry < *min) {
                heap.pop();
                heap.push(entry);
            }
        }
        keyed.extend(heap.into_iter().map(|Reverse(e)| e));
    } else {
        keyed.extend(tickets.iter().enumerate().map(|(i, t)| (key(sort, t), i)));
    }
    keyed.sort_unstable_by(|a, b| b.cmp(a));
    keyed.truncate(k);
    keyed.into_iter().map(|(_, i)| tickets[i]).collect()
}

pub(crate) fn run(
    searcher: &Searcher,
    fields: &Fields,
    q: &SearchQuery,
    scope: &Scope,
    sort: SortBy,
    page: Page,
) -> Result<SearchPage, SearchError> {
    if scope.inboxes.as_ref().is_some_and(Vec::is_empty) {
        return Ok(SearchPage {
            total: 0,
            hits: Vec::new(),
        });
    }
    let query = compile(q, scope, fields);
    let tickets = searcher.search(
        query.as_ref(),
        &TicketCollector {
            scoring: sort == SortBy::Relevance,
        },
    )?;
    let total = tickets.len() as u64;
    let end = page.offset.saturating_add(page.limit).min(tickets.len());
    if page.offset >= end {
        return Ok(SearchPage {
            total,
            hits: Vec::new(),
        });
    }
    let tickets = top(tickets, sort, end);
    let highlighter = Highlighter::new(q);
    let hits = tickets[page.offset..]
        .iter()
        .map(|t| hit(searcher, fields, &highlighter, sort, t))
        .collect::<Result<_, _>>()?;
    Ok(SearchPage { total, hits })
}

fn hit(
    searcher: &Searcher,
    f: &Fields,
    highlighter: &Highlighter,
    sort: SortBy,
    t: &TicketAgg,
) -> Result<TicketHit, SearchError> {
    let message = match sort {
        SortBy::Newest => t.newest,
        SortBy::Relevance => t.best,
    };
    let doc: TantivyDocument = searcher.doc(message.doc)?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    Ok(TicketHit {
        ticket_id: t.ticket_id,
        ticket_number: doc
            .get_first(f.ticket_number)
            .and_then(|v| v.as_i64())
            .unwrap_or_default(),
        inbox: text(f.inbox),
        subject: text(f.subject),
        status: text(f.status),
        labels: doc
            .get_all(f.labels)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        assignee: doc
            .get_first(f.assignee)
            .and_then(|v| v.as_str())
            .map(str::to_string),
        from_address: text(f.from_address),
        date: DateTime::from_timestamp(message.date, 0).unwrap_or_default(),
        message_id: message.message_id,
        matching_messages: t.count,
        snippet_html: highlighter.snippet(&text(f.body)),
        score: t.best.score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::MessageHit;
    use tantivy::DocAddress;

    fn agg(ticket_id: i64, date: i64, score: f32) -> TicketAgg {
        let hit = MessageHit {
            date,
            message_id: ticket_id * 10,
            score,
            doc: DocAddress::new(0, 0),
        };
        TicketAgg {
            ticket_id,
            count: 1,
            newest: hit,
            best: hit,
        }
    }

    #[test]
    fn heap_top_agrees_with_a_full_sort() {
        // Dates and scores with ties and negative scores.
        let tickets: Vec<TicketAgg> = (0..200)
            .map(|i| agg(i, (i * 37) % 50, ((i * 13) % 7) as f32 - 3.0))
            .collect();
        for sort in [SortBy::Newest, SortBy::Relevance] {
            let all = top(tickets.clone(), sort, tickets.len());
            for k in [0, 1, 5, 25, 49, 200] {
                let ids = |v: Vec<TicketAgg>| v.iter().map(|t| t.ticket_id).collect::<Vec<_>>();
                assert_eq!(
                    ids(top(tickets.clone(), sort, k)),
                    ids(all[..k].to_vec()),
                    "{sort:?} {k}"
                );
            }
            assert!(all.windows(2).all(|w| key(sort, &w[0]) > key(sort, &w[1])));
        }
    }
}
