//! A small pool of store connections. SQLite calls block, so each runs on tokio's blocking
//! threads with a connection of its own (one `Store` is one connection; WAL lets readers run
//! beside the one writer, and writes wait up to the store's busy timeout for the lock).

use hako_store::Store;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

use crate::WebError;

pub(crate) struct Pool {
    stores: Mutex<Vec<Store>>,
    permits: Semaphore,
    path: PathBuf,
}

impl Pool {
    /// `size` connections to the database at `path` (opened, and migrated, now).
    pub fn open(path: PathBuf, size: usize) -> Result<Pool, WebError> {
        let stores = (0..size.max(1))
            .map(|_| Store::open(&path))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pool {
            permits: Semaphore::new(stores.len()),
            stores: Mutex::new(stores),
            path,
        })
    }

    /// Runs `f` with a connection on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, WebError> + Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| WebError::Internal("the connection pool is closed".into()))?;
        let mut store = self
            .stores
            .lock()
            .map_err(|_| WebError::Internal("the connection pool is poisoned".into()))?
            .pop()
            .expect("a permit guarantees a connection");
        let joined = tokio::task::spawn_blocking(move || {
            let out = f(&mut store);
            (store, out)
        })
        .await;
        let (store, out) = match joined {
            Ok(x) => x,
            // The connection went down with the panic: open a fresh one in its place.
            Err(e) => {
                let fresh = Store::open(&self.path)?;
                self.put(fresh);
                return Err(WebError::Internal(format!("a database task failed: {e}")));
            }
        };
        self.put(store);
        out
    }

    fn put(&self, store: Store) {
        if let Ok(mut v) = self.stores.lock() {
            v.push(store);
        }
    }
}
