//! The bits of IMAP syntax hako writes and reads itself (RFC 3501): UID
//! sets (§9 `sequence-set`), mailbox names as quoted strings in modified
//! UTF-7 (§5.1.3), search dates (§9 `date`) and `INTERNALDATE` values
//! (§9 `date-time`). Pure functions, no I/O.

use chrono::{DateTime, NaiveDate, Utc};

/// `1:3,7,9:10` for UIDs 1, 2, 3, 7, 9, 10 (any order, duplicates
/// allowed). Empty input gives an empty string; callers skip the command.
pub(crate) fn uid_set(uids: &[u32]) -> String {
    let mut sorted = uids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = String::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

/// UIDs from `UID SEARCH UID n:*` that really are above `last`, ascending.
/// `n:*` always matches the highest message even when its UID is below
/// `n` (RFC 3501 §6.4.8: `*` is the largest UID in use, and `n:*` is the
/// same as `*:n`), so an empty folder tail returns the last old mail.
pub(crate) fn uids_above(found: impl IntoIterator<Item = u32>, last: u32) -> Vec<u32> {
    let mut uids: Vec<u32> = found.into_iter().filter(|&uid| uid > last).collect();
    uids.sort_unstable();
    uids.dedup();
    uids
}

/// A search `date` such as `5-Jan-2024` (English month, no padding).
pub(crate) fn search_date(date: NaiveDate) -> String {
    date.format("%-d-%b-%Y").to_string()
}

/// Parses an `INTERNALDATE` such as `" 5-Jan-2024 09:08:07 +0900"`.
pub(crate) fn internal_date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(text.trim(), "%d-%b-%Y %H:%M:%S %z")
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// A mailbox name as an IMAP quoted string, non-ASCII encoded as modified
/// UTF-7 (`受信` → `"&U9dP4Q-"`). `Err` names a character that cannot
/// appear in a mailbox name (CR, LF, NUL).
pub(crate) fn quoted_mailbox(name: &str) -> Result<String, String> {
    if let Some(c) = name.chars().find(|c| matches!(c, '\r' | '\n' | '\0')) {
        return Err(format!("folder names cannot contain {:?}", c));
    }
    let encoded = modified_utf7(name);
    Ok(format!(
        "\"{}\"",
        encoded.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// RFC 3501 §5.1.3: printable ASCII stays (`&` becomes `&-`), runs of other
/// characters become `&` + modified BASE64 of their UTF-16BE + `-`.
fn modified_utf7(name: &str) -> String {
    let mut out = String::new();
    let mut run: Vec<u16> = Vec::new();
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush_run(&mut out, &mut run);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut units = [0u16; 2];
            run.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush_run(&mut out, &mut run);
    out
}

fn flush_run(out: &mut String, run: &mut Vec<u16>) {
    if run.is_empty() {
        return;
    }
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
    let bytes: Vec<u8> = run.drain(..).flat_map(u16::to_be_bytes).collect();
    out.push('&');
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        // 1, 2 or 3 bytes give 2, 3 or 4 characters; no `=` padding.
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out.push('-');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_sets_collapse_runs() {
        assert_eq!(uid_set(&[]), "");
        assert_eq!(uid_set(&[7]), "7");
        assert_eq!(uid_set(&[10, 9, 3, 1, 2, 7, 2]), "1:3,7,9:10");
        assert_eq!(uid_set(&[u32::MAX - 1, u32::MAX]), "4294967294:4294967295");
    }

    #[test]
    fn uid_filter_drops_the_star_match() {
        // `UID SEARCH UID 11:*` in a folder whose highest UID is 10.
        assert_eq!(uids_above([10], 10), Vec::<u32>::new());
        assert_eq!(uids_above([13, 11, 10, 12, 11], 10), [11, 12, 13]);
        assert_eq!(uids_above([1, 2], 0), [1, 2]);
    }

    #[test]
    fn search_dates_use_english_months_unpadded() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        assert_eq!(search_date(d), "5-Jan-2024");
        let d = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
        assert_eq!(search_date(d), "31-Dec-2023");
    }

    #[test]
    fn internal_dates_parse_with_space_padding_and_offset() {
        let d = internal_date(" 5-Jan-2024 09:08:07 +0900").unwrap();
        assert_eq!(d.to_rfc3339(), "2024-01-05T00:08:07+00:00");
        let d = internal_date("17-Jul-1996 02:44:25 -0700").unwrap();
        assert_eq!(d.to_rfc3339(), "1996-07-17T09:44:25+00:00");
        assert!(internal_date("yesterday").is_none());
    }

    #[test]
    fn mailbox_names_are_quoted_and_utf7_encoded() {
        assert_eq!(quoted_mailbox("INBOX").unwrap(), "\"INBOX\"");
        assert_eq!(quoted_mailbox("a \"b\" \\c").unwrap(), r#""a \"b\" \\c""#);
        assert_eq!(quoted_mailbox("Tom & Jerry").unwrap(), "\"Tom &- Jerry\"");
        // RFC 3501 §5.1.3's example.
        assert_eq!(
            quoted_mailbox("~peter/mail/台北/日本語").unwrap(),
            "\"~peter/mail/&U,BTFw-/&ZeVnLIqe-\""
        );
        assert_eq!(quoted_mailbox("受信").unwrap(), "\"&U9dP4Q-\"");
        // A character outside the BMP (surrogate pair).
        assert_eq!(quoted_mailbox("📬").unwrap(), "\"&2D3c7A-\"");
        assert!(quoted_mailbox("a\r\nb").is_err());
    }
}
