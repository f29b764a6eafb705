//! hako's mail ingest. The pipeline reads like its stages: fetch (IMAP or a file) → parse
//! (`hako-mail`) → thread and persist (`hako-store`, one transaction per batch). Everything
//! here only fetches and converts; only the store writes.

pub mod imap;
pub mod import;
pub mod pipeline;
pub mod sent;
pub mod sync;

pub use pipeline::{Ingestor, Tally, prepare, settings};
pub use sync::{PassReport, SyncError, Syncer};
