//! Index maintenance: replacing tickets, rebuilding, reopening from disk, schema versions.

mod common;

use common::*;
use hako_search::{Scope, SearchError, SearchIndex, SearchPage, SortBy, VERSION_FILE};

const QUERIES: &[&str] = &[
    "",
    "車検",
    "請求書",
    "お問い合わせ",
    "カルモ",
    "10時〜18時",
    "invoice",
    "車",
    "from:example.jp",
    "status:open",
    "label:請求 OR label:vip",
    "after:2026-10-15 -has:attachment",
];

fn answers(index: &SearchIndex, sort: SortBy) -> Vec<SearchPage> {
    QUERIES
        .iter()
        .map(|q| search(index, q, &Scope::all(), sort))
        .collect()
}

#[test]
fn replace_tickets_replaces() {
    let index = indexed();
    let before = index.num_messages().unwrap();
    let mut docs: Vec<_> = corpus()
        .into_iter()
        .filter(|d| d.ticket_id == 101)
        .collect();
    for doc in &mut docs {
        doc.labels.push("至急".into());
        doc.status = "closed".into();
    }
    index.replace_tickets(&[101], &docs).unwrap();
    assert!(
        ids(&index, "label:至急").is_empty(),
        "not visible before commit"
    );
    index.commit().unwrap();
    assert_eq!(ids(&index, "label:至急"), [101]);
    assert!(!ids(&index, "status:open").contains(&101));
    assert_eq!(index.num_messages().unwrap(), before, "old docs gone");
    let page = search(&index, "10時〜18時", &Scope::all(), SortBy::Newest);
    assert_eq!(page.hits[0].matching_messages, 2);
    assert_eq!(page.hits[0].labels, ["車検", "至急"]);
}

#[test]
fn a_ticket_replaced_by_nothing_is_gone() {
    let index = indexed();
    index.replace_tickets(&[103], &[]).unwrap();
    index.commit().unwrap();
    assert!(ids(&index, "要求書").is_empty());
    assert!(!index.indexed_message_ids().unwrap().contains(&3001));
}

#[test]
fn docs_of_other_tickets_are_refused() {
    let index = indexed();
    let err = index.replace_tickets(&[101], &corpus()).unwrap_err();
    assert!(
        matches!(err, SearchError::ForeignTicket { ticket_id: 102, .. }),
        "{err}"
    );
}

#[test]
fn rebuilt_from_scratch_answers_exactly_as_before() {
    let index = indexed();
    let newest = answers(&index, SortBy::Newest);
    let relevant = answers(&index, SortBy::Relevance);
    index.delete_all().unwrap();
    index.commit().unwrap();
    assert_eq!(index.num_messages().unwrap(), 0);
    let docs = corpus();
    // In another order and in two batches, as a rebuild may go.
    let (first, second) = docs.split_at(5);
    index.replace_tickets(&ticket_ids(second), second).unwrap();
    index.replace_tickets(&ticket_ids(first), first).unwrap();
    index.commit().unwrap();
    assert_eq!(answers(&index, SortBy::Newest), newest);
    assert_eq!(answers(&index, SortBy::Relevance), relevant);
}

#[test]
fn deleting_a_ticket_answers_as_an_index_built_without_it() {
    let index = indexed();
    index.replace_tickets(&[103], &[]).unwrap();
    index.commit().unwrap();
    let fresh = SearchIndex::create_in_ram().unwrap();
    let docs: Vec<_> = corpus()
        .into_iter()
        .filter(|d| d.ticket_id != 103)
        .collect();
    fresh.replace_tickets(&ticket_ids(&docs), &docs).unwrap();
    fresh.commit().unwrap();
    // Scores may differ (deleted documents still count in term statistics until a merge),
    // everything else may not.
    let unscored = |index: &SearchIndex| {
        let mut pages = answers(index, SortBy::Newest);
        pages
            .iter_mut()
            .flat_map(|p| &mut p.hits)
            .for_each(|h| h.score = 0.0);
        pages
    };
    assert_eq!(unscored(&index), unscored(&fresh));
    assert_eq!(
        index.indexed_message_ids().unwrap(),
        fresh.indexed_message_ids().unwrap()
    );
}

#[test]
fn indexed_message_ids_lists_every_message() {
    let index = indexed();
    let mut expected: Vec<i64> = corpus().iter().map(|d| d.message_id).collect();
    expected.sort_unstable();
    assert_eq!(index.indexed_message_ids().unwrap(), expected);
    assert_eq!(index.num_messages().unwrap(), expected.len() as u64);
}

#[test]
fn reopens_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    let docs = corpus();
    {
        let index = SearchIndex::open(&path).unwrap();
        index.replace_tickets(&ticket_ids(&docs), &docs).unwrap();
        index.commit().unwrap();
        assert_eq!(ids(&index, "請求書"), [102]);
    }
    let index = SearchIndex::open(&path).unwrap();
    assert_eq!(index.num_messages().unwrap(), docs.len() as u64);
    assert_eq!(ids(&index, "請求書"), [102]);
    assert_eq!(ids(&index, "ｶﾙﾓ"), [104]);
    // The writer is taken on first write, after reopening too.
    index.replace_tickets(&[102], &[]).unwrap();
    index.commit().unwrap();
    assert!(ids(&index, "請求書").is_empty());
}

#[test]
fn schema_version_mismatch_says_reindex() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    drop(SearchIndex::open(&path).unwrap());
    std::fs::write(path.join(VERSION_FILE), "0\n").unwrap();
    let err = SearchIndex::open(&path).err().expect("a mismatch");
    let message = err.to_string();
    assert!(message.contains("hako reindex"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    let index = SearchIndex::recreate(&path).unwrap();
    assert_eq!(index.num_messages().unwrap(), 0);
    drop(index);
    SearchIndex::open(&path).unwrap();
}

#[test]
fn recreate_refuses_a_foreign_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    assert!(SearchIndex::recreate(dir.path()).is_err());
    assert!(dir.path().join("notes.txt").exists());
}
