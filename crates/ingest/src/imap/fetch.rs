//! Downloading mail: `UID FETCH <set> (UID INTERNALDATE BODY.PEEK[])`.
//! `BODY.PEEK[]` is the whole raw message without setting `\Seen`
//! (RFC 3501 §6.4.5).

use std::collections::{BTreeMap, HashSet};

use async_imap::imap_proto::{AttributeValue, Response};
use chrono::{DateTime, Utc};

use super::client::Client;
use super::error::ImapError;
use super::wire::{internal_date, uid_set};

/// One downloaded mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub uid: u32,
    /// When the server received it (`INTERNALDATE`), if it said.
    pub internal_date: Option<DateTime<Utc>>,
    /// The message exactly as stored on the server.
    pub raw: Vec<u8>,
}

/// Attributes of one UID collected across FETCH responses (a server may
/// split them).
#[derive(Default)]
struct Partial {
    internal_date: Option<DateTime<Utc>>,
    raw: Option<Vec<u8>>,
}

impl Client {
    /// Downloads `uids` from the selected folder, sorted by UID. A UID that
    /// no longer exists (expunged by another client since the search) is
    /// simply missing from the result; that is not an error.
    pub async fn fetch(&mut self, uids: &[u32]) -> Result<Vec<Fetched>, ImapError> {
        let op = "fetch";
        self.require_selected(op)?;
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: HashSet<u32> = uids.iter().copied().collect();
        let mut found: BTreeMap<u32, Partial> = BTreeMap::new();
        let command = format!("UID FETCH {} (UID INTERNALDATE BODY.PEEK[])", uid_set(uids));
        let result = self
            .run(op, &command, |response| {
                if let Response::Fetch(_, attributes) = response {
                    collect(attributes, &wanted, &mut found);
                }
            })
            .await;
        match result {
            Ok(_) => {}
            // RFC 5530: some of the set was expunged; the rest was sent.
            Err(ImapError::Refused { response, .. }) if response.contains("[EXPUNGEISSUED]") => {}
            Err(e) => return Err(e),
        }
        Ok(found
            .into_iter()
            .filter_map(|(uid, partial)| {
                Some(Fetched {
                    uid,
                    internal_date: partial.internal_date,
                    raw: partial.raw?,
                })
            })
            .collect())
    }
}

/// Adds one FETCH response to `found`. Responses without a UID, or for
/// UIDs not asked for, are flag updates the server may send at any time.
fn collect(
    attributes: &[AttributeValue<'_>],
    wanted: &HashSet<u32>,
    found: &mut BTreeMap<u32, Partial>,
) {
    let Some(uid) = attributes.iter().find_map(|a| match a {
        AttributeValue::Uid(uid) => Some(*uid),
        _ => None,
    }) else {
        return;
    };
    if !wanted.contains(&uid) {
        return;
    }
    let entry = found.entry(uid).or_default();
    for attribute in attributes {
        match attribute {
            AttributeValue::InternalDate(text) => entry.internal_date = internal_date(text),
            AttributeValue::BodySection {
                section: None,
                data: Some(data),
                ..
            }
            | AttributeValue::Rfc822(Some(data)) => entry.raw = Some(data.to_vec()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    #[test]
    fn collects_wanted_uids_and_merges_split_responses() {
        let wanted: HashSet<u32> = [5, 6].into();
        let mut found = BTreeMap::new();
        let date = AttributeValue::InternalDate(Cow::Borrowed("05-Jan-2024 09:08:07 +0000"));
        let body = |b: &'static [u8]| AttributeValue::BodySection {
            section: None,
            index: None,
            data: Some(Cow::Borrowed(b)),
        };
        collect(&[AttributeValue::Uid(6), body(b"six")], &wanted, &mut found);
        collect(&[AttributeValue::Uid(6), date], &wanted, &mut found);
        // Not asked for, and a flag update without UID: ignored.
        collect(
            &[AttributeValue::Uid(7), body(b"seven")],
            &wanted,
            &mut found,
        );
        collect(
            &[AttributeValue::Flags(vec![Cow::Borrowed("\\Seen")])],
            &wanted,
            &mut found,
        );
        // Asked for but without a body (a flag update): no entry with raw.
        collect(
            &[AttributeValue::Uid(5), AttributeValue::Flags(vec![])],
            &wanted,
            &mut found,
        );

        assert_eq!(found.keys().copied().collect::<Vec<_>>(), [5, 6]);
        let six = &found[&6];
        assert_eq!(six.raw.as_deref(), Some(&b"six"[..]));
        assert!(six.internal_date.is_some());
        assert!(found[&5].raw.is_none());
    }
}
