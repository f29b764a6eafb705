//! A small pool of store connections. SQLite calls block, so each runs on tokio's blocking
//! threads with a connection of its own (one `Store` is one connection; WAL lets readers run
//! beside the one writer, and writes wait up to the store's busy timeout for the lock).
//!
//! The blocking task, not the request, owns the connection and the permit until the work is
//! done: a request dropped midway (the browser went away) cannot lose a connection, and a
//! panic in the work replaces it with a fresh one.

use hako_store::Store;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Semaphore;

use crate::WebError;

/// Page cache of each connection, KiB. One agent's inbox page at 100k tickets touches more
/// than SQLite's default 2 MiB (its "mine" count reads ~500 ticket rows beside the page's
/// tickets, contacts and labels), so with the default every request read most of its pages
/// from the OS again (scripts/bench-web: 667 → 866 pages/s with 16 MiB).
const PAGE_CACHE_KIB: u32 = 16 * 1024;

fn connect(path: &Path) -> Result<Store, hako_store::StoreError> {
    let store = Store::open(path)?;
    store.set_page_cache(PAGE_CACHE_KIB)?;
    Ok(store)
}

pub(crate) struct Pool {
    stores: Mutex<Vec<Store>>,
    permits: Arc<Semaphore>,
    path: PathBuf,
}

/// A connection taken from the pool; it goes back when dropped (also when the work panics:
/// then a fresh connection goes back in its place).
struct Lease {
    store: Option<Store>,
    pool: Arc<Pool>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        let store = if std::thread::panicking() {
            connect(&self.pool.path).ok()
        } else {
            self.store.take()
        };
        if let Some(s) = store {
            self.pool.stores().push(s);
        }
    }
}

impl Pool {
    /// `size` connections to the database at `path` (opened, and migrated, now).
    pub fn open(path: PathBuf, size: usize) -> Result<Pool, WebError> {
        let stores = (0..size.max(1))
            .map(|_| connect(&path))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pool {
            permits: Arc::new(Semaphore::new(stores.len())),
            stores: Mutex::new(stores),
            path,
        })
    }

    /// A `Vec` of connections has no state a panic could leave half-changed.
    fn stores(&self) -> MutexGuard<'_, Vec<Store>> {
        self.stores.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` with a connection on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, WebError> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| WebError::Internal("the connection pool is closed".into()))?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            // Dropped in reverse order: the connection is back before the permit is.
            let _permit = permit;
            let mut lease = Lease {
                store: pool.stores().pop(),
                pool: Arc::clone(&pool),
            };
            let store = lease
                .store
                .as_mut()
                .ok_or_else(|| WebError::Internal("no free connection in the pool".into()))?;
            f(store)
        })
        .await
        .unwrap_or_else(|e| Err(WebError::Internal(format!("a database task failed: {e}"))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn pool(size: usize) -> (tempfile::TempDir, Arc<Pool>) {
        let dir = tempfile::tempdir().unwrap();
        let p = Pool::open(dir.path().join("hako.db"), size).unwrap();
        (dir, Arc::new(p))
    }

    /// A request whose client went away is dropped while its query runs; the connection must
    /// come back (it used to be lost, and after `size` of them every request failed).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dropped_request_does_not_lose_its_connection() {
        let (_dir, pool) = pool(2);
        for _ in 0..6 {
            let slow = pool.run(|s| {
                std::thread::sleep(Duration::from_millis(50));
                Ok(s.stats()?.tickets)
            });
            assert!(
                tokio::time::timeout(Duration::from_millis(5), slow)
                    .await
                    .is_err()
            );
        }
        for _ in 0..4 {
            assert_eq!(pool.run(|s| Ok(s.stats()?.tickets)).await.unwrap(), 0);
        }
        // Every connection is back once the abandoned work is done.
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(pool.stores().len(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panic_in_the_work_replaces_the_connection() {
        let (_dir, pool) = pool(1);
        let failed = pool
            .run(|_| -> Result<(), WebError> { panic!("bug") })
            .await;
        assert!(matches!(failed, Err(WebError::Internal(_))));
        assert_eq!(pool.run(|s| Ok(s.stats()?.tickets)).await.unwrap(), 0);
        assert_eq!(pool.stores().len(), 1);
    }
}
