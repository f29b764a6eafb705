//! Limits on what [`crate::parse`] accepts, so that a hostile mail cannot make the ingest worker
//! spend unbounded time or memory. These are the only errors the parser returns.

use std::collections::HashSet;

use mail_parser::{Message, PartType};
use serde::{Deserialize, Serialize};

/// How large and how deeply structured a mail may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Size of the raw mail in bytes (default 50 MiB).
    pub max_bytes: usize,
    /// MIME parts, counting multipart containers and attached messages' parts (default 2000).
    pub max_parts: usize,
    /// Nesting of multiparts and attached messages (default 20).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 50 * 1024 * 1024,
            max_parts: 2000,
            max_depth: 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ParseError {
    #[error("cannot parse a mail of {size} bytes: the limit is {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("cannot parse a mail with {parts} or more MIME parts: the limit is {limit}")]
    TooManyParts { parts: usize, limit: usize },
    #[error("cannot parse a mail nested {depth} levels deep: the limit is {limit}")]
    TooDeep { depth: usize, limit: usize },
}

impl Limits {
    pub(crate) fn check_size(&self, raw: &[u8]) -> Result<(), ParseError> {
        if raw.len() > self.max_bytes {
            return Err(ParseError::TooLarge {
                size: raw.len(),
                limit: self.max_bytes,
            });
        }
        Ok(())
    }

    /// Counts boundary delimiter lines before mail-parser builds anything, so a mail with a
    /// million tiny parts fails in one linear scan. The count is an upper bound on the parts
    /// mail-parser finds; [`Limits::check_tree`] checks the exact number afterwards.
    pub(crate) fn prescan(&self, raw: &[u8]) -> Result<(), ParseError> {
        let boundaries = declared_boundaries(raw);
        if boundaries.is_empty() {
            return Ok(());
        }
        let mut parts = 1;
        for line in raw.split(|&b| b == b'\n') {
            let Some(rest) = line.strip_prefix(b"--") else {
                continue;
            };
            let rest = rest.trim_ascii_end();
            if rest.ends_with(b"--") && boundaries.contains(&rest[..rest.len() - 2]) {
                continue; // close delimiter
            }
            if boundaries.contains(rest) {
                parts += 1;
                if parts > self.max_parts {
                    return Err(ParseError::TooManyParts {
                        parts,
                        limit: self.max_parts,
                    });
                }
            }
        }
        Ok(())
    }

    /// Walks the parsed tree; recursion stops as soon as `max_depth` is passed.
    pub(crate) fn check_tree(&self, message: &Message<'_>) -> Result<(), ParseError> {
        let mut parts = 0;
        self.walk(message, 0, &mut parts)
    }

    fn walk(
        &self,
        message: &Message<'_>,
        depth: usize,
        parts: &mut usize,
    ) -> Result<(), ParseError> {
        *parts += message.parts.len();
        if *parts > self.max_parts {
            return Err(ParseError::TooManyParts {
                parts: *parts,
                limit: self.max_parts,
            });
        }
        if message.parts.is_empty() {
            return Ok(());
        }
        self.walk_part(message, 0, depth, parts)
    }

    fn walk_part(
        &self,
        message: &Message<'_>,
        id: usize,
        depth: usize,
        parts: &mut usize,
    ) -> Result<(), ParseError> {
        if depth > self.max_depth {
            return Err(ParseError::TooDeep {
                depth,
                limit: self.max_depth,
            });
        }
        match message.parts.get(id).map(|p| &p.body) {
            Some(PartType::Multipart(children)) => {
                for &child in children {
                    // mail-parser lists a part as its own child in some recovery paths.
                    if child as usize > id {
                        self.walk_part(message, child as usize, depth + 1, parts)?;
                    }
                }
                Ok(())
            }
            Some(PartType::Message(nested)) => self.walk(nested, depth + 1, parts),
            _ => Ok(()),
        }
    }
}

