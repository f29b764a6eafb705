//! Reading the times people type for a snooze: `+2h`, `tomorrow`, `next-week`,
//! `2026-12-01 09:30` (in the team's timezone) or RFC 3339. The UI's buttons ("later today",
//! "tomorrow morning", "next week") use the same presets, so both agree on what they mean.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;

use crate::{DomainError, Timestamp};

/// "Morning" for tomorrow and next week: when a support team starts.
pub const MORNING: u32 = 9;

/// Parses a snooze time relative to `now` in timezone `tz`.
pub fn parse_when(input: &str, now: Timestamp, tz: Tz) -> Result<Timestamp, DomainError> {
    let s = input.trim();
    let bad = || DomainError::InvalidTime(input.to_string());
    if let Some(rel) = s.strip_prefix('+') {
        let (num, unit) = rel.split_at(rel.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
        let n: i64 = num.parse().map_err(|_| bad())?;
        let d = match unit {
            "m" | "min" => Duration::minutes(n),
            "h" => Duration::hours(n),
            "d" => Duration::days(n),
            "w" => Duration::weeks(n),
            _ => return Err(bad()),
        };
        return Ok(now + d);
    }
    let today = now.with_timezone(&tz).date_naive();
    match s.to_lowercase().as_str() {
        "later" | "later-today" => return Ok(now + Duration::hours(3)),
        "tomorrow" => return local(today + Duration::days(1), MORNING, tz),
        "next-week" => {
            let days = 7 - today.weekday().num_days_from_monday() as i64;
            return local(today + Duration::days(days), MORNING, tz);
        }
        _ => {}
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, f) {
            return from_local(dt, tz).ok_or_else(bad);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return local(d, MORNING, tz);
    }
    Err(bad())
}

fn local(d: NaiveDate, hour: u32, tz: Tz) -> Result<Timestamp, DomainError> {
    let dt = d.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("valid hour"));
    from_local(dt, tz).ok_or_else(|| DomainError::InvalidTime(dt.to_string()))
}

fn from_local(dt: NaiveDateTime, tz: Tz) -> Option<Timestamp> {
    tz.from_local_datetime(&dt)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// The local weekday of `t`, for labelling a preset ("next week: Mon 30 Nov").
pub fn weekday_of(t: Timestamp, tz: Tz) -> Weekday {
    t.with_timezone(&tz).weekday()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn tokyo() -> Tz {
        "Asia/Tokyo".parse().unwrap()
    }

    // Wednesday 2026-11-25 15:00 in Tokyo.
    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 25, 6, 0, 0).unwrap()
    }

    #[test]
    fn relative_and_named_times() {
        assert_eq!(
            parse_when("+2h", now(), tokyo()).unwrap(),
            now() + Duration::hours(2)
        );
        assert_eq!(
            parse_when("+3d", now(), tokyo()).unwrap(),
            now() + Duration::days(3)
        );
        // Tomorrow 09:00 Tokyo is 00:00 UTC.
        assert_eq!(
            parse_when("tomorrow", now(), tokyo()).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 26, 0, 0, 0).unwrap()
        );
        // Next week means Monday morning.
        let nw = parse_when("next-week", now(), tokyo()).unwrap();
        assert_eq!(weekday_of(nw, tokyo()), Weekday::Mon);
        assert_eq!(nw, Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap());
    }

    #[test]
    fn absolute_times_are_in_the_team_timezone() {
        assert_eq!(
            parse_when("2026-12-01 10:30", now(), tokyo()).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 1, 1, 30, 0).unwrap()
        );
        assert_eq!(
            parse_when("2026-12-01T10:30:00Z", now(), tokyo()).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 1, 10, 30, 0).unwrap()
        );
        for bad in ["soon", "+2y", "+h", "2026-13-01"] {
            assert!(parse_when(bad, now(), tokyo()).is_err(), "{bad}");
        }
    }
}
