use super::*;
use chrono::{TimeZone, Utc};
use chrono_tz::Tz;

fn w(s: &str) -> IsoWeek {
    IsoWeek::parse(s).unwrap()
}

#[test]
fn parses_iso_weeks_and_refuses_week_53_in_short_years() {
    assert_eq!(w("2026-W40").to_string(), "2026-W40");
    assert_eq!(w("2026w1").to_string(), "2026-W01");
    assert!(IsoWeek::parse("2025-W53").is_err(), "2025 has 52 weeks");
    assert!(
        IsoWeek::parse("2026-W53").is_ok(),
        "2026 starts on a Thursday: 53 weeks"
    );
    assert!(IsoWeek::parse("2020-W53").is_ok(), "2020 has 53 weeks");
    assert!(IsoWeek::parse("2026-40").is_err());
    assert!(IsoWeek::parse("W40").is_err());
}

#[test]
fn weeks_cross_year_ends() {
    // Monday 2025-12-29 starts 2026-W01, because that week holds 2026's first Thursday.
    let r = WeekRange::new(w("2025-W52"), w("2026-W02")).unwrap();
    let names: Vec<String> = r.weeks().iter().map(|w| w.to_string()).collect();
    assert_eq!(names, ["2025-W52", "2026-W01", "2026-W02"]);
    assert_eq!(w("2026-W01").monday().to_string(), "2025-12-29");
    assert!(WeekRange::new(w("2026-W02"), w("2026-W01")).is_err());
}

#[test]
fn week_boundaries_follow_the_team_timezone() {
    let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
    // Sunday 2026-10-04 23:30 in Tokyo is Sunday 14:30 UTC: still W40 in Tokyo.
    let late_sunday = Utc.with_ymd_and_hms(2026, 10, 4, 14, 30, 0).unwrap();
    assert_eq!(IsoWeek::of(late_sunday, tokyo), w("2026-W40"));
    // Sunday 15:30 UTC is Monday 00:30 in Tokyo: W41 there, still W40 in UTC.
    let monday_tokyo = Utc.with_ymd_and_hms(2026, 10, 4, 15, 30, 0).unwrap();
    assert_eq!(IsoWeek::of(monday_tokyo, tokyo), w("2026-W41"));
    assert_eq!(IsoWeek::of(monday_tokyo, Tz::UTC), w("2026-W40"));
    let span = WeekRange::new(w("2026-W41"), w("2026-W41"))
        .unwrap()
        .spans(tokyo)[0];
    assert_eq!(
        span.starts_at,
        Utc.with_ymd_and_hms(2026, 10, 4, 15, 0, 0).unwrap()
    );
    assert_eq!(span.ends_at - span.starts_at, chrono::Duration::days(7));
}

#[test]
fn a_week_with_a_dst_change_is_shorter_or_longer() {
    let berlin: Tz = "Europe/Berlin".parse().unwrap();
    // Clocks go back on Sunday 2026-10-25: that week has 169 hours.
    let span = WeekRange::new(w("2026-W43"), w("2026-W43"))
        .unwrap()
        .spans(berlin)[0];
    assert_eq!(span.ends_at - span.starts_at, chrono::Duration::hours(169));
}

#[test]
fn last_n_weeks_ends_with_this_week() {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).unwrap();
    let r = WeekRange::last_n(now, Tz::UTC, 8);
    assert_eq!(r.to, w("2026-W48"));
    assert_eq!(r.weeks().len(), 8);
}

fn sample() -> LabelReport {
    let spans = WeekRange::new(w("2026-W40"), w("2026-W41"))
        .unwrap()
        .spans(Tz::UTC);
    let mut r = LabelReport::empty(spans, vec!["請求".into(), "bug".into()], "UTC", None);
    r.counts[0] = vec![2, 1];
    r.counts[1] = vec![1, 0];
    r.no_label = vec![1, 3];
    r.totals = vec![3, 4];
    r
}

#[test]
fn csv_has_a_column_per_label_and_a_total_row() {
    let csv = sample().to_csv();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], "week,week_start,請求,bug,no label,total");
    assert_eq!(lines[1], "2026-W40,2026-09-28,2,1,1,3");
    assert_eq!(lines[2], "2026-W41,2026-10-05,1,0,3,4");
    assert_eq!(lines[3], "total,,3,1,4,7");
}

#[test]
fn table_aligns_japanese_labels() {
    let t = sample().to_table();
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines[0].starts_with("week      week_start  請求  bug"));
    assert_eq!(
        crate::text::display_width(lines[0]),
        crate::text::display_width(lines[2])
    );
    assert!(lines.last().unwrap().starts_with("total"));
}

#[test]
fn json_rows_are_one_object_per_week() {
    let v = sample().to_json_rows();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["week"], "2026-W41");
    assert_eq!(rows[1]["labels"]["請求"], 1);
    assert_eq!(rows[1]["no_label"], 3);
    assert_eq!(rows[1]["total"], 4);
}

#[test]
fn a_range_from_what_was_given() {
    let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
    // Wednesday 2026-11-25 in Tokyo: week 48.
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).unwrap();
    let r = WeekRange::resolve(None, None, None, now, tokyo).unwrap();
    assert_eq!((r.from, r.to), (w("2026-W41"), w("2026-W48")));
    assert_eq!(r, WeekRange::last_n(now, tokyo, DEFAULT_WEEKS));
    let r = WeekRange::resolve(None, Some(w("2026-W02")), Some(4), now, tokyo).unwrap();
    assert_eq!((r.from, r.to), (w("2025-W51"), w("2026-W02")));
    let r = WeekRange::resolve(Some(w("2026-W40")), None, Some(2), now, tokyo).unwrap();
    assert_eq!(
        (r.from, r.to),
        (w("2026-W40"), w("2026-W48")),
        "from wins over weeks"
    );
    assert!(WeekRange::resolve(None, None, Some(0), now, tokyo).is_err());
    assert!(WeekRange::resolve(None, None, Some(MAX_WEEKS + 1), now, tokyo).is_err());
    assert!(WeekRange::resolve(Some(w("2026-W49")), None, None, now, tokyo).is_err());
}
