//! A small, realistic set of Japanese and English tickets, and helpers to search it.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Tokyo;
use hako_search::{MessageDoc, Page, Scope, SearchIndex, SearchPage, SortBy, parse_query};

pub const SUPPORT: i64 = 1;
pub const SALES: i64 = 2;
pub const BILLING: i64 = 3;

/// A Tokyo wall-clock time.
pub fn jst(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Tokyo
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn inbox_name(id: i64) -> &'static str {
    match id {
        SUPPORT => "support",
        SALES => "sales",
        _ => "billing",
    }
}

/// One message of ticket `ticket` (its number is `ticket - 100`).
pub fn msg(message_id: i64, ticket: i64, inbox: i64, date: DateTime<Utc>) -> MessageDoc {
    MessageDoc {
        message_id,
        ticket_id: ticket,
        ticket_number: ticket - 100,
        inbox_id: inbox,
        inbox: inbox_name(inbox).to_string(),
        direction: "incoming".into(),
        status: "open".into(),
        date,
        ..MessageDoc::default()
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub fn corpus() -> Vec<MessageDoc> {
    let car = |id, date, from: (&str, &str), to: &[&str], subject: &str, body: &str| MessageDoc {
        from_name: from.0.into(),
        from_address: from.1.into(),
        to: strings(to),
        subject: subject.into(),
        body: body.into(),
        labels: strings(&["車検"]),
        ..msg(id, 101, SUPPORT, date)
    };
    vec![
        // 101: 車検, with 〜 in one message and ～ in the other.
        car(
            1001,
            jst(2026, 10, 20, 10, 0),
            ("山田 太郎", "taro@example.jp"),
            &["support@hako.test"],
            "車検の予約について",
            "来週の車検の予約をお願いします。\n営業時間は10時〜18時でしょうか。",
        ),
        MessageDoc {
            direction: "outgoing".into(),
            ..car(
                1002,
                jst(2026, 10, 20, 15, 0),
                ("佐藤", "sato@hako.test"),
                &["taro@example.jp"],
                "Re: 車検の予約について",
                "山田様\nお問い合わせありがとうございます。営業時間は10時～18時です。",
            )
        },
        // 102: 請求書, at 00:30 on 1 November in Tokyo (still 31 October in UTC).
        MessageDoc {
            from_name: "経理部 鈴木".into(),
            from_address: "suzuki@keiri.example.co.jp".into(),
            to: strings(&["billing@hako.test"]),
            cc: strings(&["accounting@example.co.jp"]),
            subject: "請求書の再発行のお願い".into(),
            body: "10月分の請求書を再発行していただけますか。".into(),
            attachment_names: strings(&["請求書_202610.pdf"]),
            labels: strings(&["請求"]),
            status: "pending".into(),
            assignee: Some("sato@hako.test".into()),
            ..msg(2001, 102, BILLING, jst(2026, 11, 1, 0, 30))
        },
        // 103: 請求 … 要求書, which must not match 請求書; 23:30 on 31 October in Tokyo.
        MessageDoc {
            from_address: "hanako@example.com".into(),
            subject: "ご要望".into(),
            body: "請求の件で要求書を送付します。".into(),
            status: "closed".into(),
            ..msg(3001, 103, SUPPORT, jst(2026, 10, 31, 23, 30))
        },
        // 104: half-width katakana.
        MessageDoc {
            from_name: "ｶﾙﾓ ｻﾎﾟｰﾄ".into(),
            from_address: "info@carmo.example".into(),
            subject: "ｶﾙﾓからのお知らせ".into(),
            body: "ｶﾙﾓ会員の皆様へ。キャンペーンのご案内です。".into(),
            labels: strings(&["お知らせ"]),
            ..msg(4001, 104, SALES, jst(2026, 10, 10, 9, 0))
        },
        // 105: English, three messages, full-width subject, a <script> in the body.
        MessageDoc {
            from_name: "John Smith".into(),
            from_address: "john@acme.example".into(),
            to: strings(&["support@hako.test"]),
            subject: "ＩＮＶＯＩＣＥ #4411 overdue".into(),
            body: "Hello, the invoice #4411 is overdue. Please find the attached invoice.\n<script>alert('x')</script>".into(),
            attachment_names: strings(&["invoice-4411.pdf"]),
            assignee: Some("tanaka@hako.test".into()),
            ..msg(5001, 105, SUPPORT, jst(2026, 10, 15, 11, 0))
        },
        MessageDoc {
            direction: "outgoing".into(),
            from_name: "Tanaka".into(),
            from_address: "tanaka@hako.test".into(),
            to: strings(&["john@acme.example"]),
            subject: "Re: INVOICE #4411 overdue".into(),
            body: "Hi John, we are checking the invoice now.".into(),
            assignee: Some("tanaka@hako.test".into()),
            ..msg(5002, 105, SUPPORT, jst(2026, 10, 16, 11, 0))
        },
        MessageDoc {
            direction: "note".into(),
            from_address: "tanaka@hako.test".into(),
            subject: "Re: INVOICE #4411 overdue".into(),
            body: "Paid on 10/17, closing soon.".into(),
            assignee: Some("tanaka@hako.test".into()),
            ..msg(5003, 105, SUPPORT, jst(2026, 10, 17, 11, 0))
        },
        // 106: "involves a voice … nice" must not match `invoice`.
        MessageDoc {
            from_address: "mary@example.org".into(),
            subject: "Question about your service".into(),
            body: "This involves a voice call with your team; the price is nice. See https://hako.example/docs".into(),
            ..msg(6001, 106, SUPPORT, jst(2026, 10, 5, 8, 0))
        },
        // 107: お問い合わせ in another inbox.
        MessageDoc {
            from_name: "佐藤 花子".into(),
            from_address: "hanako.sato@example.ne.jp".into(),
            subject: "お問い合わせ".into(),
            body: "製品についてお問い合わせです。〜よろしくお願いします〜".into(),
            labels: strings(&["VIP"]),
            status: "snoozed".into(),
            ..msg(7001, 107, SALES, jst(2026, 10, 25, 13, 0))
        },
        // 108: spam.
        MessageDoc {
            from_address: "promo@spam.example".into(),
            subject: "Cheap watches".into(),
            body: "Best prices on watches.".into(),
            status: "spam".into(),
            ..msg(8001, 108, SUPPORT, jst(2026, 9, 1, 8, 0))
        },
        // 109: newer than 101, mentions 車検 once, only in the body.
        MessageDoc {
            from_address: "kenji@example.jp".into(),
            subject: "御礼".into(),
            body: "先日は車の点検と車検の件、ありがとうございました。".into(),
            ..msg(9001, 109, SUPPORT, jst(2026, 11, 5, 10, 0))
        },
    ]
}

/// Every ticket id in the corpus.
pub fn ticket_ids(docs: &[MessageDoc]) -> Vec<i64> {
    let mut ids: Vec<i64> = docs.iter().map(|d| d.ticket_id).collect();
    ids.dedup();
    ids
}

pub fn indexed() -> SearchIndex {
    let index = SearchIndex::create_in_ram().unwrap();
    let docs = corpus();
    index.replace_tickets(&ticket_ids(&docs), &docs).unwrap();
    index.commit().unwrap();
    index
}

pub fn search(index: &SearchIndex, query: &str, scope: &Scope, sort: SortBy) -> SearchPage {
    let q = parse_query(query, Tokyo).unwrap_or_else(|e| panic!("{query}: {e}"));
    index
        .search(
            &q,
            scope,
            sort,
            Page {
                limit: 100,
                offset: 0,
            },
        )
        .unwrap()
}

/// Ticket ids matching `query` in every inbox, newest first.
pub fn ids(index: &SearchIndex, query: &str) -> Vec<i64> {
    search(index, query, &Scope::all(), SortBy::Newest)
        .hits
        .iter()
        .map(|h| h.ticket_id)
        .collect()
}

/// The same, sorted, for assertions that do not care about order.
pub fn id_set(index: &SearchIndex, query: &str) -> Vec<i64> {
    let mut ids = ids(index, query);
    ids.sort_unstable();
    ids
}
