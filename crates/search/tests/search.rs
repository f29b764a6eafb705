//! Searching the fixture corpus: Japanese and English text, every operator, scope, grouping,
//! order, paging and snippets.

mod common;

use chrono_tz::UTC;
use common::*;
use hako_search::{Page, Scope, SortBy, parse_query};

#[test]
fn japanese_words() {
    let index = indexed();
    assert_eq!(ids(&index, "車検"), [109, 101]);
    assert_eq!(ids(&index, "請求書"), [102]);
    assert_eq!(id_set(&index, "お問い合わせ"), [101, 107]);
    assert_eq!(ids(&index, "再発行"), [102]);
}

#[test]
fn bigram_phrases_need_adjacency() {
    let index = indexed();
    // 103 holds 請求 … 要求書: every bigram of 請求書, but not together.
    assert_eq!(ids(&index, "請求書"), [102]);
    assert_eq!(id_set(&index, "要求書"), [103]);
    assert_eq!(
        ids(&index, "invoice"),
        [105],
        "not 'involves a voice … nice'"
    );
}

#[test]
fn width_and_wave_dash_folding() {
    let index = indexed();
    assert_eq!(ids(&index, "カルモ"), [104]);
    assert_eq!(ids(&index, "ｶﾙﾓ"), [104]);
    assert_eq!(ids(&index, "ＩＮＶＯＩＣＥ"), [105]);
    assert_eq!(ids(&index, "INVOICE"), [105]);
    for query in ["10時〜18時", "10時～18時", "10時~18時"] {
        let page = search(&index, query, &Scope::all(), SortBy::Newest);
        assert_eq!(page.hits.len(), 1, "{query}");
        assert_eq!(page.hits[0].ticket_id, 101);
        assert_eq!(
            page.hits[0].matching_messages, 2,
            "{query}: the 〜 and the ～ message"
        );
    }
}

#[test]
fn one_character_queries() {
    let index = indexed();
    assert_eq!(id_set(&index, "車"), [101, 109]);
    // 書 only ever ends a run here (請求書, 要求書).
    assert_eq!(id_set(&index, "書"), [102, 103]);
    // A phrase ending in a lone character: 10 then 月… .
    assert_eq!(ids(&index, "10月"), [102]);
}

