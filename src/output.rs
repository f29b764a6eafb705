//! Plain-text output: aligned tables that respect Japanese character widths, times in the
//! team's timezone, and JSON printing for `--json`.

use chrono_tz::Tz;
use hako_domain::Timestamp;
use hako_domain::text::display_width;
use serde::Serialize;

/// Prints `rows` under `header`, columns separated by two spaces.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(display_width(c));
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c}{}", " ".repeat(widths[i] - display_width(c))))
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(header.to_vec());
    for r in rows {
        line(r.iter().map(|s| s.as_str()).collect());
    }
}

pub fn json<T: Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// `2026-11-25 09:30` in the team's timezone.
pub fn time(t: Timestamp, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

pub fn opt_time(t: Option<Timestamp>, tz: Tz) -> String {
    t.map(|t| time(t, tz)).unwrap_or_else(|| "-".into())
}

/// `1h35m`, `2d4h`: short durations for waiting and response times.
pub fn duration(d: chrono::Duration) -> String {
    let m = d.num_minutes().max(0);
    match m {
        0..60 => format!("{m}m"),
        60..1440 => format!("{}h{:02}m", m / 60, m % 60),
        _ => format!("{}d{}h", m / 1440, (m % 1440) / 60),
    }
}
