//! [`SearchIndex`]: the tantivy index, its one writer and a reader that reloads on commit.
//! The index is derived data: tantivy has no update, so a ticket is re-indexed by deleting
//! every document with its id and adding its messages again, and `hako reindex` rebuilds it
//! all from the database.
//!
//! A disk index carries a [`VERSION_FILE`] holding [`SCHEMA_VERSION`]; opening an index with
//! another version (or none) fails with a hint to run `hako reindex`, which uses
//! [`SearchIndex::recreate`].

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::document::MessageDoc;
use crate::error::SearchError;
use crate::query::SearchQuery;
use crate::schema::{Fields, SCHEMA_VERSION, build_schema, register_tokenizers};
use crate::search::{Page, Scope, SearchPage, SortBy, run};

/// The file in the index directory that holds the schema version.
pub const VERSION_FILE: &str = "hako-search-version";
/// Indexing memory; tantivy flushes a segment when it is used up.
const WRITER_MEMORY_BYTES: usize = 64_000_000;
/// Indexing threads: the server has two cores and other work to do.
const WRITER_THREADS: usize = 1;

pub struct SearchIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    /// Created on first write, so a process that only searches takes no writer lock.
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if there is none.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        let io = |source| SearchError::Dir {
            dir: dir.to_path_buf(),
            source,
        };
        fs::create_dir_all(dir).map_err(io)?;
        let open = |source| SearchError::Open {
            dir: dir.to_path_buf(),
            source,
        };
        let version_path = dir.join(VERSION_FILE);
        let index = if dir.join("meta.json").exists() {
            let found = match fs::read_to_string(&version_path) {
                Ok(found) => found.trim().to_string(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => "(none)".to_string(),
                Err(e) => return Err(io(e)),
            };
            let mismatch = |found| SearchError::SchemaVersion {
                dir: dir.to_path_buf(),
                found,
                expected: SCHEMA_VERSION,
            };
            if found != SCHEMA_VERSION.to_string() {
                return Err(mismatch(found));
            }
            let index = Index::open_in_dir(dir).map_err(open)?;
            if index.schema() != build_schema() {
                return Err(mismatch(format!("{found} with another schema")));
            }
            index
        } else {
            // The version first: a crash in between leaves no index, which is simply created.
            fs::write(&version_path, format!("{SCHEMA_VERSION}\n")).map_err(io)?;
            Index::create_in_dir(dir, build_schema()).map_err(open)?
        };
        SearchIndex::new(index, ReloadPolicy::OnCommitWithDelay)
    }

    /// Deletes the index in `dir` (if any) and creates an empty one: what `hako reindex`
    /// needs after a schema change. Refuses a non-empty directory that holds no index.
    pub fn recreate(dir: &Path) -> Result<SearchIndex, SearchError> {
        let io = |source| SearchError::Dir {
            dir: dir.to_path_buf(),
            source,
        };
        if dir.exists() {
            let ours = dir.join("meta.json").exists() || dir.join(VERSION_FILE).exists();
            let empty = fs::read_dir(dir).map_err(io)?.next().is_none();
            if !ours && !empty {
                return Err(io(std::io::Error::other(
                    "not empty and not a search index",
                )));
            }
            fs::remove_dir_all(dir).map_err(io)?;
        }
        SearchIndex::open(dir)
    }

    /// An index in memory, for tests.
    pub fn create_in_ram() -> Result<SearchIndex, SearchError> {
        SearchIndex::new(Index::create_in_ram(build_schema()), ReloadPolicy::Manual)
    }

    fn new(mut index: Index, policy: ReloadPolicy) -> Result<SearchIndex, SearchError> {
        register_tokenizers(index.tokenizers());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        index.set_multithread_executor(threads)?;
        let fields = Fields::from_schema(&index.schema())?;
        let reader = index.reader_builder().reload_policy(policy).try_into()?;
        Ok(SearchIndex {
            index,
            fields,
            reader,
            writer: Mutex::new(None),
        })
    }

    fn writer(&self) -> Result<MutexGuard<'_, Option<IndexWriter<TantivyDocument>>>, SearchError> {
        let mut guard = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        if guard.is_none() {
            *guard = Some(
                self.index
                    .writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY_BYTES)?,
            );
        }
        Ok(guard)
    }

    /// Replaces everything indexed for `ticket_ids` by `docs`; not visible until
    /// [`SearchIndex::commit`]. A deleted or merged-away ticket is passed with no docs. Every
    /// doc must belong to one of `ticket_ids`.
    pub fn replace_tickets(
        &self,
        ticket_ids: &[i64],
        docs: &[MessageDoc],
    ) -> Result<(), SearchError> {
        let replaced: HashSet<i64> = ticket_ids.iter().copied().collect();
        if let Some(d) = docs.iter().find(|d| !replaced.contains(&d.ticket_id)) {
            return Err(SearchError::ForeignTicket {
                message_id: d.message_id,
                ticket_id: d.ticket_id,
            });
        }
        let guard = self.writer()?;
        let writer = guard.as_ref().ok_or(SearchError::Poisoned)?;
        for &id in ticket_ids {
            writer.delete_term(Term::from_field_i64(self.fields.ticket_id, id));
        }
        for doc in docs {
            writer.add_document(doc.to_document(&self.fields))?;
        }
        Ok(())
    }

    /// Removes every document (on commit): the first step of a rebuild.
    pub fn delete_all(&self) -> Result<(), SearchError> {
        let guard = self.writer()?;
        guard
            .as_ref()
            .ok_or(SearchError::Poisoned)?
            .delete_all_documents()?;
        Ok(())
    }

    /// Commits pending changes and reloads the reader, so a search right after sees them.
    pub fn commit(&self) -> Result<(), SearchError> {
        let mut guard = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        if let Some(writer) = guard.as_mut() {
            writer.commit()?;
        }
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Matching tickets within `scope`, ordered by `sort`, one page of them.
    pub fn search(
        &self,
        q: &SearchQuery,
        scope: &Scope,
        sort: SortBy,
        page: Page,
    ) -> Result<SearchPage, SearchError> {
        run(&self.reader.searcher(), &self.fields, q, scope, sort, page)
    }

    /// The ids of every indexed message, sorted, for a consistency check against the database.
    pub fn indexed_message_ids(&self) -> Result<Vec<i64>, SearchError> {
        let searcher = self.reader.searcher();
        let mut ids = Vec::with_capacity(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().i64("message_id")?;
            ids.extend(segment.doc_ids_alive().filter_map(|doc| column.first(doc)));
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// How many messages are indexed (as of the last commit).
    pub fn num_messages(&self) -> Result<u64, SearchError> {
        Ok(self.reader.searcher().num_docs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shareable_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<SearchIndex>();
    }
}