#[test]
fn english_words_and_phrases() {
    let index = indexed();
    assert_eq!(ids(&index, "overdue invoice"), [105]);
    assert_eq!(ids(&index, r#""the attached invoice""#), [105]);
    assert!(ids(&index, r#""invoice attached""#).is_empty());
    assert_eq!(ids(&index, "John"), [105]);
    assert_eq!(ids(&index, "https://hako.example/docs"), [106]);
    assert_eq!(ids(&index, "invoice-4411.pdf"), [105]);
    assert!(ids(&index, "invoice watches").is_empty(), "AND by default");
}

#[test]
fn or_and_not() {
    let index = indexed();
    assert_eq!(id_set(&index, "カルモ OR watches"), [104, 108]);
    assert_eq!(ids(&index, "車検 -御礼"), [101]);
    assert_eq!(ids(&index, "車検 -label:車検"), [109]);
}

#[test]
fn from_operator() {
    let index = indexed();
    assert_eq!(ids(&index, "from:taro@example.jp"), [101]);
    assert_eq!(ids(&index, "from:Taro@EXAMPLE.jp"), [101]);
    assert_eq!(
        ids(&index, "from:example.co.jp"),
        [102],
        "subdomain keiri.example.co.jp"
    );
    assert_eq!(ids(&index, "from:@acme.example"), [105]);
    assert_eq!(id_set(&index, "from:example.jp"), [101, 109]);
    assert_eq!(ids(&index, "from:山田"), [101]);
    assert_eq!(ids(&index, "from:ｶﾙﾓ"), [104]);
    assert_eq!(ids(&index, r#"from:"john smith""#), [105]);
}

#[test]
fn to_operator_covers_cc() {
    let index = indexed();
    assert_eq!(ids(&index, "to:accounting@example.co.jp"), [102]);
    assert_eq!(ids(&index, "to:acme.example"), [105]);
    assert_eq!(id_set(&index, "to:support@hako.test"), [101, 105]);
}

#[test]
fn subject_operator() {
    let index = indexed();
    assert_eq!(ids(&index, "subject:請求書"), [102]);
    assert_eq!(ids(&index, r#"subject:"再発行のお願い""#), [102]);
    assert_eq!(ids(&index, "subject:invoice"), [105]);
    assert!(ids(&index, "subject:要求書").is_empty());
    assert!(
        ids(&index, "subject:キャンペーン").is_empty(),
        "only in the body"
    );
}

#[test]
fn keyword_operators() {
    let index = indexed();
    assert_eq!(ids(&index, "label:請求"), [102]);
    assert!(ids(&index, "label:請").is_empty(), "labels match whole");
    assert_eq!(ids(&index, "label:vip"), [107]);
    assert_eq!(id_set(&index, "status:open"), [101, 104, 105, 106, 109]);
    assert_eq!(id_set(&index, "status:未対応"), [101, 104, 105, 106, 109]);
    assert_eq!(ids(&index, "status:保留"), [102]);
    assert_eq!(ids(&index, "status:対応完了"), [103]);
    assert_eq!(ids(&index, "status:spam"), [108]);
    assert_eq!(ids(&index, "assignee:sato@hako.test"), [102]);
    assert_eq!(
        id_set(&index, "assignee:none"),
        [101, 103, 104, 106, 107, 108, 109]
    );
    assert_eq!(id_set(&index, "inbox:sales"), [104, 107]);
    assert_eq!(id_set(&index, "has:attachment"), [102, 105]);
    assert_eq!(
        ids(&index, "invoice -has:attachment"),
        [105],
        "m5002 has none"
    );
}

#[test]
fn dates_at_the_time_zone_boundary() {
    let index = indexed();
    // 102 is at 2026-11-01 00:30 in Tokyo, 103 at 2026-10-31 23:30.
    assert_eq!(ids(&index, "after:2026-11-01"), [109, 102]);
    assert_eq!(ids(&index, "after:2026-10-31 before:2026-11-01"), [103]);
    assert!(!ids(&index, "before:2026-11-01").contains(&102));
    // In UTC both fall on 31 October.
    let q = parse_query("after:2026-10-31 before:2026-11-01", UTC).unwrap();
    let page = index
        .search(&q, &Scope::all(), SortBy::Newest, Page::first(10))
        .unwrap();
    let got: Vec<i64> = page.hits.iter().map(|h| h.ticket_id).collect();
    assert_eq!(got, [102, 103]);
}

#[test]
fn scope_never_leaks() {
    let index = indexed();
    let support = Scope::inboxes([SUPPORT]);
    assert!(
        search(&index, "請求書", &support, SortBy::Newest)
            .hits
            .is_empty()
    );
    let page = search(&index, "お問い合わせ", &support, SortBy::Newest);
    assert_eq!(page.total, 1);
    assert_eq!(page.hits[0].ticket_id, 101);
    for query in ["", "inbox:sales", "status:open", "カルモ OR 車検"] {
        let page = search(&index, query, &Scope::inboxes([SALES]), SortBy::Relevance);
        assert!(page.hits.iter().all(|h| h.inbox == "sales"), "{query}");
        let none = search(&index, query, &Scope::inboxes([]), SortBy::Newest);
        assert_eq!((none.total, none.hits.len()), (0, 0), "{query}");
    }
}

#[test]
fn grouped_by_ticket() {
    let index = indexed();
    let page = search(&index, "invoice", &Scope::all(), SortBy::Newest);
    assert_eq!(page.total, 1);
    let hit = &page.hits[0];
    assert_eq!(hit.matching_messages, 3, "all three subjects say invoice");
    assert_eq!(hit.message_id, 5003, "newest matching message");
    assert_eq!((hit.ticket_number, hit.inbox.as_str()), (5, "support"));
    assert_eq!(hit.assignee.as_deref(), Some("tanaka@hako.test"));
    assert_eq!(hit.date, jst(2026, 10, 17, 11, 0));
    let page = search(
        &index,
        "checking OR attached",
        &Scope::all(),
        SortBy::Newest,
    );
    assert_eq!((page.total, page.hits[0].matching_messages), (1, 2));
    let all = search(&index, "", &Scope::all(), SortBy::Newest);
    assert_eq!(all.total, 9);
    assert_eq!(
        all.hits
            .iter()
            .find(|h| h.ticket_id == 105)
            .unwrap()
            .matching_messages,
        3
    );
    let labelled = search(&index, "label:請求", &Scope::all(), SortBy::Newest);
    assert_eq!(labelled.hits[0].labels, ["請求"]);
    assert_eq!(labelled.hits[0].status, "pending");
    assert_eq!(labelled.hits[0].subject, "請求書の再発行のお願い");
}

#[test]
fn newest_and_relevance_order() {
    let index = indexed();
    let newest = search(&index, "車検", &Scope::all(), SortBy::Newest);
    assert_eq!(
        newest.hits.iter().map(|h| h.ticket_id).collect::<Vec<_>>(),
        [109, 101]
    );
    let relevant = search(&index, "車検", &Scope::all(), SortBy::Relevance);
    assert_eq!(
        relevant
            .hits
            .iter()
            .map(|h| h.ticket_id)
            .collect::<Vec<_>>(),
        [101, 109]
    );
    assert!(relevant.hits[0].score > relevant.hits[1].score);
    let all = search(&index, "", &Scope::all(), SortBy::Newest);
    assert!(all.hits.windows(2).all(|w| w[0].date >= w[1].date));
}

#[test]
fn paging() {
    let index = indexed();
    let q = parse_query("", chrono_tz::Asia::Tokyo).unwrap();
    let whole = index
        .search(&q, &Scope::all(), SortBy::Newest, Page::first(100))
        .unwrap();
    let mut pieced = Vec::new();
    for offset in (0..12).step_by(4) {
        let page = index
            .search(&q, &Scope::all(), SortBy::Newest, Page { limit: 4, offset })
            .unwrap();
        assert_eq!(page.total, 9);
        pieced.extend(page.hits);
    }
    assert_eq!(pieced, whole.hits);
    let past = index
        .search(
            &q,
            &Scope::all(),
            SortBy::Newest,
            Page {
                limit: 4,
                offset: 20,
            },
        )
        .unwrap();
    assert_eq!((past.total, past.hits.len()), (9, 0));
}

#[test]
fn snippets_highlight_and_escape() {
    let index = indexed();
    let page = search(&index, "請求書", &Scope::all(), SortBy::Newest);
    assert_eq!(
        page.hits[0].snippet_html,
        "10月分の<b>請求書</b>を再発行していただけますか。"
    );
    let page = search(&index, "script", &Scope::all(), SortBy::Newest);
    let snippet = &page.hits[0].snippet_html;
    assert!(
        snippet.contains("&lt;<b>script</b>&gt;alert(&#39;x&#39;)&lt;/<b>script</b>&gt;"),
        "{snippet}"
    );
    assert!(!snippet.contains("<script"), "{snippet}");
    let page = search(&index, "カルモ", &Scope::all(), SortBy::Newest);
    assert!(
        page.hits[0].snippet_html.starts_with("<b>ｶﾙﾓ</b>会員"),
        "{}",
        page.hits[0].snippet_html
    );
    let page = search(&index, "10時〜18時", &Scope::all(), SortBy::Relevance);
    assert!(
        page.hits[0].snippet_html.contains("<b>10時"),
        "{}",
        page.hits[0].snippet_html
    );
}
