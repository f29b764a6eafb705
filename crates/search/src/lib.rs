//! hako's full-text search over messages, answered as tickets: a tantivy index with a
//! tokenizer for Japanese and English ([`tokenizer`]), a Gmail-like query language
//! ([`parse_query`]) and a search that only ever looks inside the inboxes the asker may see
//! ([`Scope`]).
//!
//! It knows nothing of SQLite: the store hands over [`MessageDoc`]s, and the index is derived
//! data that `hako reindex` can rebuild at any time ([`SearchIndex::delete_all`], or
//! [`SearchIndex::recreate`] after a schema change).
//!
//! ```text
//! let index = SearchIndex::open(dir)?;
//! index.replace_tickets(&[ticket_id], &docs)?;   // delete by ticket id, then add
//! index.commit()?;                               // commit and reload: visible now
//! let q = parse_query("請求書 from:example.jp after:2026-10-01", chrono_tz::Asia::Tokyo)?;
//! let page = index.search(&q, &Scope::inboxes([1, 2]), SortBy::Newest, Page::first(25))?;
//! ```
//!
//! Every condition of a query applies to one message; a ticket matches when any of its
//! messages does, and comes back once, with the number of its matching messages.

mod collect;
mod compile;
mod document;
mod error;
mod index;
mod lexer;
mod normalize;
mod query;
mod schema;
mod search;
mod snippet;
pub mod tokenizer;

pub use document::{MAX_BODY_BYTES, MessageDoc};
pub use error::{QueryError, SearchError};
pub use index::{SearchIndex, VERSION_FILE};
pub use normalize::normalize;
pub use query::{AddressMatch, Atom, Clause, Condition, SearchQuery, parse_query};
pub use schema::SCHEMA_VERSION;
pub use search::{Page, Scope, SearchPage, SortBy, TicketHit};
