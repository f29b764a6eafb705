//! ISO 8601 weeks (Monday to Sunday, week 1 holds the year's first Thursday) and their
//! boundaries as instants in a given timezone.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::{Serialize, Serializer};
use std::fmt;

use crate::{DomainError, Timestamp};

/// Longest range a report accepts: ten years of weeks is plenty and bounds the work.
pub const MAX_WEEKS: usize = 530;

/// How many weeks a report shows when not told.
pub const DEFAULT_WEEKS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    year: i32,
    week: u32,
}

impl IsoWeek {
    pub fn new(year: i32, week: u32) -> Option<Self> {
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).map(|_| IsoWeek { year, week })
    }

    /// `2026-W40` (also `2026W40`, `2026-w40`).
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let err = || DomainError::InvalidWeek(s.to_string());
        let t = s.trim().to_ascii_uppercase();
        let (y, w) = t.split_once('W').ok_or_else(err)?;
        let y = y.strip_suffix('-').unwrap_or(y);
        let year: i32 = y.parse().map_err(|_| err())?;
        let week: u32 = w.parse().map_err(|_| err())?;
        if !(1000..=9999).contains(&year) {
            return Err(err());
        }
        IsoWeek::new(year, week).ok_or_else(err)
    }

    /// The week `at` falls in, as seen in timezone `tz`.
    pub fn of(at: Timestamp, tz: Tz) -> Self {
        let w = at.with_timezone(&tz).date_naive().iso_week();
        IsoWeek {
            year: w.year(),
            week: w.week(),
        }
    }

    pub fn monday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon)
            .expect("IsoWeek is only built from valid weeks")
    }

    pub fn next(self) -> Self {
        let w = (self.monday() + Duration::days(7)).iso_week();
        IsoWeek {
            year: w.year(),
            week: w.week(),
        }
    }

    /// Monday 00:00 in `tz`, as an instant. Where a DST jump skips midnight the week starts
    /// at the first local time that exists.
    pub fn starts_at(self, tz: Tz) -> Timestamp {
        let mut local = self.monday().and_hms_opt(0, 0, 0).expect("midnight exists");
        loop {
            if let Some(t) = tz.from_local_datetime(&local).earliest() {
                return t.with_timezone(&chrono::Utc);
            }
            local += Duration::minutes(30);
        }
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

impl Serialize for IsoWeek {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One week of a report with its boundaries: tickets with `starts_at <= created_at < ends_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WeekSpan {
    pub week: IsoWeek,
    /// The Monday, as a local date.
    pub monday: NaiveDate,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
}

/// An inclusive range of weeks, `--from 2026-W40 --to 2026-W47`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekRange {
    pub from: IsoWeek,
    pub to: IsoWeek,
}

impl WeekRange {
    pub fn new(from: IsoWeek, to: IsoWeek) -> Result<Self, DomainError> {
        if from > to {
            return Err(DomainError::EmptyWeekRange {
                from: from.to_string(),
                to: to.to_string(),
            });
        }
        let r = WeekRange { from, to };
        if r.weeks().len() > MAX_WEEKS {
            return Err(DomainError::InvalidWeek(format!(
                "{from} .. {to} spans more than {MAX_WEEKS} weeks"
            )));
        }
        Ok(r)
    }

    pub fn weeks(&self) -> Vec<IsoWeek> {
        let mut out = vec![self.from];
        let mut w = self.from;
        while w < self.to && out.len() <= MAX_WEEKS {
            w = w.next();
            out.push(w);
        }
        out
    }

    /// The weeks with their start and end instants in `tz`.
    pub fn spans(&self, tz: Tz) -> Vec<WeekSpan> {
        self.weeks()
            .into_iter()
            .map(|week| WeekSpan {
                week,
                monday: week.monday(),
                starts_at: week.starts_at(tz),
                ends_at: week.next().starts_at(tz),
            })
            .collect()
    }

    /// The `n` weeks ending with the week of `now` (what the report shows by default).
    pub fn last_n(now: Timestamp, tz: Tz, n: usize) -> Self {
        Self::ending(IsoWeek::of(now, tz), n)
    }

    /// The `n` weeks ending with `to`.
    pub fn ending(to: IsoWeek, n: usize) -> Self {
        let back = to.monday() - Duration::days(7 * (n.max(1) as i64 - 1));
        let w = back.iso_week();
        WeekRange {
            from: IsoWeek {
                year: w.year(),
                week: w.week(),
            },
            to,
        }
    }

    /// The range a report covers, from what the asker gave (the CLI's `--from/--to/--weeks`,
    /// the web page's `from`/`to`/`weeks`): `to` defaults to the week of `now` in `tz`,
    /// `from` to `weeks` (default [`DEFAULT_WEEKS`]) weeks ending with `to`. Both front ends
    /// call this, so the same parameters always mean the same weeks.
    pub fn resolve(
        from: Option<IsoWeek>,
        to: Option<IsoWeek>,
        weeks: Option<usize>,
        now: Timestamp,
        tz: Tz,
    ) -> Result<Self, DomainError> {
        let n = weeks.unwrap_or(DEFAULT_WEEKS);
        if n == 0 || n > MAX_WEEKS {
            return Err(DomainError::InvalidWeekCount(n));
        }
        let to = to.unwrap_or_else(|| IsoWeek::of(now, tz));
        let from = from.unwrap_or_else(|| Self::ending(to, n).from);
        WeekRange::new(from, to)
    }
}