/// Every `boundary=` parameter value in the raw mail (quoted or not, any case).
fn declared_boundaries(raw: &[u8]) -> HashSet<&[u8]> {
    const KEY: &[u8] = b"boundary=";
    let mut found = HashSet::new();
    let mut i = 0;
    while i + KEY.len() <= raw.len() {
        if raw[i..i + KEY.len()].eq_ignore_ascii_case(KEY) {
            let rest = &raw[i + KEY.len()..];
            let value = if let Some(quoted) = rest.strip_prefix(b"\"") {
                let end = quoted.iter().position(|&b| b == b'"' || b == b'\n');
                &quoted[..end.unwrap_or(quoted.len())]
            } else {
                let end = rest
                    .iter()
                    .position(|&b| b == b';' || b.is_ascii_whitespace());
                &rest[..end.unwrap_or(rest.len())]
            };
            if !value.is_empty() {
                found.insert(value);
            }
            i += KEY.len();
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use std::time::{Duration, Instant};

    fn many_parts(n: usize) -> Vec<u8> {
        let mut raw = b"From: a@example.test\r\nSubject: many\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n".to_vec();
        for i in 0..n {
            raw.extend_from_slice(
                format!("--b\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n").as_bytes(),
            );
        }
        raw.extend_from_slice(b"--b--\r\n");
        raw
    }

    fn nested(levels: usize) -> Vec<u8> {
        let mut raw =
            b"From: a@example.test\nContent-Type: multipart/mixed; boundary=b0\n\n".to_vec();
        for i in 1..levels {
            raw.extend_from_slice(
                format!(
                    "--b{}\nContent-Type: multipart/mixed; boundary=b{i}\n\n",
                    i - 1
                )
                .as_bytes(),
            );
        }
        raw.extend_from_slice(
            format!("--b{}\nContent-Type: text/plain\n\ndeep\n", levels - 1).as_bytes(),
        );
        raw
    }

    #[test]
    fn too_large() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let err = parse(b"Subject: more than ten bytes\n\nbody", &limits).unwrap_err();
        assert_eq!(
            err,
            ParseError::TooLarge {
                size: 34,
                limit: 10
            }
        );
        assert_eq!(
            err.to_string(),
            "cannot parse a mail of 34 bytes: the limit is 10 bytes"
        );
    }

    #[test]
    fn too_many_parts_fails_fast() {
        let raw = many_parts(5000);
        let start = Instant::now();
        let err = parse(&raw, &Limits::default()).unwrap_err();
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(
            err,
            ParseError::TooManyParts {
                parts: 2001,
                limit: 2000
            }
        );
    }

    #[test]
    fn many_parts_under_the_limit_parse() {
        let parsed = parse(&many_parts(500), &Limits::default()).unwrap();
        assert!(
            parsed.text.starts_with("part 0\npart 1\n"),
            "{}",
            &parsed.text[..40]
        );
    }

    #[test]
    fn exact_count_after_parsing() {
        // Boundaries inside a base64-encoded attached message are invisible to the prescan;
        // mail-parser still parses that message, and the tree walk counts its parts.
        let inner = String::from_utf8(many_parts(3)).unwrap();
        let raw = format!(
            "From: a@example.test\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n\
             --o\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
             --o\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--o--\r\n",
            crate::transfer::base64_encode(inner.as_bytes())
        );
        let limits = Limits {
            max_parts: 5,
            ..Limits::default()
        };
        assert!(limits.prescan(raw.as_bytes()).is_ok());
        assert_eq!(
            parse(raw.as_bytes(), &limits),
            Err(ParseError::TooManyParts { parts: 7, limit: 5 })
        );
        assert!(parse(raw.as_bytes(), &Limits::default()).is_ok());
    }

    #[test]
    fn too_deep() {
        let start = Instant::now();
        let err = parse(&nested(500), &Limits::default()).unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(2));
        assert_eq!(
            err,
            ParseError::TooDeep {
                depth: 21,
                limit: 20
            }
        );
        assert!(parse(&nested(10), &Limits::default()).is_ok());
    }

    #[test]
    fn boundaries_are_found_quoted_and_bare() {
        let raw =
            b"Content-Type: multipart/mixed;\n boundary=\"a b\"\nX: boundary=c;\nY: BOUNDARY=d\n";
        let found = declared_boundaries(raw);
        assert!(
            found.contains(&b"a b"[..]) && found.contains(&b"c"[..]) && found.contains(&b"d"[..])
        );
    }
}
