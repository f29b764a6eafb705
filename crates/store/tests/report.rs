//! The weekly label report on fixtures with known counts, placed on both sides of week,
//! year and timezone boundaries.

mod common;

use chrono_tz::Tz;
use common::Fixture as Env;
use hako_domain::report::{IsoWeek, WeekRange};
use hako_domain::{Actor, Status};
use hako_store::{Change, Expect};

fn range(from: &str, to: &str) -> WeekRange {
    WeekRange::new(IsoWeek::parse(from).unwrap(), IsoWeek::parse(to).unwrap()).unwrap()
}

/// Sunday 2026-10-04 23:59 and Monday 2026-10-05 00:00 in Tokyo are 14:59 and 15:00 UTC:
/// in Tokyo they fall in W40 and W41, in UTC both in W40.
fn fixture() -> Env {
    let mut env = Env::new();
    let billing = env.store.add_label(Actor::System, "請求", None).unwrap().id;
    let shipping = env.store.add_label(Actor::System, "配送", None).unwrap().id;
    let label = |env: &mut Env, n, l| {
        env.store
            .apply(Actor::System, n, &Change::AddLabel(l), Expect::Any)
            .unwrap();
    };
    env.at("2026-10-04T14:59:00Z");
    let a = env.ticket(env.support, "a@customer.test", "お問い合わせ");
    label(&mut env, a, billing);
    label(&mut env, a, shipping);
    env.at("2026-10-04T15:00:00Z");
    let b = env.ticket(env.support, "b@customer.test", "お問い合わせ");
    label(&mut env, b, billing);
    let c = env.ticket(env.info, "c@customer.test", "お問い合わせ");
    label(&mut env, c, billing);
    let d = env.ticket(env.info, "d@customer.test", "お問い合わせ"); // no label
    // Spam and merged-away tickets are not inquiries to count.
    let spam = env.ticket(env.support, "spam@customer.test", "お問い合わせ");
    label(&mut env, spam, billing);
    env.store
        .apply(
            Actor::System,
            spam,
            &Change::SetStatus(Status::Spam),
            Expect::Any,
        )
        .unwrap();
    let dup = env.ticket(env.info, "d@customer.test", "お問い合わせ");
    env.store.merge(Actor::System, dup, d, Expect::Any).unwrap();
    // Closed tickets still count: they were inquiries that week.
    env.at("2026-10-12T03:00:00Z");
    let e = env.ticket(env.support, "e@customer.test", "お問い合わせ");
    label(&mut env, e, shipping);
    env.store
        .apply(
            Actor::System,
            e,
            &Change::SetStatus(Status::Closed),
            Expect::Any,
        )
        .unwrap();
    env
}

#[test]
fn counts_by_week_in_the_team_timezone() {
    let env = fixture();
    let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
    let r = env
        .store
        .label_report(range("2026-W40", "2026-W42"), tokyo, None)
        .unwrap();
    assert_eq!(r.labels, ["請求", "配送"]);
    assert_eq!(r.counts[0], [1, 2, 0], "請求 per week");
    assert_eq!(r.counts[1], [1, 0, 1], "配送 per week");
    assert_eq!(r.no_label, [0, 1, 0]);
    // A ticket with two labels counts once in the total.
    assert_eq!(r.totals, [1, 3, 1]);
    assert_eq!(r.grand_total(), 5);
    assert_eq!(
        r.to_csv().lines().last().unwrap(),
        "total,,3,2,1,5",
        "the CSV's total row"
    );
}

#[test]
fn the_same_tickets_fall_in_other_weeks_in_utc() {
    let env = fixture();
    let r = env
        .store
        .label_report(range("2026-W40", "2026-W42"), Tz::UTC, None)
        .unwrap();
    assert_eq!(r.totals, [4, 0, 1]);
    assert_eq!(r.counts[0], [3, 0, 0]);
}

#[test]
fn one_inbox_only() {
    let env = fixture();
    let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
    let r = env
        .store
        .label_report(
            range("2026-W40", "2026-W42"),
            tokyo,
            Some((env.info, "info".into())),
        )
        .unwrap();
    assert_eq!(r.totals, [0, 2, 0]);
    assert_eq!(r.counts[0], [0, 1, 0]);
    assert_eq!(r.no_label, [0, 1, 0]);
    assert_eq!(r.inbox.as_deref(), Some("info"));
}

#[test]
fn weeks_across_the_new_year() {
    let mut env = Env::new();
    // Sunday 2025-12-28 is in 2025-W52; Monday 2025-12-29 starts 2026-W01.
    env.at("2025-12-28T12:00:00Z");
    env.ticket(env.support, "a@customer.test", "お問い合わせ");
    env.at("2025-12-29T00:00:00Z");
    env.ticket(env.support, "b@customer.test", "お問い合わせ");
    env.at("2026-01-04T23:59:59Z");
    env.ticket(env.support, "c@customer.test", "お問い合わせ");
    let r = env
        .store
        .label_report(range("2025-W52", "2026-W02"), Tz::UTC, None)
        .unwrap();
    assert_eq!(r.totals, [1, 2, 0]);
    assert_eq!(r.no_label, [1, 2, 0]);
}
