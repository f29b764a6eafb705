//! The weekly label report page: the CLI's numbers on the same data (the same domain and store
//! functions `hako report labels` calls), the CSV byte for byte the CLI's, an inline SVG chart,
//! and hidden from agents.

mod common;

use axum::http::{StatusCode, header};
use chrono::Duration;
use common::*;
use hako_domain::report::{IsoWeek, WeekRange};
use hako_domain::{Actor, Status};
use hako_store::{Change, Expect, Store};
use std::sync::Arc;

const TZ: chrono_tz::Tz = chrono_tz::Asia::Tokyo;

/// Labels on the fixture's tickets (one with two), a spam ticket (not counted), and two
/// tickets created three weeks ago.
fn app() -> App {
    spawn_app_with(None, |s, support, info| {
        let then = s.now() - Duration::weeks(3);
        s.set_clock(Arc::new(move || then));
        let old = plain_ticket(s, support, "old@customer.test", "三週間前", "前の件");
        plain_ticket(s, info, "old2@customer.test", "Three weeks ago", "old");
        s.set_clock(Arc::new(chrono::Utc::now));
        let bill = s.label_by_name("請求").unwrap().id;
        let ship = s.label_by_name("配送").unwrap().id;
        let spam = plain_ticket(s, support, "spam@spam.test", "Buy now", "spam");
        let label = |s: &mut Store, n, l| {
            s.apply(Actor::System, n, &Change::AddLabel(l), Expect::Any)
                .unwrap();
        };
        label(s, hako_domain::TicketNumber(1001), bill);
        label(s, hako_domain::TicketNumber(1002), bill);
        label(s, hako_domain::TicketNumber(1002), ship);
        label(s, hako_domain::TicketNumber(1003), ship);
        label(s, old, bill);
        label(s, spam, bill);
        s.apply(
            Actor::System,
            spam,
            &Change::SetStatus(Status::Spam),
            Expect::Any,
        )
        .unwrap();
    })
}

/// What `hako report labels --format csv` prints for these flags: the same calls, in the
/// same order, as `src/cmd/report.rs`.
fn cli_csv(
    app: &App,
    from: Option<&str>,
    to: Option<&str>,
    weeks: Option<usize>,
    inbox: Option<&str>,
) -> String {
    let s = app.store();
    let week = |w: Option<&str>| w.map(|w| IsoWeek::parse(w).unwrap());
    let range = WeekRange::resolve(week(from), week(to), weeks, s.now(), TZ).unwrap();
    let inbox = inbox.map(|n| {
        let i = s.inbox_by_name(n).unwrap();
        (i.id, i.name)
    });
    s.label_report(range, TZ, inbox).unwrap().to_csv()
}

#[tokio::test]
async fn the_csv_is_the_clis_byte_for_byte() {
    let app = app();
    let boss = app.browser(app.boss);
    let this_week = IsoWeek::of(chrono::Utc::now(), TZ).to_string();
    let earlier = IsoWeek::of(chrono::Utc::now() - Duration::weeks(10), TZ).to_string();
    let cases: Vec<(String, String)> = vec![
        ("".into(), cli_csv(&app, None, None, None, None)),
        ("weeks=4".into(), cli_csv(&app, None, None, Some(4), None)),
        (
            "weeks=4&inbox=support".into(),
            cli_csv(&app, None, None, Some(4), Some("support")),
        ),
        (
            format!("from={earlier}&to={this_week}&inbox=info"),
            cli_csv(&app, Some(&earlier), Some(&this_week), None, Some("info")),
        ),
        (
            format!("to={this_week}&weeks=2"),
            cli_csv(&app, None, Some(&this_week), Some(2), None),
        ),
    ];
    for (query, expected) in cases {
        let r = app
            .get(&format!("/reports/labels.csv?{query}"), Some(&boss))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
        assert_eq!(r.body, expected, "{query}");
        assert_eq!(r.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
        assert!(
            r.header(header::CONTENT_DISPOSITION)
                .starts_with("attachment; filename=\"labels-"),
            "{query}"
        );
    }
    // The default range, counted by hand: this week 1001 (請求), 1002 (請求+配送), 1003
    // (配送), 1004 (none); the spam ticket not at all; three weeks ago 請求 and one without.
    let csv = cli_csv(&app, None, None, None, None);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], "week,week_start,請求,配送,no label,total");
    let now_row = lines.iter().find(|l| l.starts_with(&this_week)).unwrap();
    assert!(now_row.ends_with(",2,2,1,4"), "{now_row}");
    assert!(csv.contains("\r\ntotal,,3,2,2,6\r\n"), "{csv}");
}

#[tokio::test]
async fn the_page_shows_the_same_numbers_a_table_and_a_chart() {
    let app = app();
    let boss = app.browser(app.boss);
    let r = app
        .get_lang("/reports/labels?weeks=4", Some(&boss), Some("en"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let this_week = IsoWeek::of(chrono::Utc::now(), TZ).to_string();
    // This week's row: 請求 2, 配送 2, no label 1, total 4.
    let row = r
        .body
        .split(&format!("<td>{this_week}</td>"))
        .nth(1)
        .unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    let cells: Vec<&str> = row
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| c.split('<').next().unwrap())
        .collect();
    assert_eq!(cells, ["2", "2", "1", ""], "{row}");
    assert!(row.contains("<strong>4</strong>"));
    assert!(
        r.body
            .contains("<th class=\"num\">2</th><th class=\"num\">6</th></tr></tfoot>"),
        "no label and grand total of four weeks"
    );
    // The chart: inline SVG, the label colours in the legend, nothing loaded or run.
    let svg = &r.body[r.body.find("<svg").unwrap()..r.body.find("</svg>").unwrap()];
    assert!(svg.contains("請求") && svg.contains("配送") && svg.contains("no label"));
    assert!(!svg.contains("<script") && !svg.contains("href"));
    let colour = app.store().label_by_name("請求").unwrap().colour;
    assert!(svg.contains(&format!("fill=\"{colour}\"")));
    assert!(
        r.body
            .contains("labels.csv?from=&amp;to=&amp;weeks=4&amp;inbox=")
    );
    // Japanese, one inbox.
    let ja = app
        .get_lang("/reports/labels?inbox=info", Some(&boss), Some("ja"))
        .await;
    assert_eq!(ja.status, StatusCode::OK);
    assert!(ja.body.contains("集計") && ja.body.contains("ラベルなし"));
    // A bad week is a 400 saying what is wrong; an unknown inbox a 404.
    let bad = app.get("/reports/labels?from=2026-W99", Some(&boss)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("2026-W99"));
    let bad = app.get("/reports/labels?weeks=0", Some(&boss)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let none = app.get("/reports/labels?inbox=nope", Some(&boss)).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn agents_get_404_for_the_report_and_its_csv() {
    let app = app();
    let sato = app.browser(app.sato);
    for path in ["/reports/labels", "/reports/labels.csv"] {
        let r = app.get(path, Some(&sato)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.body.contains("請求,"), "{path}");
    }
    // Admins see it too.
    let admin = app.store().agent_by_email("admin@example.test").unwrap().id;
    let r = app.get("/reports/labels", Some(&app.browser(admin))).await;
    assert_eq!(r.status, StatusCode::OK);
}
