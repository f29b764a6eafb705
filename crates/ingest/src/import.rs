//! `hako import`: mail from another tool — an mbox file, a Maildir, or a folder of `.eml`
//! files — through the same pipeline as IMAP, in batches, each one transaction. Imported mail
//! is marked as such (it triggers nothing); running an import twice stores nothing twice,
//! because every mail is recognised by its dedupe key.

use hako_domain::{InboxId, Timestamp};
use hako_store::StoreError;
use hako_store::ingest::Source;
use serde::Serialize;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use thiserror::Error;

use crate::pipeline::{Ingestor, Tally, prepare};

/// Mails per transaction: large enough to amortise the commit, small enough that a crash
/// repeats little.
pub const BATCH: usize = 200;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: neither an mbox file, a Maildir (cur/, new/) nor a folder of .eml files")]
    Unknown { path: PathBuf },
    #[error("cannot store mail from {path}: {source}")]
    Store { path: PathBuf, source: StoreError },
}

/// What kind of source a path is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportSource {
    Mbox(PathBuf),
    Maildir(PathBuf),
    EmlDir(PathBuf),
}

impl ImportSource {
    pub fn detect(path: &Path) -> Result<Self, ImportError> {
        let io = |source| ImportError::Io {
            path: path.to_path_buf(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_file() {
            return Ok(ImportSource::Mbox(path.to_path_buf()));
        }
        if path.join("cur").is_dir() || path.join("new").is_dir() {
            return Ok(ImportSource::Maildir(path.to_path_buf()));
        }
        let has_eml = std::fs::read_dir(path)
            .map_err(io)?
            .filter_map(|e| e.ok())
            .any(|e| e.path().extension().is_some_and(|x| x == "eml"));
        if has_eml {
            Ok(ImportSource::EmlDir(path.to_path_buf()))
        } else {
            Err(ImportError::Unknown {
                path: path.to_path_buf(),
            })
        }
    }

    fn path(&self) -> &Path {
        match self {
            ImportSource::Mbox(p) | ImportSource::Maildir(p) | ImportSource::EmlDir(p) => p,
        }
    }
}

/// One mail read from the source.
pub struct RawItem {
    /// Where it came from, for the quarantine and error messages (`file.mbox#12`).
    pub label: String,
    pub raw: Vec<u8>,
    pub received_at: Option<Timestamp>,
}

/// How far an import has come: `done` of `total` units (mails, or bytes for an mbox).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub read: u64,
    #[serde(flatten)]
    pub tally: Tally,
}

/// Imports every mail of `source` into `inbox`.
pub fn import(
    ingestor: &mut Ingestor,
    source: &ImportSource,
    inbox: InboxId,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportSummary, ImportError> {
    let mut summary = ImportSummary::default();
    let mut batch = Vec::with_capacity(BATCH);
    let path = source.path().to_path_buf();
    let flush = |batch: &mut Vec<_>, summary: &mut ImportSummary, ing: &mut Ingestor| {
        let outcomes = ing.persist(batch).map_err(|e| ImportError::Store {
            path: path.clone(),
            source: e,
        })?;
        outcomes.iter().for_each(|o| summary.tally.count(o));
        batch.clear();
        Ok::<_, ImportError>(())
    };
    let now = chrono::Utc::now();
    read(source, &mut |item, p| {
        summary.read += 1;
        batch.push(prepare(
            item.raw,
            Source::Import { label: item.label },
            inbox,
            item.received_at,
            true,
            &ingestor.limits,
            now,
        ));
        if batch.len() >= BATCH {
            flush(&mut batch, &mut summary, ingestor)?;
            progress(p);
        }
        Ok(())
    })?;
    flush(&mut batch, &mut summary, ingestor)?;
    Ok(summary)
}

/// Calls `f` for every mail in the source, in arrival order.
pub fn read(
    source: &ImportSource,
    f: &mut dyn FnMut(RawItem, Progress) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    match source {
        ImportSource::Mbox(p) => read_mbox(p, f),
        ImportSource::Maildir(p) => {
            let mut files = list(&p.join("new"))?;
            files.extend(list(&p.join("cur"))?);
            // Maildir names start with the delivery time: name order is arrival order.
            files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
            read_files(&files, f)
        }
        ImportSource::EmlDir(p) => {
            let mut files: Vec<PathBuf> = list(p)?
                .into_iter()
                .filter(|f| f.extension().is_some_and(|x| x == "eml"))
                .collect();
            files.sort();
            read_files(&files, f)
        }
    }
}

fn list(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    if !dir.is_dir() {
        return Ok(vec![]);
    }
    let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect())
}

fn read_files(
    files: &[PathBuf],
    f: &mut dyn FnMut(RawItem, Progress) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let total = files.len() as u64;
    for (i, path) in files.iter().enumerate() {
        let raw = std::fs::read(path).map_err(|source| ImportError::Io {
            path: path.clone(),
            source,
        })?;
        let received_at = maildir_time(path).or_else(|| {
            let modified = std::fs::metadata(path).ok()?.modified().ok()?;
            Some(chrono::DateTime::<chrono::Utc>::from(modified))
        });
        let item = RawItem {
            label: path.display().to_string(),
            raw,
            received_at,
        };
        f(
            item,
            Progress {
                done: i as u64 + 1,
                total,
            },
        )?;
    }
    Ok(())
}

/// The delivery time at the start of a Maildir file name (`1732500000.M123P45.host`).
fn maildir_time(path: &Path) -> Option<Timestamp> {
    let name = path.file_name()?.to_str()?;
    let secs: i64 = name.split('.').next()?.parse().ok()?;
    chrono::DateTime::from_timestamp(secs, 0)
}

/// mbox (mboxrd and mboxo): a message starts at a line beginning with `From ` after a blank
/// line or at the start of the file; `>From ` lines (any number of `>`) lose one `>`.
fn read_mbox(
    path: &Path,
    f: &mut dyn FnMut(RawItem, Progress) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let total = file.metadata().map_err(io)?.len();
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut current: Option<Vec<u8>> = None;
    let mut done = 0u64;
    let mut n = 0usize;
    let mut prev_blank = true;
    let mut line = Vec::new();
    let mut emit = |msg: Vec<u8>, n: usize, done: u64| {
        let mut raw = msg;
        // The blank line before the next "From " belongs to the mbox, not to the message.
        if raw.ends_with(b"\n\n") {
            raw.pop();
        } else if raw.ends_with(b"\r\n\r\n") {
            raw.truncate(raw.len() - 2);
        }
        f(
            RawItem {
                label: format!("{}#{n}", path.display()),
                raw,
                received_at: None,
            },
            Progress { done, total },
        )
    };
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line).map_err(io)?;
        if read == 0 {
            break;
        }
        done += read as u64;
        if prev_blank && line.starts_with(b"From ") {
            if let Some(msg) = current.take() {
                n += 1;
                emit(msg, n, done)?;
            }
            current = Some(Vec::new());
            prev_blank = false;
            continue;
        }
        prev_blank = line == b"\n" || line == b"\r\n";
        let Some(msg) = current.as_mut() else {
            continue; // junk before the first "From " line
        };
        let quoted = line.iter().take_while(|b| **b == b'>').count();
        if quoted > 0 && line[quoted..].starts_with(b"From ") {
            msg.extend_from_slice(&line[1..]);
        } else {
            msg.extend_from_slice(&line);
        }
    }
    if let Some(msg) = current.take() {
        emit(msg, n + 1, done)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(source: &ImportSource) -> Vec<Vec<u8>> {
        let mut out = vec![];
        read(source, &mut |item, _| {
            out.push(item.raw);
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn mbox_messages_are_split_and_unquoted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mbox");
        std::fs::write(
            &path,
            "From a@x Wed Nov 25 10:00:00 2026\nSubject: one\n\nhello\n>From the start\n\n\
             From b@x Wed Nov 25 11:00:00 2026\nSubject: two\n\nbye\n",
        )
        .unwrap();
        let src = ImportSource::detect(&path).unwrap();
        assert_eq!(src, ImportSource::Mbox(path.clone()));
        let mails = collect(&src);
        assert_eq!(mails.len(), 2);
        assert_eq!(mails[0], b"Subject: one\n\nhello\nFrom the start\n");
        assert_eq!(mails[1], b"Subject: two\n\nbye\n");
    }

    #[test]
    fn maildir_in_arrival_order_and_eml_folders() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::fs::write(
            dir.path().join("cur/1700000002.M1.host:2,S"),
            "Subject: b\n\nb\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("new/1700000001.M1.host"),
            "Subject: a\n\na\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("tmp/1700000003.M1.host"),
            "Subject: tmp\n\n",
        )
        .unwrap();
        let src = ImportSource::detect(dir.path()).unwrap();
        assert!(matches!(src, ImportSource::Maildir(_)));
        assert_eq!(
            collect(&src),
            [b"Subject: a\n\na\n".to_vec(), b"Subject: b\n\nb\n".to_vec()]
        );
        let eml = tempfile::tempdir().unwrap();
        std::fs::write(eml.path().join("2.eml"), "Subject: 2\n\n").unwrap();
        std::fs::write(eml.path().join("1.eml"), "Subject: 1\n\n").unwrap();
        std::fs::write(eml.path().join("notes.txt"), "x").unwrap();
        let src = ImportSource::detect(eml.path()).unwrap();
        assert_eq!(
            collect(&src),
            [b"Subject: 1\n\n".to_vec(), b"Subject: 2\n\n".to_vec()]
        );
        let empty = tempfile::tempdir().unwrap();
        assert!(ImportSource::detect(empty.path()).is_err());
    }
}
